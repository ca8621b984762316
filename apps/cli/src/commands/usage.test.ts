import { describe, expect, it } from 'vitest';
import { runCli } from '../test-helpers.js';

// No platform is configured or called: each command line is refused before any configuration is read,
// so the usage text (not a configuration error, also exit 2) proves which check refused it.
const NO_CONFIGURATION = {};

/** Exit status 2, the problem on stderr followed by the usage text, nothing on stdout. */
async function expectUsageError(args: string[], problem: RegExp) {
  const run = await runCli(args, NO_CONFIGURATION);
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).toMatch(problem);
  expect(run.stderr).toContain('Usage: cx-profile-sync <command>');
  expect(run.stdout).toBe('');
}

describe('usage errors (exit 2 and the usage text)', () => {
  it('an unknown option of sync', async () => {
    await expectUsageError(['sync', 'conversation', 'X', '--bogus'], /Unknown option '--bogus'/);
  });

  it('an unknown option of backfill', async () => {
    await expectUsageError(['backfill', '--nope'], /Unknown option '--nope'/);
  });

  it('an unknown option of check', async () => {
    await expectUsageError(['check', '--nope'], /Unknown option '--nope'/);
  });

  it('an option without its value, and a stray argument', async () => {
    await expectUsageError(['sync', 'conversation', 'X', '--mapping'], /Option '--mapping <value>'/);
    await expectUsageError(['check', 'everything'], /Unexpected argument 'everything'/);
  });

  it('a backfill date that is missing or not an ISO date-time', async () => {
    await expectUsageError(['backfill', '--until', '2026-11-02T00:00:00Z'], /backfill needs --since/);
    await expectUsageError(
      ['backfill', '--since', 'yesterday', '--until', '2026-11-02T00:00:00Z'],
      /--since is not an ISO date-time: "yesterday"/,
    );
  });
});
