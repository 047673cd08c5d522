"""Onboard a municipality from a YAML or CSV file (see docs/onboarding-example.yaml and .csv)."""
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.municipalities.onboarding import onboard_municipality
from apps.municipalities.onboarding_files import parse_onboarding_file


class Command(BaseCommand):
    help = (
        "Onboard a municipality, its institutions and first institution admins from a YAML or CSV file. "
        "Running the same file again changes nothing; a file with errors is refused and nothing is saved. "
        "CSV: one table with a 'record' column (municipality / institution / admin); see "
        "docs/onboarding-example.csv and docs/onboarding-example.yaml."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .yaml, .yml or .csv file")
        parser.add_argument("--format", choices=["yaml", "csv"], help="read the file as this format (default: by extension)")
        parser.add_argument("--dry-run", action="store_true", help="check and report what would change; save nothing")
        parser.add_argument(
            "--as", dest="as_email", metavar="EMAIL",
            help="the platform admin recorded as onboarding the municipality and sending the invitations",
        )

    def handle(self, *args, file, format=None, dry_run=False, as_email=None, **options):
        actor = None
        if as_email:
            actor = get_user_model().objects.filter(email__iexact=as_email.strip(), is_active=True).first()
            if actor is None or not actor.is_platform_admin:
                raise CommandError(_("--as must be the e-mail of an active platform admin."))

        parsed = parse_onboarding_file(file, file_format=format)
        for warning in parsed.warnings:
            self.stderr.write(self.style.WARNING(str(warning)))
        if not parsed.ok:
            for error in parsed.errors:
                self.stderr.write(str(error))
            raise CommandError(
                ngettext(
                    "%(count)d error in the file; nothing was saved.",
                    "%(count)d errors in the file; nothing was saved.",
                    len(parsed.errors),
                ) % {"count": len(parsed.errors)}
            )

        try:
            result = onboard_municipality(spec=parsed.spec, onboarded_by=actor, dry_run=dry_run)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            for message in messages:
                self.stderr.write(message)
            raise CommandError(_("The onboarding was refused; nothing was saved."))

        self._summary(result)

    def _summary(self, result):
        m = result.municipality
        if result.municipality_created:
            state = _("created")
        elif result.municipality_updated_fields:
            state = _("updated: %(fields)s") % {"fields": ", ".join(result.municipality_updated_fields)}
        else:
            state = _("unchanged")
        self.stdout.write(_("Municipality %(name)s (%(code)s): %(state)s") % {"name": m.name, "code": m.code, "state": state})
        self.stdout.write(
            _("Institutions: %(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
                "created": len(result.institutions_created),
                "updated": len(result.institutions_updated),
                "unchanged": len(result.institutions_unchanged),
            }
        )
        for institution, fields in result.institutions_updated:
            self.stdout.write("  " + _("%(name)s updated: %(fields)s") % {"name": institution.name, "fields": ", ".join(fields)})
        self.stdout.write(
            _("Invitations: %(sent)d sent, %(unchanged)d already invited or members") % {
                "sent": len(result.invitations_created), "unchanged": len(result.admins_unchanged),
            }
        )
        counts = result.counts
        self.stdout.write(
            _("Total: %(created)d created, %(updated)d updated, %(unchanged)d unchanged") % counts
        )
        if result.dry_run:
            self.stdout.write(self.style.WARNING(_("Dry run: nothing was saved and no e-mail was sent.")))
        elif result.changed:
            self.stdout.write(self.style.SUCCESS(_("Done.")))
        else:
            self.stdout.write(self.style.SUCCESS(_("Nothing to change.")))
