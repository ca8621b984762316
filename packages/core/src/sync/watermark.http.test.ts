import { type Emulators, emulatorEnv, startEmulators } from '@cx-profile-sync/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyncServices, type SyncServices } from '../compose.js';
import { loadConfig } from '../config.js';
import { backfill } from './backfill.js';

let emu: Emulators;
let services: SyncServices;

beforeAll(async () => {
  emu = await startEmulators({ customers: 40, genesys: { jobDelayMs: 20 } });
  services = createSyncServices(loadConfig(emulatorEnv(emu.urls)));
});
afterAll(async () => {
  services?.close();
  await emu?.stop();
});

/** CXone custom-field writes per CXone customer id, from the emulator's request log. */
function cxoneWrites(e: Emulators): Map<string, number> {
  const writes = new Map<string, number>();
  for (const r of e.cxone.log.list()) {
    const m = /^\/dfo\/3\.0\/customers\/([^/]+)\/custom-fields$/.exec(r.path);
    if (r.method === 'PUT' && m) writes.set(m[1]!, (writes.get(m[1]!) ?? 0) + 1);
  }
  return writes;
}

describe('back-fill against the analytics data watermark, over HTTP', () => {
  it('covers up to the watermark, says what is left, and a later run syncs the rest exactly once', async () => {
    const { seed } = emu;
    const conversations = seed.genesys.conversations;
    const since = new Date(
      Date.parse(seed.options.conversationsEnd) - seed.options.days * 86_400_000,
    ).toISOString();
    const until = new Date(seed.options.conversationsEnd).toISOString();
    // The data lake reaches the start of the fifth most recent conversation: five wait.
    const watermark = conversations.at(-5)!.startTime;
    emu.state.genesys.setWatermark(watermark);

    const first = await backfill(services, { interval: { start: since, end: until }, targets: 'cxone' });
    expect(first.conversations).toBe(conversations.length - 5);
    expect(first.coveredUntil).toBe(watermark);
    expect(first.remaining).toEqual({ since: watermark, until });
    expect(first.outcomes.failed).toBe(0);
    // The job was submitted for [since, watermark), not for the whole window.
    const submitted = emu.genesys.log
      .list()
      .filter((r) => r.method === 'POST' && r.path.endsWith('/details/jobs'));
    expect(submitted.map((r) => (r.body as { interval: string }).interval)).toEqual([
      `${since}/${watermark}`,
    ]);
    const late = new Set(conversations.slice(-5).map((c) => c.customerIndex));
    for (const i of late) {
      const id = seed.customers[i]!.cxoneCustomerId;
      if (id) expect(cxoneWrites(emu).get(id), `customer ${i}`).toBeUndefined();
    }

    // Nothing new available yet: the rest covers nothing and still says so.
    const early = await backfill(services, {
      interval: { start: first.remaining!.since, end: until },
      targets: 'cxone',
    });
    expect(early).toMatchObject({
      conversations: 0,
      coveredUntil: watermark,
      remaining: { since: watermark, until },
    });

    // The data lake catches up: the rest is synced.
    emu.state.genesys.setWatermark(new Date(Date.parse(until) + 3_600_000).toISOString());
    const second = await backfill(services, {
      interval: { start: first.remaining!.since, end: first.remaining!.until },
      targets: 'cxone',
    });
    expect(second.conversations).toBe(5);
    expect(second.coveredUntil).toBe(until);
    expect(second.remaining).toBeUndefined();

    // Every conversation was in exactly one job, and every CXone customer was written exactly once.
    const jobbed = [...emu.state.genesys.jobs.values()].flatMap((j) => j.conversationIds);
    expect(jobbed).toEqual(conversations.map((c) => c.id));
    const writes = cxoneWrites(emu);
    for (const c of seed.customers) {
      if (c.cxoneCustomerId) expect(writes.get(c.cxoneCustomerId), `customer ${c.index}`).toBe(1);
    }
    expect(first.customers + second.customers).toBe(seed.customers.length);
  });
});
