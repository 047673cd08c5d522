"""Run the mixed-traffic load test in steps of simulated users and write the results document.

    python benchmarks/load_steps.py --locust /tmp/load/bin/locust --users /tmp/load_users.json \
        --host http://127.0.0.1:8765 --steps 20,40,80,120,160 --duration 60 \
        --out benchmarks/results/load-latest.json

Each step runs locust headless (benchmarks/locustfile.py) against an already running server and
reads back its statistics CSV; the document holds per step the requests, failures, requests per
second, median, p95 and p99 (milliseconds), and per page the figures of the step named by
``--per-page-at``. Needs only the standard library and a locust executable.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _number(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def run_step(locust: str, users_file: str, host: str, users: int, duration: int) -> dict:
    """One locust run; its aggregated row and its per-page rows."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "step")
        command = [
            locust, "-f", str(HERE / "locustfile.py"), "--headless", "--only-summary",
            "-u", str(users), "-r", str(max(1, users // 4)), "-t", f"{duration}s", "--host", host, "--csv", prefix,
        ]
        subprocess.run(command, check=False, env={**os.environ, "KZN_LOAD_USERS": users_file},
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    pages, total = {}, None
    for row in rows:
        figures = {
            "requests": int(_number(row["Request Count"])),
            "failures": int(_number(row["Failure Count"])),
            "requests_per_s": round(_number(row["Requests/s"]), 1),
            "median_ms": _number(row["50%"]),
            "p95_ms": _number(row["95%"]),
            "p99_ms": _number(row["99%"]),
        }
        if row["Name"] == "Aggregated":
            total = figures
        else:
            pages[row["Name"]] = figures
    return {"users": users, **(total or {}), "pages": pages}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--locust", default="locust")
    parser.add_argument("--users", required=True, help="the file written by run_benchmarks --prepare-load")
    parser.add_argument("--host", default="http://127.0.0.1:8765")
    parser.add_argument("--steps", default="20,40,80,120,160")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers of the server (recorded)")
    parser.add_argument("--per-page-at", type=int, default=40)
    parser.add_argument("--out", default=str(HERE / "results" / "load-latest.json"))
    args = parser.parse_args(argv)

    steps = []
    for users in (int(s) for s in args.steps.split(",")):
        step = run_step(args.locust, args.users, args.host, users, args.duration)
        steps.append(step)
        print(f"{users:4d} users: {step.get('requests_per_s', 0):6.1f} req/s  median {step.get('median_ms', 0):6.0f} ms"
              f"  p95 {step.get('p95_ms', 0):6.0f} ms  p99 {step.get('p99_ms', 0):6.0f} ms"
              f"  failures {step.get('failures', 0)} of {step.get('requests', 0)}", flush=True)
    at = next((s for s in steps if s["users"] == args.per_page_at), steps[0])
    document = {
        "machine_cpus": os.cpu_count(),
        "gunicorn_workers": args.workers,
        "duration_s": args.duration,
        "mix": "benchmarks/locustfile.py",
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "steps": [{k: v for k, v in s.items() if k != "pages"} for s in steps],
        f"per_page_at_{at['users']}_users": {
            name: {k: page[k] for k in ("requests", "median_ms", "p95_ms")} for name, page in sorted(at["pages"].items())
        },
    }
    Path(args.out).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
