"""Back up the database and the media files into one folder with a manifest."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = ("Write a backup folder: the database (pg_dump, custom format, one snapshot), the media files "
            "and manifest.json (checksums, row counts, audit heads, key fingerprints).")

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.VAR_DIR / "backups"), help="folder to write into")
        parser.add_argument("--recipient", action="append", default=[],
                            help="age public key (age1...) to encrypt the files to; repeat for several")
        parser.add_argument("--no-media", action="store_true", help="the database only")

    def handle(self, *args, output, recipient, no_media, **options):
        try:
            result = create_backup(output, recipients=recipient, media=not no_media)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except ValueError as exc:  # a malformed age recipient
            raise CommandError(f"--recipient: not an age public key ({exc}).") from exc
        sizes = ", ".join(f"{name} {meta['bytes'] / 1e6:.1f} MB" for name, meta in result.manifest["files"].items())
        self.stdout.write(self.style.SUCCESS(
            f"Backup written to {result.path} in {result.seconds:.1f} s: {sizes}; "
            f"{sum(result.manifest['tables'].values())} rows in {len(result.manifest['tables'])} tables."
        ))
