"""Generate a national-scale data set (default: 1,000,000 cases, 174 municipalities, 20,000 users)."""
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from benchmarks.seed import Seeder, SeedOptions


class Command(BaseCommand):
    help = "Generate a national-scale data set for benchmarks (deterministic for a given --seed and --until)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=1_000_000)
        parser.add_argument("--municipalities", type=int, default=174)
        parser.add_argument("--users", type=int, default=20_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--until", type=date.fromisoformat, default=None, help="Last day of the data (YYYY-MM-DD; today).")
        parser.add_argument("--years", type=int, default=10, help="Years of history before --until.")
        parser.add_argument("--chunk", type=int, default=250_000, help="Cases per INSERT of the child tables.")
        parser.add_argument("--no-vacuum", action="store_true", help="ANALYZE only (no VACUUM) at the end.")

    def handle(self, *args, **options):
        if options["cases"] < 1 or options["municipalities"] < 1 or options["users"] < 1:
            raise CommandError("--cases, --municipalities and --users must be positive.")
        seeder = Seeder(
            SeedOptions(
                cases=options["cases"],
                municipalities=options["municipalities"],
                users=options["users"],
                seed=options["seed"],
                until=options["until"],
                years=options["years"],
                chunk=options["chunk"],
                vacuum=not options["no_vacuum"],
            ),
            log=lambda line: (self.stdout.write(line), self.stdout.flush()),
        )
        try:
            counts = seeder.run()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Generated: " + ", ".join(f"{k} {v:,}" for k, v in counts.items())))
