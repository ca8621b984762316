#!/usr/bin/env bash
# The README's first command: installs what it needs, builds, starts the emulators and syncs their
# sample customers with the CLI, printing a line per customer and a summary.
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
cd "$CX_ROOT"
bash scripts/install.sh >&2
pnpm exec turbo run build --output-logs=errors-only >&2
exec node apps/cli/dist/main.js demo "$@"
