"""Remove one person's identifying data from every case (an erasure the controller has granted)."""
from django.core.management.base import BaseCommand, CommandError

from apps.cases.subject_access import add_identity_arguments, erase_person


class Command(BaseCommand):
    help = ("Erase one person's identifying data from every case they appear in (names, JMBG, contact "
            "data, exact date of birth), audited with the request's reference. Identify by --jmbg, or by "
            "--first-name, --last-name and --birth-date. Free texts are not touched: review them first "
            "with subject_access.")

    def add_arguments(self, parser):
        add_identity_arguments(parser)
        parser.add_argument("--yes", action="store_true", help="really erase (it cannot be undone but from a backup)")

    def handle(self, *args, reference, jmbg, first_name, last_name, birth_date, yes, **options):
        if not yes:
            raise CommandError("Nothing erased: add --yes once the controller has granted the request.")
        try:
            count = erase_person(reference=reference, jmbg=jmbg, first_name=first_name, last_name=last_name,
                                 birth_date=birth_date)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{count} person records erased (request {reference})."))
