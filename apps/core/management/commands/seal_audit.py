"""Seal the audit entries not sealed yet (the beat job does this every few minutes)."""
import time

from django.core.management.base import BaseCommand

from apps.core.audit_chain import seal


class Command(BaseCommand):
    help = "Give every unsealed audit entry its link in its municipality's hash chain."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", dest="everything",
                            help="every unsealed entry, not only the recent ones (first run, long transactions)")

    def handle(self, *args, everything, **options):
        started = time.perf_counter()
        count = seal(everything=everything)
        self.stdout.write(f"{count} entries sealed in {time.perf_counter() - started:.1f} s")
