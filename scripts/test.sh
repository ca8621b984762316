#!/usr/bin/env bash
# The README's test command: installs what it needs, then builds, lints, type-checks and tests every
# package, and ends with one line "N passed, N failed" summed over all packages.
# Fail fast until the tests run (toolchain.sh leaves the shell's options as they are).
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
cd "$CX_ROOT"
bash scripts/install.sh --with-n8n
# Again: the install may have just put the Temporal CLI in place.
source scripts/toolchain.sh
set +e
rm -f packages/*/test-results.json apps/*/test-results.json bench/test-results.json
pnpm exec turbo run build lint typecheck test --continue --output-logs=new-only
status=$?
node scripts/count-tests.mjs
count_status=$?
if [ $status -ne 0 ] || [ $count_status -ne 0 ]; then exit 1; fi
