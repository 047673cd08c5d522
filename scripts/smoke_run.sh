#!/usr/bin/env bash
# Smoke test of the default developer path: start `make run` (embedded PostgreSQL and Redis), wait
# for the login page, prove a Celery round trip through the running worker, stop it with Ctrl-C
# (SIGINT to its process group) and check that nothing it started is left running.
#
#   bash scripts/smoke_run.sh                 # free port, data folder var/ of this checkout
#   SMOKE_PORT=8704 VAR_DIR=/tmp/x bash scripts/smoke_run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
unset DATABASE_URL REDIS_URL   # the point is the embedded default
export VAR_DIR="${VAR_DIR:-$PWD/var}"
PY=.venv/bin/python
[ -x "$PY" ] || make install >/dev/null

port="${SMOKE_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; then
  echo "port $port is already in use; set SMOKE_PORT"; exit 1
fi
url="http://127.0.0.1:$port/accounts/login/"
log="$(mktemp -t smoke-run.XXXXXX)"
envfile="$VAR_DIR/run/embedded.env"
rm -f "$envfile"

start=$(date +%s)
setsid make run PORT="$port" >"$log" 2>&1 &
pid=$!
stop_run() { kill -INT -- "-$pid" 2>/dev/null || true; }
trap 'stop_run; echo "--- make run log (tail) ---"; tail -40 "$log"' EXIT

served=""
for _ in $(seq 1 300); do
  if page="$(curl -fsS "$url" 2>/dev/null)"; then served=1; break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "make run exited early"; exit 1; fi
  sleep 1
done
[ -n "$served" ] || { echo "the login page never answered on $url"; exit 1; }
grep -q 'name="password"' <<<"$page" || { echo "$url answered without a login form"; exit 1; }
echo "login page served after $(( $(date +%s) - start )) s"

set -a; . "$envfile"; set +a
redis_port="${REDIS_URL##*:}"; redis_port="${redis_port%%/*}"
"$PY" manage.py celery_ping --timeout 60
unset DATABASE_URL REDIS_URL

stop_start=$(date +%s)
kill -INT -- "-$pid"
for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
if kill -0 "$pid" 2>/dev/null; then echo "make run did not stop within 60 s of Ctrl-C"; exit 1; fi
wait "$pid" || true
echo "make run stopped $(( $(date +%s) - stop_start )) s after Ctrl-C"

# Nothing left: no process that was given this run's Redis address (web, worker, beat), no
# PostgreSQL on this data folder, nothing answering on the web or Redis port.
"$PY" - "$VAR_DIR" "$port" "$redis_port" <<'EOF'
import os
import socket
import sys
import time

var_dir, web_port, redis_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
marker = f"REDIS_URL=redis://127.0.0.1:{redis_port}/".encode()
pgdata = os.path.realpath(os.path.join(var_dir, "pgdata"))


def leftovers():
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
            with open(f"/proc/{pid}/environ", "rb") as f:
                environ = f.read()
        except OSError:
            continue
        if not cmdline:
            continue  # a zombie waiting to be reaped
        if marker in environ or (pgdata in cmdline and "postgres" in cmdline):
            found.append(f"{pid}: {cmdline}")
    for port in (web_port, redis_port):
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            found.append(f"something still listens on port {port}")
        except OSError:
            pass
    return found


for _ in range(20):  # PostgreSQL's last processes may need a moment after pg_ctl stop returns
    left = leftovers()
    if not left:
        break
    time.sleep(0.5)
if left:
    print("still running after make run stopped:", *left, sep="\n  ")
    sys.exit(1)
print("no web, worker, beat, PostgreSQL or Redis process left")
EOF
trap - EXIT
rm -f "$log"
echo "smoke test passed"
