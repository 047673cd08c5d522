"""Measure the platform's pages against the guardian baseline and the raw SQL floor; write the results."""
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from benchmarks.load import prepare
from benchmarks.runner import run, table


class Command(BaseCommand):
    help = "Run the benchmarks against the current database and write benchmarks/results/latest.json."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30, help="Timed runs per measurement (after 3 warm-up runs).")
        parser.add_argument(
            "--output", default=str(Path(settings.BASE_DIR) / "benchmarks" / "results" / "latest.json"),
            help="Where to write the JSON results ('-' for none).",
        )
        parser.add_argument(
            "--prepare-load", metavar="FILE", default=None,
            help="Instead of measuring, write verified sessions and API tokens for the load test (locust) to FILE.",
        )

    def handle(self, *args, **options):
        if options["prepare_load"]:
            prepare(options["prepare_load"], log=self.stdout.write)
            return
        document = run(runs=options["runs"], log=lambda line: (self.stdout.write(line), self.stdout.flush()))
        self.stdout.write("")
        self.stdout.write(table(document))
        if options["output"] != "-":
            path = Path(options["output"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
            self.stdout.write(self.style.SUCCESS(f"Written {path}"))
