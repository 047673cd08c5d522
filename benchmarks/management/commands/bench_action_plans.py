"""Time the action plan execution table (200 activities, 1,000 budget lines); nothing is kept."""
from django.core.management.base import BaseCommand

from benchmarks.action_plans import measure


class Command(BaseCommand):
    help = "Time the execution table of a plan with 200 activities and 1,000 budget lines (rolled back after)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, runs, **options):
        measure(runs=runs, log=self.stdout.write)
