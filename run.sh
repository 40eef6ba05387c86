#!/usr/bin/env bash
# One entry point for a fresh Debian/Ubuntu machine with Python 3.11+:
#   bash run.sh start   set up, seed the demo and start the web server + job worker
#   bash run.sh test    set up and run the whole test suite
#   bash run.sh lint    check the floors (import-linter) and the lint (ruff check, ruff format --check;
#                       ESLint on static/ from the npm packages pinned in package-lock.json)
#   bash run.sh bench   set up and run the benchmark (prints a table; --quick: small counts, as CI runs it;
#                       --json FILE: also keep the results; scenario names to run only those)
set -euo pipefail
cd "$(dirname "$0")"

VENV=.venv
PY="$VENV/bin/python"
# System packages: Pango for WeasyPrint, a font with every Vietnamese glyph,
# gettext for the translation catalogs, poppler-utils (pdfunite joins the
# parts of a badge print job); tests add Chromium.
APP_PACKAGES="python3-venv libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext poppler-utils"
TEST_PACKAGES="chromium cups cups-pdf poppler-utils"
# Node runs only the linter of static/ (ESLint); the site needs none. Debian's nodejs (18 on
# bookworm) is enough; a machine that has node already (NodeSource, nvm) keeps its own.
LINT_PACKAGES="nodejs npm"

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

setup_node() {
  command -v node >/dev/null && command -v npm >/dev/null || install_system_packages $LINT_PACKAGES
  # Reinstall only when package-lock.json changed since the last install (or node_modules is gone).
  local stamp="node_modules/.package-lock.sha256"
  local want; want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    npm ci --no-audit --no-fund --loglevel=error
    echo "$want" > "$stamp"
  fi
}

case "${1:-}" in
  start)
    install_system_packages $APP_PACKAGES
    setup_python
    if [ -z "${VIETQR_BANK_BIN:-}" ]; then
      # A made-up receiving account (no bank has BIN 970000), so the bank transfer option shows;
      # the order page and e-mail say not to pay. Set VIETQR_* for a real account.
      export VIETQR_DEMO=1 VIETQR_BANK_BIN=970000 VIETQR_ACCOUNT=DEMO000000 \
        VIETQR_ACCOUNT_NAME="TAI KHOAN DEMO" VIETQR_BANK_NAME="Ngân hàng demo (không có thật)"
    fi
    "$PY" manage.py migrate -v0
    "$PY" manage.py seed_demo
    "$PY" manage.py collectstatic --noinput -v0
    PORT="${PORT:-8000}"
    export SITE_URL="${SITE_URL:-http://127.0.0.1:$PORT}"
    # The job worker and the web server each get a process group of their own (setsid), so stopping
    # reaches their children too; background jobs of a script ignore Ctrl+C, so the trap stops them.
    setsid "$PY" manage.py qcluster >/dev/null 2>&1 &
    worker=$!
    web=""
    stop() {
      trap - EXIT INT TERM
      for group in $web $worker; do kill -TERM -- "-$group" 2>/dev/null || true; done
      for _ in $(seq 50); do  # up to 5 s for a clean stop, then no more waiting
        alive=""
        for group in $web $worker; do kill -0 -- "-$group" 2>/dev/null && alive=1; done
        [ -z "$alive" ] && break
        sleep 0.1
      done
      for group in $web $worker; do kill -KILL -- "-$group" 2>/dev/null || true; done
    }
    trap 'stop; exit 130' INT
    trap 'stop; exit 143' TERM
    trap stop EXIT
    cat <<INFO

  National KOL Conference is running.
    Public site:        $SITE_URL/
    Demo conference:    $SITE_URL/e/kol-2027/
    Agenda / builder:   $SITE_URL/e/kol-2027/agenda/   $SITE_URL/e/kol-2027/agenda/builder/
    Staff sign-in:      $SITE_URL/staff/   (every staff role; phones pair at $SITE_URL/staff/pair/)
      organizer bantochuc / demo-bantochuc (also $SITE_URL/admin/)
      door staff soatve / demo-soatve;  door supervisor truongcua / demo-truongcua
    Door rehearsal:     $SITE_URL/e/dien-tap/   (doors open today: sign in as soatve, pick a gate, scan)
      a demo badge to scan: ${DATA_DIR:-.data}/demo/the-dien-tap.pdf (open it on a phone or print it),
      or search "Hang" by name; its holder's kiosk signing PIN is printed by seed_demo above
    API docs:           $SITE_URL/api/v1/docs
    Invitation codes:   regulators QUANLY2027, platforms NENTANG2027
    Outgoing e-mail:    files in ${DATA_DIR:-.data}/mail/
    Payments:           bank transfer to a DEMO account (do not pay); card needs STRIPE_* test keys
  Stop with Ctrl+C.

INFO
    setsid "$VENV/bin/gunicorn" conference.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 \
      --access-logfile - --logger-class conference.accesslog.RedactingLogger &
    web=$!
    wait "$web"
    ;;
  test)
    install_system_packages $APP_PACKAGES $TEST_PACKAGES
    setup_python
    shift
    "$PY" -m pytest "$@"
    ;;
  lint)
    # The floors (import-linter contracts in pyproject.toml) and ruff's lint and format, configured
    # there too, then ESLint on static/ (eslint.config.js); CI runs this before the suites.
    install_system_packages $APP_PACKAGES
    setup_python
    "$VENV/bin/lint-imports"
    "$VENV/bin/ruff" check .
    "$VENV/bin/ruff" format --check .
    setup_node
    npx --no-install eslint static
    ;;
  bench)
    # Chromium for the offline-verify scenario (the scanner page's JavaScript in a real browser).
    install_system_packages $APP_PACKAGES $TEST_PACKAGES
    setup_python
    shift
    "$PY" bench/run.py "$@"
    ;;
  *)
    echo "usage: bash run.sh start | test [pytest args] | lint | bench [--quick] [--json FILE] [scenario ...]" >&2
    exit 2
    ;;
esac
