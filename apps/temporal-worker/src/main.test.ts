import { describe, expect, it } from 'vitest';
import { runWorkerCommand } from './worker-process.js';

// The built command line, with no configuration at all: every case here fails before it connects.
const run = (...args: string[]) => runWorkerCommand(args, {});

describe('the command line’s usage errors', () => {
  it('exits 2 with the usage for an unknown option, a missing option value and a stray positional', async () => {
    const cases = await Promise.all([
      run('sync', 'conversation', 'c-1', '--bogus'),
      run('backfill', '--since'),
      run('backfill', '--since', '2026-11-01', '--until', '2026-11-02', 'stray'),
      run('status', '--json'),
      run('schedule', 'list', '--every'),
    ]);
    for (const r of cases) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^cx-profile-sync-worker: /);
      expect(r.stderr).toContain('Usage: pnpm --silent worker <command>');
    }
    expect(cases[0]!.stderr).toContain("Unknown option '--bogus'");
    expect(cases[1]!.stderr).toContain("Option '--since <value>' argument missing");
    expect(cases[2]!.stderr).toContain('unexpected arguments: stray');
  });

  it('exits 2 for an unknown command, a bad target and no command; 0 for help', async () => {
    const [unknown, target, none, help] = await Promise.all([
      run('frobnicate'),
      run('sync', 'conversation', 'c-1', '--target', 'salesforce'),
      run(),
      run('help'),
    ]);
    expect(unknown).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command "frobnicate"'),
    });
    expect(target).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--target must be cxone, cognigy or all, got "salesforce"'),
    });
    expect(none.code).toBe(2);
    expect(help.code).toBe(0);
    for (const out of [none.stdout, help.stdout]) {
      expect(out).toContain('[--target cxone|cognigy|all]');
      expect(out).toContain('TEMPORAL_{GENESYS,CXONE,COGNIGY}_ACTIVITIES_PER_SECOND');
      expect(out).not.toContain('bench');
    }
  });
});
