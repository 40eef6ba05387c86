#!/usr/bin/env bash
# One entry point for a fresh Debian/Ubuntu machine with Python 3.11+:
#   bash run.sh start   set up, seed the demo and start the web server + job worker
#   bash run.sh test    set up and run the whole test suite
#   bash run.sh bench   set up and run the benchmark (prints a table)
set -euo pipefail
cd "$(dirname "$0")"

VENV=.venv
PY="$VENV/bin/python"
# System packages: Pango for WeasyPrint, a font with every Vietnamese glyph,
# gettext for the translation catalogs, poppler-utils (pdfunite joins the
# parts of a badge print job); tests add Chromium.
APP_PACKAGES="python3-venv libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext poppler-utils"
TEST_PACKAGES="chromium"

install_system_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
      echo "Please install these Debian/Ubuntu packages first: ${missing[*]}" >&2; exit 1
    fi
  fi
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

setup_python() {
  [ -x "$PY" ] || python3 -m venv "$VENV"
  # Reinstall only when requirements.txt changed since the last install.
  local stamp="$VENV/.requirements.sha256"
  local want; want=$(sha256sum requirements.txt | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$PY" -m pip install -q --disable-pip-version-check -r requirements.txt
    echo "$want" > "$stamp"
  fi
  "$PY" manage.py compilemessages -v0 --ignore "$VENV" >/dev/null
}

case "${1:-}" in
  start)
    install_system_packages $APP_PACKAGES
    setup_python
    "$PY" manage.py migrate -v0
    "$PY" manage.py seed_demo
    "$PY" manage.py collectstatic --noinput -v0
    PORT="${PORT:-8000}"
    export SITE_URL="${SITE_URL:-http://127.0.0.1:$PORT}"
    "$PY" manage.py qcluster >/dev/null 2>&1 &
    worker=$!
    trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
    cat <<INFO

  National KOL Conference is running.
    Public site:        $SITE_URL/
    Demo conference:    $SITE_URL/e/kol-2027/
    Agenda / builder:   $SITE_URL/e/kol-2027/agenda/   $SITE_URL/e/kol-2027/agenda/builder/
    Organizer admin:    $SITE_URL/admin/   (bantochuc / demo-bantochuc)
    Door staff login:   soatve / demo-soatve;  door supervisor: truongcua / demo-truongcua
    API docs:           $SITE_URL/api/v1/docs
    Invitation codes:   regulators QUANLY2027, platforms NENTANG2027
    Outgoing e-mail:    files in .data/mail/
  Stop with Ctrl+C.

INFO
    "$VENV/bin/gunicorn" conference.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --access-logfile -
    ;;
  test)
    install_system_packages $APP_PACKAGES $TEST_PACKAGES
    setup_python
    shift
    "$PY" -m pytest "$@"
    ;;
  bench)
    install_system_packages $APP_PACKAGES
    setup_python
    shift
    "$PY" bench/run.py "$@"
    ;;
  *)
    echo "usage: bash run.sh start | test [pytest args] | bench" >&2
    exit 2
    ;;
esac
