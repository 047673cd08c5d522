"""Import a generated file of police reports through a machine account and measure time and matching."""
import json
import os

from django.core.management.base import BaseCommand
from django.db import transaction

from benchmarks.interlink import import_file


class Command(BaseCommand):
    help = "Import N generated police reports (as the Celery task does) and print seconds, precision and recall."

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=20)
        parser.add_argument("--keep", action="store_true", help="keep the generated municipality (default: roll back)")

    def handle(self, *args, reports, seed, keep, **options):
        with transaction.atomic():
            result = import_file(reports, seed=seed)
            result["cpu_count"] = os.cpu_count()
            if not keep:
                transaction.set_rollback(True)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
