import { latestAttributes } from '@cx-profile-sync/emulators';
import { describe, expect, it } from 'vitest';
import { runCli, useEmulators } from '../test-helpers.js';

const { emu, env } = useEmulators({ customers: 30, conversationsPerCustomer: 2 });

const SINCE = '2026-09-01T00:00:00.000Z';
const UNTIL = '2026-11-02T00:00:00.000Z';

describe('backfill', () => {
  it('syncs every customer of an interval with one analytics job, then finds nothing to change', async () => {
    const { seed } = emu();
    // The whole window is available: the watermark is after it.
    emu().state.genesys.setWatermark('2026-11-03T00:00:00Z');
    const run = await runCli(['backfill', '--since', SINCE, '--until', UNTIL, '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.conversations).toBe(60);
    expect(run.json.outcomes.failed).toBe(0);
    expect(run.json.coveredUntil).toBe(UNTIL);
    expect(run.json.remaining).toBeUndefined();
    // One read of Genesys per 1,000 conversations, not one per conversation.
    const conversationReads = emu()
      .genesys.log.list()
      .filter((r) => r.path.startsWith('/api/v2/conversations/'));
    expect(conversationReads).toEqual([]);
    // Each CXone customer holds its latest conversation's text values exactly.
    for (const c of seed.customers) {
      if (!c.cxoneCustomerId) continue;
      const stored = emu().state.cxone.customers.get(c.cxoneCustomerId)!.customFields;
      const attrs = latestAttributes(seed, c.index);
      expect(stored.get('account_number')?.value, `customer ${c.index}`).toBe(attrs.account_number);
      expect(stored.get('promo_code')?.value).toBe(attrs.promo_code);
    }
    emu().cxone.log.clear();
    const again = await runCli(['backfill', '--since', SINCE, '--until', UNTIL, '--json'], env());
    expect(again.json.outcomes.updated).toBe(0);
    expect(
      emu()
        .cxone.log.list()
        .filter((r) => r.method === 'PUT'),
    ).toEqual([]);
  });

  it("stops at Genesys Cloud's analytics watermark, exits 7, and a later run syncs the rest once", async () => {
    const { seed } = emu();
    const conversations = seed.genesys.conversations;
    // The seed's watermark leaves its two most recent conversations out.
    const watermark = seed.genesys.dataAvailabilityDate!;
    expect(watermark).toBe(conversations.at(-2)!.startTime);
    const first = await runCli(['backfill', '--since', SINCE, '--until', UNTIL, '--json'], env());
    expect(first.code, first.stderr).toBe(7);
    expect(first.json).toMatchObject({
      conversations: 58,
      coveredUntil: watermark,
      remaining: { since: watermark, until: UNTIL },
    });
    expect(first.json.outcomes.failed).toBe(0);
    const text = await runCli(['backfill', '--since', watermark, '--until', UNTIL], env());
    expect(text.code).toBe(7);
    expect(text.stdout).toContain(
      `Genesys Cloud's analytics data reaches ${watermark}: conversations after it were not synced; run again later for the rest (${watermark}/${UNTIL})`,
    );

    // The data lake catches up (the admin route moves the watermark); the rest is synced.
    const moved = await fetch(`${emu().urls.genesys.apiUrl}/__admin/watermark`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ date: '2026-11-03T00:00:00Z' }),
    });
    expect(moved.status).toBe(200);
    const rest = await runCli(
      ['backfill', '--since', first.json.remaining.since, '--until', first.json.remaining.until, '--json'],
      env(),
    );
    expect(rest.code, rest.stderr).toBe(0);
    expect(rest.json).toMatchObject({ conversations: 2, coveredUntil: UNTIL });
    expect(rest.json.remaining).toBeUndefined();

    // Every conversation in exactly one job that was read: the first run's and the last's.
    const jobs = [...emu().state.genesys.jobs.values()].filter((j) => j.conversationIds.length > 0);
    expect(jobs.flatMap((j) => j.conversationIds)).toEqual(conversations.map((c) => c.id));
    // Each CXone customer was written once per run that had a conversation of theirs with new values,
    // and ends with its latest conversation's values.
    const late = new Set(conversations.slice(-2).map((c) => c.customerIndex));
    const puts = new Map<string, number>();
    for (const r of emu().cxone.log.list())
      if (r.method === 'PUT') puts.set(r.path.split('/')[4]!, (puts.get(r.path.split('/')[4]!) ?? 0) + 1);
    for (const c of seed.customers) {
      if (!c.cxoneCustomerId) continue;
      expect(puts.get(c.cxoneCustomerId), `customer ${c.index}`).toBe(late.has(c.index) ? 2 : 1);
      const stored = emu().state.cxone.customers.get(c.cxoneCustomerId)!.customFields;
      expect(stored.get('account_number')?.value, `customer ${c.index}`).toBe(
        latestAttributes(seed, c.index).account_number,
      );
    }
  });

  it('refuses a reversed interval', async () => {
    const run = await runCli(
      ['backfill', '--since', '2026-11-02T00:00:00Z', '--until', '2026-09-01T00:00:00Z'],
      env(),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--since must be before --until/);
  });
});
