from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """The scale tooling's commands (seed_scale, run_benchmarks); installed only by the benchmark and
    test settings, never in production."""

    name = "benchmarks"
    label = "benchmarks"
    verbose_name = "Benchmarks"
