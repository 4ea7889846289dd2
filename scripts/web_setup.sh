#!/usr/bin/env bash
# Set up what the web chat widget needs; safe to run again (does nothing when all is there).
#   - web/node_modules from web/package-lock.json (npm ci) when missing or older than the lock file;
#   - Debian's chromium (/usr/bin/chromium) for the browser tests in tests/web.
# Called by `make run` and `make test`. BW_SKIP_CHROMIUM=1 skips the browser (e.g. `make run`).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ] \
   || [ ! -e web/node_modules/.package-lock.json ]; then
    command -v npm >/dev/null || { echo "web_setup: npm ontbreekt (Node 18+ nodig voor de chatwidget)" >&2; exit 1; }
    echo "web_setup: npm ci --prefix web"
    npm ci --prefix web --no-audit --no-fund --loglevel=error
    touch web/node_modules/.package-lock.json
fi

if [ "${BW_SKIP_CHROMIUM:-0}" != "1" ] && [ ! -x /usr/bin/chromium ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "web_setup: /usr/bin/chromium ontbreekt; installeer als root: apt-get install -y chromium" >&2; exit 1; }
        SUDO="sudo"
    fi
    echo "web_setup: apt-get install chromium"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
