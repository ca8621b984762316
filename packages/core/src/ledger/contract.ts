/**
 * What every ledger backend must do, as one suite that each backend's test runs against itself
 * (SQLite, PostgreSQL). Not a test file: `ledgerContract` is called from `<backend>.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { digestFields, digestMapping, digestSchema } from './digest.js';
import type { LedgerStore } from './store.js';

export const success = {
  customerKey: 'c1',
  target: 'cxone',
  recordId: 'R-1',
  fields: digestFields({ tier: 'gold', score: 3 }),
  mappingDigest: digestMapping({ tier: 'Tier' }),
  schemaDigest: digestSchema({ Tier: 'string' }),
  outcome: 'updated' as const,
  at: '2026-01-01T00:00:00.000Z',
};

export const failure = (at: string, retryable = true) => ({
  customerKey: 'c1',
  target: 'cxone',
  kind: retryable ? ('transient' as const) : ('validation' as const),
  message: retryable ? 'HTTP 503' : 'Tier: too long',
  retryable,
  at,
});

/**
 * `open` gives a connection to one fresh, empty ledger for the current test (called twice in a test,
 * two connections to the same ledger); the caller closes them after each test.
 */
export function ledgerContract(name: string, open: () => Promise<LedgerStore>): void {
  describe(`${name}: the ledger contract`, () => {
    it('round-trips a success', async () => {
      const l = await open();
      expect(await l.get('c1', 'cxone')).toBeUndefined();
      await l.recordSuccess({
        ...success,
        identity: { phone: '+447900000001', email: 'Ann@Example.com' },
        source: { kind: 'conversation', id: 'conv-1' },
        verified: true,
      });
      expect(await l.get('c1', 'cxone')).toEqual({
        customerKey: 'c1',
        target: 'cxone',
        identity: { phone: '+447900000001', email: 'ann@example.com' },
        source: { kind: 'conversation', id: 'conv-1' },
        recordId: 'R-1',
        fields: success.fields,
        mappingDigest: success.mappingDigest,
        schemaDigest: success.schemaDigest,
        outcome: 'updated',
        attempts: 0,
        firstAt: success.at,
        updatedAt: success.at,
        lastSuccessAt: success.at,
        verifiedAt: success.at,
      });
      expect(await l.get('c1', 'cognigy')).toBeUndefined();
    });

    it('merges field digests, keeps a known record id, identity and verify time, and counts attempts until a success', async () => {
      const l = await open();
      await l.recordSuccess({ ...success, verified: true, identity: { phone: '+1' } });
      await l.recordFailure(failure('2026-01-02T00:00:00.000Z'));
      await l.recordFailure(failure('2026-01-03T00:00:00.000Z', false));
      let e = await l.get('c1', 'cxone');
      expect(e).toMatchObject({
        outcome: 'failed',
        attempts: 2,
        recordId: 'R-1',
        fields: success.fields,
        error: { kind: 'validation', message: 'Tier: too long', retryable: false },
        lastSuccessAt: success.at,
        updatedAt: '2026-01-03T00:00:00.000Z',
      });
      const tier = digestFields({ tier: 'platinum' });
      await l.recordSuccess({
        ...success,
        recordId: undefined,
        fields: tier,
        outcome: 'updated',
        at: '2026-01-04T00:00:00.000Z',
      });
      e = await l.get('c1', 'cxone');
      expect(e).toMatchObject({
        outcome: 'updated',
        attempts: 0,
        recordId: 'R-1',
        firstAt: success.at,
        verifiedAt: success.at,
        identity: { phone: '+1' },
      });
      expect(e?.error).toBeUndefined();
      expect(e?.fields).toEqual({ ...success.fields, ...tier });
    });

    it('a first failure creates the entry with one attempt, no record id, and where to read the customer again', async () => {
      const l = await open();
      await l.recordFailure({
        ...failure('2026-01-02T00:00:00.000Z'),
        source: { kind: 'conversation', id: 'conv-9' },
      });
      const e = await l.get('c1', 'cxone');
      expect(e).toMatchObject({ outcome: 'failed', attempts: 1, fields: {}, source: { id: 'conv-9' } });
      expect(e?.recordId).toBeUndefined();
    });

    it('lists the entries whose last outcome is a retryable failure, by target, oldest first', async () => {
      const l = await open();
      await l.recordFailure({ ...failure('2026-01-02T00:00:00.000Z'), customerKey: 'a' });
      await l.recordFailure({ ...failure('2026-01-01T00:00:00.000Z'), customerKey: 'b', target: 'cognigy' });
      await l.recordFailure({ ...failure('2026-01-01T00:00:00.000Z', false), customerKey: 'c' });
      await l.recordFailure({ ...failure('2026-01-01T00:00:00.000Z'), customerKey: 'd' });
      await l.recordSuccess({ ...success, customerKey: 'd', at: '2026-01-05T00:00:00.000Z' });
      const keys = (entries: { customerKey: string; target: string }[]) =>
        entries.map((e) => `${e.customerKey}/${e.target}`);
      expect(keys(await l.retryable())).toEqual(['b/cognigy', 'a/cxone']);
      expect(keys(await l.retryable('cxone'))).toEqual(['a/cxone']);
      expect(keys(await l.retryable('nowhere'))).toEqual([]);
    });

    it('keeps a history per customer, newest first, found by key, phone or e-mail', async () => {
      const l = await open();
      const identity = { phone: '+447900000001', email: 'ann@example.com' };
      await l.recordSuccess({ ...success, identity, written: ['Tier', 'Score'] });
      await l.recordFailure({ ...failure('2026-01-02T00:00:00.000Z'), identity });
      await l.recordSuccess({
        ...success,
        target: 'cognigy',
        recordId: 'P-9',
        written: [],
        at: '2026-01-02T00:00:00.000Z',
      });
      await l.recordSuccess({ ...success, customerKey: 'other' });
      const expected = [
        {
          customerKey: 'c1',
          target: 'cognigy',
          at: '2026-01-02T00:00:00.000Z',
          event: 'success',
          outcome: 'updated',
          recordId: 'P-9',
          fields: [],
        },
        {
          customerKey: 'c1',
          target: 'cxone',
          at: '2026-01-02T00:00:00.000Z',
          event: 'failure',
          outcome: 'failed',
          error: { kind: 'transient', message: 'HTTP 503', retryable: true },
        },
        {
          customerKey: 'c1',
          target: 'cxone',
          at: success.at,
          event: 'success',
          outcome: 'updated',
          recordId: 'R-1',
          fields: ['Tier', 'Score'],
        },
      ];
      expect(await l.history('c1')).toEqual(expected);
      expect(await l.history('+447900000001')).toEqual(expected);
      expect(await l.history('ANN@example.com')).toEqual(expected);
      expect(await l.history('nobody')).toEqual([]);
    });

    it('forgets a record id and the digests that described the record', async () => {
      const l = await open();
      await l.recordSuccess(success);
      await l.forgetRecordId('c1', 'cxone');
      await l.forgetRecordId('c1', 'cognigy'); // nothing known: no event
      const e = await l.get('c1', 'cxone');
      expect(e?.recordId).toBeUndefined();
      expect(e?.mappingDigest).toBeUndefined();
      expect(e?.fields).toEqual({});
      expect(e?.outcome).toBe('updated');
      expect((await l.history('c1')).map((h) => h.event)).toEqual(['forget-record-id', 'success']);
    });

    it('records and replaces windows', async () => {
      const l = await open();
      const w = { id: 'backfill-1', since: '2026-01-01T00:00:00Z', until: '2026-01-08T00:00:00Z', pages: 0 };
      expect(await l.window('backfill-1')).toBeUndefined();
      await l.recordWindow(w);
      expect(await l.window('backfill-1')).toEqual(w);
      const next = { ...w, pages: 3, coveredUntil: '2026-01-05T00:00:00Z', resume: '{"page":4}' };
      await l.recordWindow(next);
      expect(await l.window('backfill-1')).toEqual(next);
    });

    it('resets one target or all, keeping the history', async () => {
      const l = await open();
      await l.recordSuccess(success);
      await l.recordSuccess({ ...success, target: 'cognigy' });
      await l.recordSuccess({ ...success, customerKey: 'c2' });
      await l.recordWindow({ id: 'w', since: 'a', until: 'b', pages: 1 });
      expect(await l.reset('cxone')).toBe(2);
      expect(await l.get('c1', 'cxone')).toBeUndefined();
      expect(await l.get('c1', 'cognigy')).toBeDefined();
      expect(await l.window('w')).toBeUndefined();
      expect(await l.reset()).toBe(1);
      expect(await l.history('c1')).toHaveLength(2);
    });

    it('shares the ledger: a second connection sees the first one’s writes', async () => {
      const a = await open();
      const b = await open();
      await a.recordSuccess(success);
      expect((await b.get('c1', 'cxone'))?.recordId).toBe('R-1');
      await b.recordFailure(failure('2026-01-02T00:00:00.000Z'));
      expect((await a.get('c1', 'cxone'))?.attempts).toBe(1);
    });

    it('loses nothing when two connections write at once', async () => {
      const a = await open();
      const b = await open();
      const n = 50;
      await Promise.all(
        Array.from({ length: 2 * n }, (_, i) =>
          (i % 2 ? a : b).recordFailure(failure(new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString())),
        ),
      );
      expect((await a.get('c1', 'cxone'))?.attempts).toBe(2 * n);
      expect(await b.history('c1')).toHaveLength(2 * n);
    });
  });
}
