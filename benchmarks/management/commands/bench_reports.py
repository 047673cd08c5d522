"""Time the dashboards and the monthly report on the current data set (the reports' part of run_benchmarks)."""
import json

from django.core.management.base import BaseCommand

from benchmarks import reports
from benchmarks.subjects import pick_subjects


class Command(BaseCommand):
    help = "Summarise every municipality's year, then time the official and national dashboards and one monthly report."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=15)

    def handle(self, *args, runs, **options):
        measured = {}

        def add(m):
            measured[m.name] = m
            self.stdout.write(f"  {m.name:<56} median {m.median_ms:9.1f} ms  p95 {m.p95_ms:9.1f} ms  queries {m.queries}")
            self.stdout.flush()
            return m

        subjects = pick_subjects()
        summaries = reports.measurements(subjects, runs=runs, add=add, log=self.stdout.write)
        self.stdout.write(json.dumps({"summaries": summaries, "municipality": subjects.municipality.name,
                                      "measurements": {k: m.as_dict() for k, m in measured.items()}},
                                     ensure_ascii=False, indent=2))
