"""Export what the platform holds on one person (a data-protection subject-access request)."""
import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from apps.cases.subject_access import add_identity_arguments, subject_access


class Command(BaseCommand):
    help = ("Write a JSON export of everything held on one person, for the controller's data-protection "
            "officer to review (audited with the request's reference). Identify by --jmbg, or by "
            "--first-name, --last-name and --birth-date.")

    def add_arguments(self, parser):
        add_identity_arguments(parser)
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, reference, jmbg, first_name, last_name, birth_date, output, **options):
        try:
            export = subject_access(reference=reference, jmbg=jmbg, first_name=first_name, last_name=last_name,
                                    birth_date=birth_date)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        text = json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"{len(export['person_records'])} person records in {len(export['cases'])} cases "
                              f"written to {output}")
        else:
            self.stdout.write(text)
