"""Soak: a long mixed load with the web server, a Celery worker and beat running, watching memory.

    python benchmarks/soak.py --locust /tmp/load/bin/locust --users /tmp/load_users.json \
        --simulated 55 --minutes 30 --out benchmarks/results/soak-latest.json

Starts gunicorn (``--workers``), ``celery worker`` and ``celery beat`` with the current environment
(DATABASE_URL, REDIS_URL, DJANGO_SETTINGS_MODULE, e.g. config.settings.bench on the scale data set),
runs locust headless (benchmarks/locustfile.py, the same mix as the load test) for ``--minutes``, and
every ``--sample`` seconds records the resident memory of each process group (web: the gunicorn master
and workers; worker; beat) from /proc. The document holds the samples, locust's totals and, per group,
the memory after the warm-up against the end and the growth per ten minutes; the run fails (exit 1) on
any failed request or a group growing by more than ``--max-growth`` percent over the second half (the
periodic jobs first run in the first half, a one-off step when they load their code and data).
Set ``--simulated`` to 70 % of the ceiling measured by benchmarks/load_steps.py (one simulated user
makes about one request a second). Needs only the standard library and a locust executable.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _children(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            text = Path(f"/proc/{current}/task/{current}/children").read_text()
        except OSError:
            continue
        queue.extend(int(p) for p in text.split())
    return found


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    for child in _children(pid):
        try:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)


def _start(name: str, command: list[str], log_dir: Path) -> subprocess.Popen:
    log = open(log_dir / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _wait_for(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"the server did not answer {url} within {timeout} s")


def _totals(prefix: str) -> dict:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                return {"requests": int(float(row["Request Count"])), "failures": int(float(row["Failure Count"])),
                        "requests_per_s": round(float(row["Requests/s"]), 1), "median_ms": float(row["50%"]),
                        "p95_ms": float(row["95%"])}
    return {}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--locust", default="locust")
    parser.add_argument("--users", required=True, help="the file written by run_benchmarks --prepare-load")
    parser.add_argument("--simulated", type=int, default=55, help="simulated users (about one request/s each)")
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5, help="minutes before the memory baseline")
    parser.add_argument("--sample", type=int, default=30, help="seconds between memory samples")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--max-growth", type=float, default=10.0, help="percent allowed after the warm-up")
    parser.add_argument("--out", default=str(HERE / "results" / "soak-latest.json"))
    args = parser.parse_args(argv)

    python = sys.executable
    log_dir = Path(tempfile.mkdtemp(prefix="kzn-soak-"))
    host = f"http://127.0.0.1:{args.port}"
    processes = {
        "web": _start("web", [python, "-m", "gunicorn", "config.wsgi", "-w", str(args.workers), "-b",
                              f"127.0.0.1:{args.port}", "--max-requests", "0"], log_dir),
        "worker": _start("worker", [python, "-m", "celery", "-A", "config", "worker", "--concurrency", "2",
                                    "--loglevel", "WARNING"], log_dir),
        "beat": _start("beat", [python, "-m", "celery", "-A", "config", "beat", "--loglevel", "WARNING",
                                "--schedule", str(log_dir / "beat-schedule")], log_dir),
    }
    samples = []
    prefix = str(log_dir / "soak")
    try:
        _wait_for(host + "/health/")
        locust = subprocess.Popen(
            [args.locust, "-f", str(HERE / "locustfile.py"), "--headless", "--only-summary",
             "-u", str(args.simulated), "-r", str(max(1, args.simulated // 10)), "-t", f"{int(args.minutes * 60)}s",
             "--host", host, "--csv", prefix],
            env={**os.environ, "KZN_LOAD_USERS": args.users}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = time.monotonic()
        while locust.poll() is None:
            dead = [name for name, p in processes.items() if p.poll() is not None]
            if dead:
                locust.terminate()
                raise SystemExit(f"{', '.join(dead)} stopped during the soak; logs in {log_dir}")
            samples.append({"minute": round((time.monotonic() - started) / 60, 2),
                            **{name: _rss_mb(p.pid) for name, p in processes.items()}})
            print(f"{samples[-1]['minute']:6.1f} min  " + "  ".join(
                f"{name} {samples[-1][name]:7.1f} MB" for name in processes), flush=True)
            time.sleep(args.sample)
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    totals = _totals(prefix)
    memory, failed = {}, []
    for name in processes:
        after = [s[name] for s in samples if s["minute"] >= args.warmup] or [s[name] for s in samples]
        base, end = after[0], after[-1]
        span = max((samples[-1]["minute"] - args.warmup), 1e-9)
        growth = round(100 * (end - base) / base, 1) if base else 0.0
        # The periodic jobs (every 15 minutes) first run within the first half: a one-off step when they load
        # their modules and data is no leak, so the verdict is the growth over the second half.
        second = [s[name] for s in samples if s["minute"] >= args.minutes / 2] or after
        late = round(100 * (second[-1] - second[0]) / second[0], 1) if second[0] else 0.0
        memory[name] = {"after_warmup_mb": base, "end_mb": end, "max_mb": max(after), "growth_percent": growth,
                        "growth_mb_per_10_min": round((end - base) / span * 10, 1),
                        "second_half_growth_percent": late}
        if late > args.max_growth:
            failed.append(f"{name} grew by {late} % over the second half")
    if totals.get("failures"):
        failed.append(f"{totals['failures']} failed requests")
    document = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine_cpus": os.cpu_count(), "load_average_at_end": os.getloadavg(),
        "minutes": args.minutes, "simulated_users": args.simulated, "gunicorn_workers": args.workers,
        "mix": "benchmarks/locustfile.py", "totals": totals, "memory": memory, "samples": samples,
        "verdict": "failed: " + "; ".join(failed) if failed else "flat memory, no failed request",
    }
    Path(args.out).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: document[k] for k in ("totals", "memory", "verdict")}, indent=2))
    print(f"written {args.out}; server logs in {log_dir}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
