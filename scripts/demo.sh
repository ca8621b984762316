#!/usr/bin/env bash
# The README's first command: installs what it needs, builds, then starts the emulators, a local
# Temporal server and a worker, back-fills the sample conversations with progress while it runs, and
# prints a summary. (The one-process demo without Temporal: pnpm --silent cli demo.)
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
cd "$CX_ROOT"
bash scripts/install.sh >&2
pnpm exec turbo run build --output-logs=errors-only >&2
# Again: install.sh may just have installed the Temporal CLI that toolchain.sh points TEMPORAL_CLI_PATH at.
source scripts/toolchain.sh
exec node apps/temporal-worker/dist/main.js demo "$@"
