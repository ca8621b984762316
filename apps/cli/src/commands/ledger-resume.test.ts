// biome-ignore-all lint/style/noNonNullAssertion: seed data is known to be there
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, useEmulators } from '../test-helpers.js';

// Pages of 10 conversations, one conversation a customer: a back-fill of several pages.
const { emu, env } = useEmulators({ customers: 30, genesys: { resultsPageSize: 10 } });

const SINCE = '2026-09-01T00:00:00.000Z';
const UNTIL = '2026-11-02T00:00:00.000Z';
const BACKFILL = ['backfill', '--since', SINCE, '--until', UNTIL, '--json'];
const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

describe('the ledger', () => {
  it('a back-fill interrupted mid-way resumes at the page after the last one done', async () => {
    // A slow CXone makes the first run long enough to be stopped after its first page.
    emu().state.genesys.setWatermark('2026-11-03T00:00:00Z');
    const vars = env();
    emu().cxone.faults.add({ path: '/dfo/3.0/customers/**', fault: { kind: 'delay', ms: 150 } });
    const child = spawn(process.execPath, [MAIN, ...BACKFILL.filter((a) => a !== '--json')], {
      env: { PATH: process.env.PATH ?? '', ...vars },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        if (/pages 1,/.test(stderr)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('close', () => reject(new Error(`the back-fill ended before its first page: ${stderr}`)));
    });
    emu().cxone.faults.clear();
    const resumed = await runCli(
      BACKFILL.filter((a) => a !== '--json'),
      vars,
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/Resumed an interrupted run of this window at page 2\./);
    // The resumed run counted on from the first run's page: every conversation once.
    expect(resumed.stdout).toMatch(/pages 3, conversations 30,/);
    // Done: a run again is a new run of the window (nothing to resume), and nothing to write.
    const again = await runCli(BACKFILL, vars);
    expect(again.json.resumedAtPage).toBeUndefined();
    expect(again.json.conversations).toBe(30);
    expect(again.json.outcomes.updated).toBe(0);
  });
});
