#!/usr/bin/env bash
# Tsunagu's two commands:  ./dev.sh start  (the app on SQLite with the demo)  and  ./dev.sh test  (the whole suite).
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=.venv
export FLASK_APP=wsgi

say() { echo "dev.sh: $*"; }

setup() {
  local requirements=$1
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating the Python environment in $VENV…"
    "$PYTHON" -m venv "$VENV"
  fi
  # Reinstall only when the requirements changed since the last install.
  local stamp="$VENV/.installed-$(basename "$requirements")"
  if [ ! -f "$stamp" ] || [ "$requirements" -nt "$stamp" ] || [ requirements.txt -nt "$stamp" ]; then
    say "installing the Python packages of $requirements into $VENV (the first time takes a minute or two)…"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    touch "$stamp"
  fi
  "$VENV/bin/pybabel" -q compile --use-fuzzy -d app/translations
}

port_is_free() {
  # Bind the way the development server will (address reuse on), so a socket left in TIME_WAIT is no obstacle.
  "$PYTHON" - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
PY
}

as_root() {
  # Run a system package command as root: directly, or through sudo; say what to do when neither works.
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "dev.sh: this needs root: $*" >&2
    echo "dev.sh: run it as root (or install the packages yourself), then run ./dev.sh test again." >&2
    exit 1
  fi
}

need_chromium() {
  # grep without -q reads all of fc-list's output: an early exit would kill fc-list with SIGPIPE,
  # and under pipefail the check would then fail at random.
  if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && fc-list : family 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null; then
    return
  fi
  say "Chromium or the Japanese fonts (Noto Sans CJK) are missing: installing the Debian packages chromium and fonts-noto-cjk with apt-get…"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
}

need_node_checks() {
  # Independent checkers the tests run with node (tests/js): ical.js (Thunderbird's parser) reads every .ics,
  # Microsoft's adaptivecards reads every Teams webhook card, axe-core checks every page the browser tests visit.
  if [ -d tests/js/node_modules/ical.js ] && [ -d tests/js/node_modules/adaptivecards ] && [ -d tests/js/node_modules/axe-core ] \
     && [ tests/js/node_modules/.package-lock.json -nt tests/js/package-lock.json ]; then
    return
  fi
  if ! command -v npm >/dev/null 2>&1; then
    say "npm is missing: installing the Debian packages nodejs and npm with apt-get…"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  fi
  say "installing the test checkers ical.js and adaptivecards from npm into tests/js/node_modules…"
  npm ci --prefix tests/js --no-audit --no-fund --loglevel=error >/dev/null
}

case "${1:-}" in
  start)
    port=${PORT:-5000}
    # Check the port before touching anything: a busy port must not cost the demo or the database anything.
    if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
      echo "dev.sh: PORT must be a port number (1–65535), not '$port'." >&2
      exit 2
    fi
    if ! port_is_free "$port"; then
      echo "dev.sh: port $port on 127.0.0.1 is in use (another Tsunagu, or another program)." >&2
      echo "dev.sh: stop it, or choose another port: PORT=5001 ./dev.sh start" >&2
      exit 1
    fi
    setup requirements.txt
    export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:$port}
    say "bringing the database up to date…"
    "$VENV/bin/flask" db upgrade
    say "loading the demo (up to a minute)…"
    "$VENV/bin/flask" demo
    # The worker sends the emails and webhook calls and runs the background jobs (invitations, imports,
    # plans): started beside the web server and stopped with it, so queued work really happens.
    say "starting the worker (emails, webhooks, background jobs)…"
    "$VENV/bin/flask" worker --interval 1 &
    worker=$!
    server=""
    stop_both() {
      trap - EXIT INT TERM HUP
      kill -TERM $server "$worker" 2>/dev/null || true
      wait 2>/dev/null || true
    }
    trap stop_both EXIT
    trap 'exit 0' INT TERM HUP
    echo
    say "starting the server on http://127.0.0.1:$port/ …"
    "$VENV/bin/flask" run --host 127.0.0.1 --port "$port" &
    server=$!
    # Say "running" only once the server listens (or say that it stopped).
    for _ in $(seq 1 300); do
      if ! kill -0 "$server" 2>/dev/null; then
        echo "dev.sh: the server stopped before answering (see its messages above)." >&2
        exit 1
      fi
      if ! port_is_free "$port"; then
        break  # the server listens
      fi
      sleep 0.2
    done
    echo
    echo "Tsunagu is running: open http://127.0.0.1:$port/  (organiser pages: http://127.0.0.1:$port/login)"
    echo "The worker (emails, webhooks, background jobs) runs beside it. Stop both with Ctrl+C."
    wait "$server" || true
    ;;
  test)
    setup requirements-dev.txt
    need_chromium
    need_node_checks
    shift
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  *)
    echo "usage: ./dev.sh start | ./dev.sh test [pytest args]" >&2
    exit 2
    ;;
esac
