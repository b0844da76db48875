#!/usr/bin/env bash
# Tsunagu's two commands:  ./dev.sh start  (the app on SQLite with the demo)  and  ./dev.sh test  (the whole suite).
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=.venv
export FLASK_APP=wsgi

setup() {
  local requirements=$1
  if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
  fi
  # Reinstall only when the requirements changed since the last install.
  local stamp="$VENV/.installed-$(basename "$requirements")"
  if [ ! -f "$stamp" ] || [ "$requirements" -nt "$stamp" ] || [ requirements.txt -nt "$stamp" ]; then
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    touch "$stamp"
  fi
  "$VENV/bin/pybabel" compile --use-fuzzy -d app/translations >/dev/null
}

need_chromium() {
  # grep without -q reads all of fc-list's output: an early exit would kill fc-list with SIGPIPE,
  # and under pipefail the check would then fail at random.
  if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && fc-list : family 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null; then
    return
  fi
  echo "Installing Chromium and Japanese fonts for the browser tests (Debian packages)…"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
}

need_node_checks() {
  # Independent checkers the tests run with node (tests/js): ical.js (Thunderbird's parser) reads every .ics,
  # Microsoft's adaptivecards reads every Teams webhook card, axe-core checks every page the browser tests visit.
  if [ -d tests/js/node_modules/ical.js ] && [ -d tests/js/node_modules/adaptivecards ] && [ -d tests/js/node_modules/axe-core ] \
     && [ tests/js/node_modules/.package-lock.json -nt tests/js/package-lock.json ]; then
    return
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "Installing Node.js and npm for the test checkers (Debian packages)…"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null
  fi
  npm ci --prefix tests/js --no-audit --no-fund --loglevel=error >/dev/null
}

case "${1:-}" in
  start)
    setup requirements.txt
    port=${PORT:-5000}
    export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:$port}
    "$VENV/bin/flask" db upgrade
    "$VENV/bin/flask" demo
    echo
    echo "Tsunagu is running: open http://127.0.0.1:$port/  (organiser pages: http://127.0.0.1:$port/login)"
    echo "Stop with Ctrl+C."
    exec "$VENV/bin/flask" run --host 127.0.0.1 --port "$port"
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
