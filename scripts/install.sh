#!/usr/bin/env bash
# Installs the workspace's dependencies exactly as locked, and the external programs the tests use
# (a Temporal server binary, n8n) once those are needed. Safe to run again.
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
cd "$CX_ROOT"
pnpm install --frozen-lockfile --reporter=append-only 2>&1 | tail -n 5
