"""Re-encrypt every encrypted field with the first key of FIELD_ENCRYPTION_KEYS."""
import time

from django.core.management.base import BaseCommand, CommandError

from apps.core.key_rotation import BATCH, encrypted_tables, remaining_under_old_keys, rotate_table


class Command(BaseCommand):
    help = ("Re-encrypt every encrypted field under the first key of FIELD_ENCRYPTION_KEYS, in short "
            "batches while the site serves; run again (or with --resume-after) to resume.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=BATCH, help=f"rows per transaction (default {BATCH})")
        parser.add_argument("--table", help="only this table (see --list)")
        parser.add_argument("--resume-after", type=int, default=0,
                            help="with --table: start after this primary key (printed by an interrupted run)")
        parser.add_argument("--list", action="store_true", dest="list_tables", help="list the tables and columns that are encrypted")
        parser.add_argument("--check", action="store_true",
                            help="only count the values not under the first key (exit status 1 if any)")

    def handle(self, *args, batch, table, resume_after, list_tables, check, **options):
        tables = [t for t in encrypted_tables() if table is None or t[0] == table]
        if table and not tables:
            raise CommandError(f"{table} has no encrypted fields (see --list).")
        if resume_after and not table:
            raise CommandError("--resume-after needs --table.")
        if list_tables:
            for name, _pk, columns in tables:
                self.stdout.write(f"{name}: {', '.join(columns)}")
            return
        if check:
            left = {name: remaining_under_old_keys(name, pk, columns) for name, pk, columns in tables}
            for name, count in left.items():
                self.stdout.write(f"{name}: {count} values under an older key")
            if any(left.values()):
                raise CommandError("Some values are still under an older key: do not remove it yet.")
            self.stdout.write(self.style.SUCCESS("Every value is under the first key."))
            return
        started = time.perf_counter()
        for name, pk, columns in tables:
            def report(p):
                self.stdout.write(f"{p.table}: {p.scanned}/{p.total} rows, {p.rotated} values re-encrypted "
                                  f"(resume: --table {p.table} --resume-after {p.last_pk})")

            done = rotate_table(name, pk, columns, batch=batch, resume_after=resume_after, report=report)
            self.stdout.write(f"{name}: done, {done.scanned} rows, {done.rotated} values re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Key rotation finished in {time.perf_counter() - started:.1f} s"))
