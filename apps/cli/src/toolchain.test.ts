import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// scripts/toolchain.sh is sourced by users in their interactive shells (README), where a `set -e`
// left behind would close the terminal on the first failing command, e.g. a CLI exit status 2.
const TOOLCHAIN = fileURLToPath(new URL('../../../scripts/toolchain.sh', import.meta.url));

/** The options a sourced script could leave changed, one `name on|off` line each. */
const SHOW_OPTIONS = `set -o | grep -E '^(errexit|nounset|pipefail)[[:space:]]'; shopt -p`;

/** Runs `setup`, sources the toolchain, and prints the options before and after it and its status. */
function sourceToolchain(setup: string, env: Record<string, string> = {}) {
  // Printed directly: a command substitution would not show errexit (bash turns it off in there).
  const script = `${setup}
${SHOW_OPTIONS}
echo ===
source "$1"
status=$?
${SHOW_OPTIONS}
echo ===
echo "status $status"`;
  const run = spawnSync('bash', ['-c', script, 'bash', TOOLCHAIN], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  const [before, after, status] = run.stdout.split('===\n');
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, before, after, status: status?.trim() };
}

/** A cache folder that cannot be created, so that the toolchain's first install step fails. */
const UNUSABLE_CACHE = { CX_CACHE: '/dev/null/cx-profile-sync' };

describe('scripts/toolchain.sh', () => {
  it('leaves a shell’s options as they were: an interactive shell does not start exiting on errors', () => {
    const run = sourceToolchain('');
    expect(run.status, run.stderr).toBe('status 0');
    expect(run.before).toMatch(/^errexit\s+off$/m);
    expect(run.after).toBe(run.before);
  });

  it('leaves a strict script’s options as they were too', () => {
    const run = sourceToolchain('set -euo pipefail');
    expect(run.status, run.stderr).toBe('status 0');
    expect(run.before).toMatch(/^errexit\s+on$/m);
    expect(run.after).toBe(run.before);
  });

  it('reports a failing step with status 1 and leaves an interactive shell running, options unchanged', () => {
    const run = sourceToolchain('', UNUSABLE_CACHE);
    expect(run.code).toBe(0);
    expect(run.status).toBe('status 1');
    expect(run.after).toBe(run.before);
  });

  it('stops a script that runs with set -e at a failing step, as scripts/*.sh rely on', () => {
    const run = spawnSync('bash', ['-c', 'set -euo pipefail; source "$1"; echo went on', 'bash', TOOLCHAIN], {
      encoding: 'utf8',
      env: { ...process.env, ...UNUSABLE_CACHE },
    });
    expect(run.status).not.toBe(0);
    expect(run.stdout).not.toContain('went on');
  });
});
