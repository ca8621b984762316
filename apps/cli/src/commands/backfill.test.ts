import { latestAttributes } from '@cx-profile-sync/emulators';
import { describe, expect, it } from 'vitest';
import { runCli, useEmulators } from '../test-helpers.js';

const { emu, env } = useEmulators({ customers: 30, conversationsPerCustomer: 2 });

describe('backfill', () => {
  it('syncs every customer of an interval with one analytics job, then finds nothing to change', async () => {
    const { seed } = emu();
    const run = await runCli(
      ['backfill', '--since', '2026-09-01T00:00:00Z', '--until', '2026-11-02T00:00:00Z', '--json'],
      env(),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.conversations).toBe(60);
    expect(run.json.outcomes.failed).toBe(0);
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
    const again = await runCli(
      ['backfill', '--since', '2026-09-01T00:00:00Z', '--until', '2026-11-02T00:00:00Z', '--json'],
      env(),
    );
    expect(again.json.outcomes.updated).toBe(0);
    expect(
      emu()
        .cxone.log.list()
        .filter((r) => r.method === 'PUT'),
    ).toEqual([]);
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
