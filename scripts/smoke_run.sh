#!/usr/bin/env bash
# Start `make run` with the embedded servers, wait for the login page, prove a Celery round trip,
# then stop it with Ctrl-C (SIGINT) and check that everything stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${SMOKE_PORT:-8765}"
log="$(mktemp)"
start=$(date +%s)
setsid make run PORT="$port" >"$log" 2>&1 &
pid=$!
cleanup() { kill -INT -- "-$pid" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 240); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$port/accounts/login/"; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "make run exited early:"; cat "$log"; exit 1; fi
  sleep 1
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/accounts/login/" || { echo "login page never answered"; cat "$log"; exit 1; }
echo "login page served after $(( $(date +%s) - start )) s"
set -a; . var/run/embedded.env; set +a
.venv/bin/python manage.py celery_ping --timeout 60
kill -INT -- "-$pid"
for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
if kill -0 "$pid" 2>/dev/null; then echo "make run did not stop on Ctrl-C"; tail -50 "$log"; exit 1; fi
trap - EXIT
echo "make run stopped cleanly"
