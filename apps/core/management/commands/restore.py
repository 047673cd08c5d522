"""Restore a backup folder into an empty database and prove it."""
import environ
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.backup import BackupError
from apps.core.restore import restore_backup


class Command(BaseCommand):
    help = ("Restore a backup folder into an EMPTY database (default: the configured one), then with --verify "
            "compare the row counts, the audit chains and the encrypted fields with the backup.")

    def add_arguments(self, parser):
        parser.add_argument("source", help="the backup folder (kzn-backup-...)")
        parser.add_argument("--target-url", help="postgres://... of the empty database (default: DATABASE_URL)")
        parser.add_argument("--identity", help="age identity file, for an encrypted backup")
        parser.add_argument("--media-dir", help="where to put the media files (default: only checked)")
        parser.add_argument("--verify", action="store_true", help="check counts, audit chains and encrypted fields")

    def handle(self, *args, source, target_url, identity, media_dir, verify, **options):
        target = environ.Env.db_url_config(target_url) if target_url else settings.DATABASES["default"]
        try:
            report = restore_backup(source, target=target, identity_file=identity, media_dir=media_dir, verify=verify)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        timings = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in report.seconds.items())
        self.stdout.write(f"Restored into {target['NAME']}: {timings}")
        if verify:
            for problem in report.problems:
                self.stdout.write(f"  problem: {problem}")
            if not report.ok:
                raise CommandError("The restore does not verify.")
            self.stdout.write(self.style.SUCCESS(
                f"Verified: {report.rows} rows in {report.tables} tables as backed up, {report.links} audit links "
                f"unbroken, {report.decrypted} encrypted values readable."
            ))
