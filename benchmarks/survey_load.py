"""Load test of the public questionnaire page (README "Questionnaires"): many concurrent GETs of one
collection's public link, as a poster campaign brings them, from a small asyncio client (one process,
raw HTTP/1.1 over loopback so that the client takes little of the CPU the server needs).

    .venv/bin/gunicorn config.wsgi -w 3 -b 127.0.0.1:8765 &    # DJANGO_SETTINGS_MODULE=config.settings.bench
    .venv/bin/python benchmarks/survey_load.py --url http://127.0.0.1:8765/surveys/a/<token>/ --concurrency 24 --duration 30

Prints requests/s, latency percentiles, the status codes and the page's size.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections import Counter
from urllib.parse import urlsplit


async def _one(host: str, port: int, request: bytes) -> tuple[int, int]:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(request)
        await writer.drain()
        data = await reader.read(-1)  # gunicorn's sync workers close the connection after the answer
    finally:
        writer.close()
    status = int(data[9:12]) if data.startswith(b"HTTP/1.") else 0
    head, _sep, body = data.partition(b"\r\n\r\n")
    return status, len(body)


async def _worker(host, port, request, deadline, latencies, statuses, sizes):
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        try:
            status, size = await _one(host, port, request)
        except OSError:
            status, size = -1, 0
        latencies.append(time.perf_counter() - start)
        statuses[status] += 1
        sizes.append(size)


async def run(url: str, concurrency: int, duration: float, warmup: float) -> dict:
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port or 80
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    request = (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: survey-load\r\nAccept: text/html\r\n"
               "Connection: close\r\n\r\n").encode()
    if warmup:
        await asyncio.gather(*(_worker(host, port, request, time.perf_counter() + warmup, [], Counter(), [])
                               for _ in range(concurrency)))
    latencies: list = []
    statuses: Counter = Counter()
    sizes: list = []
    start = time.perf_counter()
    await asyncio.gather(*(_worker(host, port, request, start + duration, latencies, statuses, sizes)
                           for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    ordered = sorted(latencies)

    def pct(p):
        return round(1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)

    return {
        "requests": len(latencies), "seconds": round(elapsed, 1), "requests_per_second": round(len(latencies) / elapsed, 1),
        "median_ms": round(1000 * statistics.median(latencies), 1), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
        "statuses": dict(statuses), "page_bytes": max(sizes) if sizes else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--concurrency", type=int, default=24)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    args = parser.parse_args()
    print(asyncio.run(run(args.url, args.concurrency, args.duration, args.warmup)))


if __name__ == "__main__":
    main()
