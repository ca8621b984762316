/**
 * What every ledger backend must do, as one suite that each backend's test runs against itself
 * (SQLite, PostgreSQL). Not a test file: `ledgerContract` is called from `<backend>.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { digestFields, digestMapping, digestSchema } from './digest.js';
import type { ClaimOptions, Inbox, InboxBatch, InboxEvent } from './inbox.js';
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

    it('keeps the newest source time of the data written', async () => {
      const l = await open();
      await l.recordSuccess({ ...success, sourceAt: '2026-01-02T00:00:00.000Z' });
      await l.recordSuccess({ ...success, sourceAt: '2026-01-01T00:00:00.000Z' });
      expect((await l.get('c1', 'cxone'))?.sourceAt).toBe('2026-01-02T00:00:00.000Z');
      await l.recordSuccess({ ...success });
      expect((await l.get('c1', 'cxone'))?.sourceAt).toBe('2026-01-02T00:00:00.000Z');
      await l.recordSuccess({ ...success, sourceAt: '2026-01-03T00:00:00.000Z' });
      expect((await l.get('c1', 'cxone'))?.sourceAt).toBe('2026-01-03T00:00:00.000Z');
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

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
/** The test's clock: `ms` after a fixed start, as the inbox stores times. */
export const at = (ms: number): string => new Date(T0 + ms).toISOString();

/** An event of `subject` received `ms` after the start (and happened 100 ms before, unless said). */
export const inboxEvent = (id: string, subjectKey: string, ms: number, eventMs = ms - 100): InboxEvent => ({
  id,
  subjectKey,
  topic: `v2.detail.events.conversation.${subjectKey}.attributes`,
  kind: 'attributes',
  eventTime: at(eventMs),
  receivedAt: at(ms),
});

const timing = { quietMs: 2_000, maxWaitMs: 10_000, limit: 10, leaseMs: 60_000 };
const claim = (inbox: Inbox, ms: number, owner = 'worker-a', more: Partial<ClaimOptions> = {}) =>
  inbox.claimDue({ ...timing, now: at(ms), owner, ...more });
const keys = (batches: InboxBatch[]) => batches.map((b) => b.subjectKey);

