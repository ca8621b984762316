#!/usr/bin/env bash
# The second demo: live sync. Installs and builds what it needs (as demo.sh does), then runs the CLI's
# live demo: the emulated Genesys Cloud sends events to the intake, and the NICE profiles follow.
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
cd "$CX_ROOT"
bash scripts/install.sh >&2
pnpm exec turbo run build --output-logs=errors-only >&2
exec node apps/cli/dist/main.js demo --live "$@"
