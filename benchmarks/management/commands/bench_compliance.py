"""Time the protocols compliance figures on the largest municipality of the data set."""
import json

from django.core.management.base import BaseCommand

from benchmarks.compliance import run


class Command(BaseCommand):
    help = "Time the compliance figures (every measure, whole history and one year) on the largest municipality."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, runs, **options):
        self.stdout.write(json.dumps(run(runs), ensure_ascii=False, indent=2))