/** What every backend's inbox must do; `open` as for `ledgerContract`. */
export function inboxContract(name: string, open: () => Promise<LedgerStore>): void {
  describe(`${name}: the inbox contract`, () => {
    it('accepts events once: an id seen before is a duplicate, in the same call, later, and once processed', async () => {
      const { inbox } = await open();
      const a1 = inboxEvent('e1', 'conv-a', 0);
      expect(
        await inbox.accept([a1, inboxEvent('e2', 'conv-a', 10), inboxEvent('e3', 'conv-b', 20), a1]),
      ).toEqual({
        accepted: 3,
        duplicates: 1,
      });
      expect(await inbox.accept([])).toEqual({ accepted: 0, duplicates: 0 });
      expect(await inbox.accept([{ ...a1, subjectKey: 'conv-z' }, inboxEvent('e4', 'conv-b', 30)])).toEqual({
        accepted: 1,
        duplicates: 1,
      });
      expect(await inbox.depth(at(30))).toEqual({
        pendingEvents: 4,
        pendingSubjects: 2,
        leasedSubjects: 0,
        retryingSubjects: 0,
        oldestPendingReceivedAt: at(0),
      });
      const [batch] = await claim(inbox, 5_000, 'w', { limit: 1 });
      expect(batch?.subjectKey).toBe('conv-a');
      expect(await inbox.complete('conv-a', batch!.eventIds, 'w')).toBe(true);
      expect(await inbox.accept([a1, inboxEvent('e2', 'conv-a', 6_000)])).toEqual({
        accepted: 0,
        duplicates: 2,
      });
      expect((await inbox.depth(at(6_000))).pendingEvents).toBe(2);
    });

    it('stores times as toISOString writes them, and refuses malformed events, queuing none of the call', async () => {
      const { inbox } = await open();
      await inbox.accept([
        {
          ...inboxEvent('e1', 's', 0),
          receivedAt: '2026-03-01T11:00:00+01:00',
          eventTime: '2026-03-01T09:59:59Z',
        },
      ]);
      expect(await inbox.recent(5)).toEqual([
        {
          id: 'e1',
          subjectKey: 's',
          topic: 'v2.detail.events.conversation.s.attributes',
          kind: 'attributes',
          eventTime: '2026-03-01T09:59:59.000Z',
          receivedAt: at(0),
        },
      ]);
      const good = inboxEvent('e2', 's', 10);
      for (const bad of [
        { ...good, eventTime: 'yesterday' },
        { ...good, receivedAt: undefined },
        { ...good, id: '' },
        { ...good, subjectKey: 7 },
      ]) {
        await expect(inbox.accept([good, bad as unknown as InboxEvent])).rejects.toThrow(TypeError);
      }
      expect((await inbox.depth(at(10))).pendingEvents).toBe(1);
    });

    it('a subject is due once quiet for the quiet period, or once its first event waited the maximum', async () => {
      const { inbox } = await open();
      // conv-a: a burst of two events, then quiet. conv-b: an event every second, never quiet.
      await inbox.accept([inboxEvent('a1', 'conv-a', 500), inboxEvent('a2', 'conv-a', 1_500)]);
      for (let s = 0; s <= 12; s++) await inbox.accept([inboxEvent(`b${s}`, 'conv-b', s * 1_000)]);
      expect(await claim(inbox, 3_499)).toEqual([]);
      // Quiet since 1.5 s: due at 3.5 s. conv-b keeps talking, but its first event came at 0 s.
      expect(keys(await claim(inbox, 3_500))).toEqual(['conv-a']);
      expect(await claim(inbox, 9_999)).toEqual([]);
      const [b] = await claim(inbox, 10_000);
      expect(b).toEqual({
        subjectKey: 'conv-b',
        // Events received by the time of the claim: all thirteen here (received times are the caller's).
        eventIds: Array.from({ length: 13 }, (_, s) => `b${s}`),
        firstReceivedAt: at(0),
        lastReceivedAt: at(12_000),
        newestEventTime: at(11_900),
        attempts: 0,
        leaseUntil: at(70_000),
      });
    });

    it('claims the oldest first, at most `limit`, and reports the newest event time, whatever the order of arrival', async () => {
      const { inbox } = await open();
      await inbox.accept([
        inboxEvent('c1', 'conv-c', 300),
        inboxEvent('a1', 'conv-a', 200),
        // Received last, happened first: an out-of-order delivery.
        inboxEvent('a2', 'conv-a', 400, -5_000),
        inboxEvent('b1', 'conv-b', 100),
      ]);
      const first = await claim(inbox, 5_000, 'w', { limit: 2 });
      expect(keys(first)).toEqual(['conv-b', 'conv-a']);
      expect(first[1]).toMatchObject({
        eventIds: ['a1', 'a2'],
        firstReceivedAt: at(200),
        lastReceivedAt: at(400),
        newestEventTime: at(100),
      });
      expect(keys(await claim(inbox, 5_000, 'w', { limit: 2 }))).toEqual(['conv-c']);
    });

    it('leases a subject to one owner until the lease ends; a lost lease is not cleared by its old owner', async () => {
      const { inbox } = await open();
      await inbox.accept([inboxEvent('e1', 's', 0)]);
      const [mine] = await claim(inbox, 2_000, 'a', { leaseMs: 30_000 });
      expect(mine?.leaseUntil).toBe(at(32_000));
      expect(await claim(inbox, 31_999, 'b')).toEqual([]);
      expect(await inbox.renew('s', 'b', { now: at(31_999), leaseMs: 30_000 })).toBe(false);
      expect(await inbox.renew('s', 'a', { now: at(20_000), leaseMs: 30_000 })).toBe(true);
      expect(await claim(inbox, 49_999, 'b')).toEqual([]);
      // a's process died: its lease ends, b takes the subject over.
      const [theirs] = await claim(inbox, 50_000, 'b');
      expect(theirs).toMatchObject({ subjectKey: 's', eventIds: ['e1'], attempts: 0 });
      expect(await inbox.release('s', 'a', { error: 'late' })).toBe(false);
      // a's sync did run: its events are done, but b's lease stands.
      await inbox.accept([inboxEvent('e2', 's', 50_500)]);
      expect(await inbox.complete('s', ['e1'], 'a')).toBe(false);
      expect(await inbox.depth(at(50_500))).toMatchObject({ pendingEvents: 1, leasedSubjects: 1 });
      expect(await claim(inbox, 60_000, 'c')).toEqual([]);
      expect(await inbox.complete('s', theirs!.eventIds, 'b')).toBe(true);
      expect(keys(await claim(inbox, 60_000, 'c'))).toEqual(['s']);
    });

    it('complete marks only the batch’s events: those that came during the sync are the next batch', async () => {
      const { inbox } = await open();
      await inbox.accept([inboxEvent('e1', 's', 0), inboxEvent('e2', 's', 100)]);
      const [batch] = await claim(inbox, 3_000);
      await inbox.accept([inboxEvent('e3', 's', 3_500), inboxEvent('x1', 'other', 3_600)]);
      expect(await inbox.complete('s', batch!.eventIds, 'worker-a')).toBe(true);
      expect(await inbox.depth(at(4_000))).toEqual({
        pendingEvents: 2,
        pendingSubjects: 2,
        leasedSubjects: 0,
        retryingSubjects: 0,
        oldestPendingReceivedAt: at(3_500),
      });
      // Due again by its own quiet period (e3 at 3.5 s), not by the first batch's times.
      expect(await claim(inbox, 5_499)).toEqual([]);
      const next = await claim(inbox, 5_500);
      expect(next).toEqual([
        expect.objectContaining({ subjectKey: 's', eventIds: ['e3'], firstReceivedAt: at(3_500) }),
      ]);
      // Completing again, or ids of another subject, changes nothing.
      await inbox.complete('s', ['e1', 'x1'], 'worker-a');
      expect((await inbox.depth(at(5_500))).pendingEvents).toBe(2);
      await inbox.complete('s', ['e3'], 'worker-a');
      expect(await inbox.depth(at(5_500))).toMatchObject({ pendingEvents: 1, pendingSubjects: 1 });
    });

    it('release gives the lease back after a failure: one more attempt, not due before retryAt', async () => {
      const { inbox } = await open();
      await inbox.accept([inboxEvent('e1', 's', 0)]);
      const [first] = await claim(inbox, 2_000);
      expect(await inbox.release('s', 'worker-b')).toBe(false);
      expect(await inbox.release('s', 'worker-a', { retryAt: at(30_000), error: 'CXone answered 503' })).toBe(
        true,
      );
      expect(await inbox.release('s', 'worker-a')).toBe(false);
      expect(await inbox.depth(at(2_000))).toMatchObject({
        pendingEvents: 1,
        leasedSubjects: 0,
        retryingSubjects: 1,
      });
      expect(await claim(inbox, 29_999)).toEqual([]);
      const [second] = await claim(inbox, 30_000);
      expect(second).toMatchObject({ eventIds: first!.eventIds, attempts: 1 });
      // Without retryAt, due again at once; attempts add up until a complete.
      await inbox.release('s', 'worker-a');
      expect((await claim(inbox, 30_000))[0]?.attempts).toBe(2);
      await inbox.accept([inboxEvent('e2', 's', 30_500)]);
      await inbox.complete('s', ['e1'], 'worker-a');
      expect((await claim(inbox, 40_000))[0]).toMatchObject({ eventIds: ['e2'], attempts: 0 });
    });

    it('tells when the next subject becomes due', async () => {
      const { inbox } = await open();
      const next = (ms: number) => inbox.nextDue({ now: at(ms), quietMs: 2_000, maxWaitMs: 10_000 });
      expect(await next(0)).toBeUndefined();
      await inbox.accept([inboxEvent('a1', 'a', 1_000)]);
      for (let s = 0; s <= 9; s++) await inbox.accept([inboxEvent(`b${s}`, 'b', s * 1_000 + 500)]);
      // b's quiet period keeps moving (9.5 + 2 s), but its maximum wait ends at 10.5 s; a is due at 3 s.
      expect(await next(1_000)).toBe(at(3_000));
      await claim(inbox, 3_000, 'w', { leaseMs: 20_000 });
      expect(await next(3_000)).toBe(at(10_500));
      await claim(inbox, 10_500, 'w', { leaseMs: 5_000 });
      // Both leased: the earliest lease end.
      expect(await next(10_500)).toBe(at(15_500));
      await inbox.release('b', 'w', { retryAt: at(40_000) });
      expect(await next(10_500)).toBe(at(23_000));
      await inbox.complete('a', ['a1'], 'w');
      expect(await next(10_500)).toBe(at(40_000));
      // Already due: a time not after now.
      expect(await next(50_000)).toBe(at(10_500));
    });

    it('shows the last events, newest first, with when they were processed', async () => {
      const { inbox } = await open();
      await inbox.accept([inboxEvent('e1', 's', 0), inboxEvent('e2', 's', 10)]);
      await inbox.accept([inboxEvent('e3', 't', 20)]);
      const [batch] = await claim(inbox, 2_500, 'w', { limit: 1 });
      const before = new Date().toISOString();
      await inbox.complete('s', batch!.eventIds, 'w');
      const recent = await inbox.recent(2);
      expect(recent.map((r) => r.id)).toEqual(['e3', 'e2']);
      expect(recent[0]?.processedAt).toBeUndefined();
      expect(recent[1]?.processedAt ?? '').toMatch(/^\d{4}-\d\d-\d\dT/);
      expect((recent[1]?.processedAt ?? '') >= before).toBe(true);
      expect((await inbox.recent(10)).map((r) => r.id)).toEqual(['e3', 'e2', 'e1']);
      expect(await inbox.recent(0)).toEqual([]);
    });

    it('prunes processed events once older than the retention, never pending ones', async () => {
      const { inbox } = await open();
      const day = 24 * 60 * 60 * 1000;
      await inbox.accept([inboxEvent('old', 's', 0), inboxEvent('pending', 't', 0)]);
      const [batch] = await claim(inbox, 2_000, 'w', { limit: 1 });
      expect(batch?.subjectKey).toBe('s');
      await inbox.complete('s', ['old'], 'w');
      await inbox.accept([inboxEvent('new', 's', 6 * day)]);
      // Marked processed also without a lease (a sync that lost it still ran).
      expect(await inbox.complete('s', ['new'], 'w')).toBe(false);
      expect(await inbox.prune(at(7 * day))).toBe(0);
      // A week after it was received: forgotten, so no longer recognised as a duplicate.
      expect(await inbox.prune(at(7 * day + 1))).toBe(1);
      expect(await inbox.prune(at(7 * day + 1), { keepMs: 0 })).toBe(1);
      expect((await inbox.recent(10)).map((r) => r.id)).toEqual(['pending']);
      expect(await inbox.accept([inboxEvent('old', 's', 8 * day)])).toEqual({ accepted: 1, duplicates: 0 });
      expect(await inbox.accept([inboxEvent('pending', 't', 8 * day)])).toEqual({
        accepted: 0,
        duplicates: 1,
      });
    });

    it('never leases one subject to two connections claiming at once', async () => {
      const a = await open();
      const b = await open();
      const subjects = 50;
      await a.inbox.accept(
        Array.from({ length: subjects * 3 }, (_, i) => inboxEvent(`e${i}`, `conv-${i % subjects}`, i)),
      );
      const claims = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? a : b).inbox.claimDue({ ...timing, now: at(60_000), limit: 4, owner: `owner-${i}` }),
        ),
      );
      const claimed = claims.flat();
      expect(new Set(keys(claimed)).size).toBe(claimed.length);
      for (const batch of claimed) expect(batch.eventIds).toHaveLength(3);
      // What no claim took (a row skipped while another claim held it) is still there, once.
      const rest = await a.inbox.claimDue({ ...timing, now: at(60_000), limit: subjects, owner: 'last' });
      expect([...keys(claimed), ...keys(rest)].sort()).toEqual(
        Array.from({ length: subjects }, (_, i) => `conv-${i}`).sort(),
      );
      expect(await b.inbox.depth(at(60_000))).toMatchObject({ pendingEvents: 150, leasedSubjects: 50 });
    });

    it('counts each event once when two connections accept the same events at once', async () => {
      const a = await open();
      const b = await open();
      const events = Array.from({ length: 200 }, (_, i) => inboxEvent(`e${i}`, `conv-${i % 7}`, i));
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => {
          const slice = events.slice((i % 5) * 40, (i % 5) * 40 + 40);
          return (i % 2 ? a : b).inbox.accept(i % 3 ? slice : [...slice].reverse());
        }),
      );
      expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(200);
      expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(200);
      expect(await a.inbox.depth(at(1_000))).toMatchObject({ pendingEvents: 200, pendingSubjects: 7 });
    });
  });
}
