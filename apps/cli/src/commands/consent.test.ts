import { describe, expect, it } from 'vitest';
import { conversationOf, runCli, useEmulators } from '../test-helpers.js';

const { emu, env } = useEmulators({ customers: 10 });

/** Seed customer 6's Cognigy profile has `prevent_data_collection: true`. */
const CONSENTED_OUT = 6;
const cognigyWrites = () =>
  emu()
    .cognigy.log.list()
    .filter((r) => r.method !== 'GET');

describe('consent (Cognigy.AI prevent_data_collection)', () => {
  it('skips the profile with reason consent, writes nothing to it, and exits 0 (--json)', async () => {
    const c = emu().seed.customers[CONSENTED_OUT]!;
    const before = structuredClone({ ...emu().state.cognigy.profiles.get(c.cognigyProfileId!)!.profile });
    const run = await runCli(['sync', 'conversation', conversationOf(emu(), CONSENTED_OUT), '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    const cg = run.json.targets.find((t: { target: string }) => t.target === 'cognigy');
    expect(cg).toMatchObject({
      outcome: 'skipped',
      reason: 'consent',
      customerId: c.cognigyProfileId,
      written: {},
    });
    expect(run.json.targets.find((t: { target: string }) => t.target === 'cxone').outcome).toBe('updated');
    expect(cognigyWrites()).toEqual([]);
    expect({ ...emu().state.cognigy.profiles.get(c.cognigyProfileId!)!.profile }).toEqual(before);
  });

  it('says so in the text report', async () => {
    const run = await runCli(
      ['sync', 'conversation', conversationOf(emu(), CONSENTED_OUT), '--target', 'cognigy'],
      env(),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /Cognigy\.AI [0-9a-f]{24}: skipped — consent: the profile asks that no data be collected/,
    );
  });

  it('writes it with COGNIGY_IGNORE_CONSENT=true', async () => {
    const run = await runCli(
      ['sync', 'conversation', conversationOf(emu(), CONSENTED_OUT), '--target', 'cognigy', '--json'],
      { ...env(), COGNIGY_IGNORE_CONSENT: 'true' },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.targets[0]).toMatchObject({ target: 'cognigy', outcome: 'updated' });
    expect(cognigyWrites()).toHaveLength(1);
  });

  it('counts it as skipped in a back-fill, and exits 0', async () => {
    emu().state.genesys.setWatermark('2026-11-03T00:00:00Z');
    const interval = ['--since', '2026-09-01T00:00:00.000Z', '--until', '2026-11-02T00:00:00.000Z'];
    const run = await runCli(['backfill', ...interval, '--target', 'cognigy', '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.outcomes).toMatchObject({ skipped: 1, failed: 0 });
    const text = await runCli(['backfill', ...interval, '--target', 'cognigy'], env());
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/skipped 1, not found 0, failed 0/);
    expect(
      cognigyWrites().filter((r) => r.path.includes(emu().seed.customers[CONSENTED_OUT]!.cognigyProfileId!)),
    ).toEqual([]);
  });
});
