"""Scale tooling: the national-size data generator, the benchmark runner and the load test.

Tooling, not a domain app: it reads and writes every app's tables (like reports and dashboards do),
and nothing in apps/ imports it.
"""
