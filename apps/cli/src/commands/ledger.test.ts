// biome-ignore-all lint/style/noNonNullAssertion: seed data is known to be there
import { writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import type { Emulators } from '@cx-profile-sync/emulators';
import { describe, expect, it } from 'vitest';
import { conversationOf, freshLedger, runCli, useEmulators } from '../test-helpers.js';

const { emu, env } = useEmulators({ customers: 30, conversationsPerCustomer: 2 });

const SINCE = '2026-09-01T00:00:00.000Z';
const UNTIL = '2026-11-02T00:00:00.000Z';
const BACKFILL = ['backfill', '--since', SINCE, '--until', UNTIL, '--json'];

/** Once a run, not a customer: login, discovery, the field definitions and the profile schema. */
const PER_RUN = /token|oauth|\.well-known|jwks|custom-field-definitions|profiles\/schema|__admin/;

/** The requests about customers the targets' emulators logged since the last clear. */
function customerRequests(e: Emulators) {
  const list = (log: { list(): { method: string; path: string; body?: unknown }[] }) =>
    log.list().filter((r) => !PER_RUN.test(r.path));
  return { cxone: list(e.cxone.log), cognigy: list(e.cognigy.log) };
}
function targetRequests(e: Emulators) {
  const { cxone, cognigy } = customerRequests(e);
  return { cxone: cxone.length, cognigy: cognigy.length };
}
function clearLogs(e: Emulators) {
  e.cxone.log.clear();
  e.cognigy.log.clear();
}

/** Sets one attribute of customer `index`'s latest conversation on the Genesys side (a new IVR value). */
function changeAttribute(e: Emulators, index: number, name: string, value: string) {
  const conversation = e.state.genesys.conversations.get(conversationOf(e, index))!;
  conversation.participants.find((p) => p.purpose === 'customer')!.attributes[name] = value;
}

const allAvailable = (e: Emulators) => e.state.genesys.setWatermark('2026-11-03T00:00:00Z');

describe('the ledger', () => {
  it('a second back-fill of unchanged customers sends no request to any target', async () => {
    allAvailable(emu());
    const first = await runCli(BACKFILL, env());
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.outcomes.updated).toBeGreaterThan(0);
    clearLogs(emu());
    const second = await runCli(BACKFILL, env());
    expect(second.code, second.stderr).toBe(0);
    expect(second.json.outcomes.updated).toBe(0);
    expect(second.json.customers).toBe(first.json.customers);
    expect(second.json.outcomes['customer-not-found']).toBeGreaterThan(0);
    // The profile whose person asked that no data be collected stays skipped, unread, until its values
    // change or it is due for a check.
    expect(second.json.outcomes.skipped).toBe(1);
    expect(targetRequests(emu())).toEqual({ cxone: 0, cognigy: 0 });
  });

  it('a changed customer costs one write on CXone, and only the changed field is sent', async () => {
    allAvailable(emu());
    expect((await runCli(BACKFILL, env())).code).toBe(0);
    const index = emu().seed.customers.findIndex((c) => c.cxoneCustomerId);
    changeAttribute(emu(), index, 'promo_code', 'SPRING-99');
    clearLogs(emu());
    const run = await runCli([...BACKFILL, '--target', 'cxone'], env());
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.outcomes.updated).toBe(1);
    const requests = customerRequests(emu()).cxone;
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `PUT /dfo/3.0/customers/${emu().seed.customers[index]!.cxoneCustomerId}/custom-fields`,
    ]);
    expect(requests[0]!.body).toEqual([{ ident: 'promo_code', value: 'SPRING-99' }]);
    const stored = emu().state.cxone.customers.get(emu().seed.customers[index]!.cxoneCustomerId!)!;
    expect(stored.customFields.get('promo_code')?.value).toBe('SPRING-99');
  });

  it('a changed Cognigy profile is read by id before the write (consent), or written at once when consent is ignored', async () => {
    allAvailable(emu());
    expect((await runCli(BACKFILL, env())).code).toBe(0);
    const index = emu().seed.customers.findIndex((c) => c.cognigyProfileId);
    const profileId = emu().seed.customers[index]!.cognigyProfileId!;
    changeAttribute(emu(), index, 'promo_code', 'SPRING-98');
    clearLogs(emu());
    const run = await runCli(
      ['sync', 'conversation', conversationOf(emu(), index), '--target', 'cognigy', '--json'],
      env(),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.targets[0]).toMatchObject({ outcome: 'updated', customerId: profileId });
    const paths = (e: Emulators) =>
      customerRequests(e).cognigy.map((r) => `${r.method} ${r.path.replace(/^\/new/, '')}`);
    expect(paths(emu())).toEqual([`GET /v2.0/profiles/${profileId}`, `PATCH /v2.0/profiles/${profileId}`]);

    changeAttribute(emu(), index, 'promo_code', 'SPRING-97');
    clearLogs(emu());
    const ignoring = await runCli(
      ['sync', 'conversation', conversationOf(emu(), index), '--target', 'cognigy', '--json'],
      { ...env(), COGNIGY_IGNORE_CONSENT: 'true' },
    );
    expect(ignoring.code, ignoring.stderr).toBe(0);
    expect(paths(emu())).toEqual([`PATCH /v2.0/profiles/${profileId}`]);
  });

  it('a record deleted on the target is found again (or created), and the history says so', async () => {
    allAvailable(emu());
    const index = emu().seed.customers.findIndex((c) => c.cognigyProfileId);
    const conversation = conversationOf(emu(), index);
    const sync = () =>
      runCli(['sync', 'conversation', conversation, '--target', 'cognigy', '--json'], {
        ...env(),
        COGNIGY_IGNORE_CONSENT: 'true',
      });
    const first = await sync();
    expect(first.code, first.stderr).toBe(0);
    const oldId = first.json.targets[0].customerId;
    emu().state.cognigy.profiles.delete(oldId);
    changeAttribute(emu(), index, 'promo_code', 'GONE-1');
    const again = await sync();
    expect(again.code, again.stderr).toBe(0);
    expect(again.json.targets[0]).toMatchObject({ outcome: 'updated', created: true });
    expect(again.json.targets[0].customerId).not.toBe(oldId);
    const phone = emu().seed.customers[index]!.phone;
    const history = await runCli(['history', phone, '--json'], env());
    expect(history.code).toBe(0);
    expect(history.json.events.map((e: { event: string }) => e.event)).toEqual([
      'success',
      'forget-record-id',
      'success',
    ]);
    expect(history.json.events[0].recordId).toBe(again.json.targets[0].customerId);
  });

  it('--verify reads the targets again and repairs a value edited on the target side', async () => {
    allAvailable(emu());
    expect((await runCli(BACKFILL, env())).code).toBe(0);
    const c = emu().seed.customers.find((x) => x.cxoneCustomerId)!;
    const stored = emu().state.cxone.customers.get(c.cxoneCustomerId!)!;
    const field = stored.customFields.get('account_number')!;
    const right = field.value;
    field.value = 'edited-by-an-agent';
    const trusting = await runCli([...BACKFILL, '--target', 'cxone'], env());
    expect(trusting.json.outcomes.updated).toBe(0);
    expect(stored.customFields.get('account_number')!.value).toBe('edited-by-an-agent');
    const verifying = await runCli([...BACKFILL, '--target', 'cxone', '--verify'], env());
    expect(verifying.code, verifying.stderr).toBe(0);
    expect(verifying.json.outcomes.updated).toBe(1);
    expect(stored.customFields.get('account_number')!.value).toBe(right);
    // CX_LEDGER_VERIFY_DAYS=0: every run verifies.
    stored.customFields.get('account_number')!.value = 'edited-again';
    const periodic = await runCli([...BACKFILL, '--target', 'cxone'], {
      ...env(),
      CX_LEDGER_VERIFY_DAYS: '0',
    });
    expect(periodic.json.outcomes.updated).toBe(1);
    expect(stored.customFields.get('account_number')!.value).toBe(right);
  });

  it('failed customers are retried by `retry` and at the start of the next back-fill; history gives the reasons', async () => {
    allAvailable(emu());
    const c = emu().seed.customers.find((x) => x.cxoneCustomerId)!;
    const writes = `/dfo/3.0/customers/${c.cxoneCustomerId}/custom-fields`;
    // CXone answers this customer's writes with a 503 for now (each sync tries 5 times).
    emu().cxone.faults.add({ method: 'PUT', path: writes, fault: { kind: 'status', status: 503 } });
    const failing = await runCli([...BACKFILL, '--target', 'cxone'], env());
    expect(failing.code).toBe(6);
    expect(failing.json.outcomes.failed).toBe(1);
    const stillDown = await runCli(['retry', '--json'], env());
    expect(stillDown.code).toBe(6);
    expect(stillDown.json).toMatchObject({ succeeded: 0, failed: 1 });
    expect(stillDown.json.retried[0]).toMatchObject({
      customerKey: `contact:${c.externalContactId}`,
      attempts: 2,
    });
    const text = await runCli(['history', c.phone], env());
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/failed \(transient, retried on the next run\): .*503/);
    expect(text.stdout.match(/failed \(/g)).toHaveLength(2);

    emu().cxone.faults.clear();
    const recovered = await runCli(['retry'], env());
    expect(recovered.code, recovered.stdout + recovered.stderr).toBe(0);
    expect(recovered.stdout).toContain('Retried 1: 1 succeeded, 0 failed again.');
    const nothing = await runCli(['retry'], env());
    expect(nothing.stdout).toContain('No failed customer is waiting for a retry.');

    // The next back-fill retries first what failed since.
    emu().cxone.faults.add({ method: 'PUT', path: writes, count: 5, fault: { kind: 'status', status: 503 } });
    changeAttribute(emu(), c.index, 'promo_code', 'RETRY-1');
    const once = await runCli(
      ['sync', 'conversation', conversationOf(emu(), c.index), '--target', 'cxone'],
      env(),
    );
    expect(once.code).toBe(6);
    const next = await runCli([...BACKFILL, '--target', 'cxone'], env());
    expect(next.code, next.stderr).toBe(0);
    expect(next.json.retried).toEqual({ succeeded: 1, failed: 0 });
    expect(emu().state.cxone.customers.get(c.cxoneCustomerId!)!.customFields.get('promo_code')?.value).toBe(
      'RETRY-1',
    );
  });

  it('never writes older data over newer: an older conversation is skipped, saying why', async () => {
    const index = emu().seed.customers.findIndex((c) => c.cxoneCustomerId && c.conversationIds.length > 1);
    const [older, newer] = emu().seed.customers[index]!.conversationIds;
    changeAttribute(emu(), index, 'promo_code', 'NEWER');
    const latest = await runCli(['sync', 'conversation', newer!, '--target', 'cxone', '--json'], env());
    expect(latest.code, latest.stderr).toBe(0);
    const old = await runCli(['sync', 'conversation', older!, '--target', 'cxone', '--json'], env());
    expect(old.code).toBe(0);
    expect(old.json.targets[0]).toMatchObject({ outcome: 'skipped' });
    expect(old.json.targets[0].reason).toMatch(/older than what was last synced/);
    const stored = emu().state.cxone.customers.get(emu().seed.customers[index]!.cxoneCustomerId!)!;
    expect(stored.customFields.get('promo_code')?.value).toBe('NEWER');
  });

  it('a dry run reads the ledger but never writes it', async () => {
    allAvailable(emu());
    const dry = await runCli([...BACKFILL, '--dry-run'], env());
    expect(dry.code, dry.stderr).toBe(0);
    const history = await runCli(['history', emu().seed.customers[0]!.phone], env());
    expect(history.code).toBe(4);
    expect(history.stdout).toContain('holds nothing of');
  });

  it('a ledger file that is not a ledger, or locked, is a clear error naming it (exit 2)', async () => {
    const file = freshLedger();
    writeFileSync(file, 'not a database, but long enough to look like a header of something. '.repeat(20));
    const bad = await runCli(['sync', 'conversation', conversationOf(emu(), 0)], {
      ...env(),
      CX_LEDGER: file,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(file);
    expect(bad.stderr).toMatch(/not an SQLite database/);

    const locked = freshLedger();
    expect((await runCli(['ledger', 'where'], { ...env(), CX_LEDGER: locked })).stdout.trim()).toBe(locked);
    // Another process holds the write lock for longer than the ledger waits.
    const db = new DatabaseSync(locked);
    db.exec('BEGIN IMMEDIATE');
    try {
      const run = await runCli(['sync', 'conversation', conversationOf(emu(), 0), '--target', 'cxone'], {
        ...env(),
        CX_LEDGER: locked,
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(locked);
      expect(run.stderr).toMatch(/is locked/);
    } finally {
      db.exec('ROLLBACK');
      db.close();
    }
  }, 30_000);

  it('two back-fills sharing one ledger file lose no update', async () => {
    allAvailable(emu());
    const vars = env();
    const [a, b] = await Promise.all([
      runCli([...BACKFILL, '--target', 'cxone'], vars),
      runCli([...BACKFILL, '--target', 'cognigy'], vars),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const db = new DatabaseSync(vars.CX_LEDGER!, { readOnly: true });
    const rows = db
      .prepare('SELECT target, COUNT(*) AS n FROM entries GROUP BY target ORDER BY target')
      .all();
    db.close();
    const n = (prefix: string) => Number(rows.find((r) => String(r.target).startsWith(prefix))?.n);
    expect(n('cxone@')).toBe(a.json.customers);
    expect(n('cognigy@')).toBe(b.json.customers);
  });

  it('CX_LEDGER=off syncs as before, and `ledger reset` forgets what was written', async () => {
    allAvailable(emu());
    const off = await runCli(['history', 'x'], { ...env(), CX_LEDGER: 'off' });
    expect(off.code).toBe(2);
    expect(off.stderr).toMatch(/the ledger is off/);
    expect((await runCli(BACKFILL, env())).code).toBe(0);
    expect((await runCli(['ledger', 'reset'], env())).code).toBe(2);
    const reset = await runCli(['ledger', 'reset', '--yes'], env());
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/Forgot \d+ entries/);
    clearLogs(emu());
    const again = await runCli(BACKFILL, env());
    expect(again.json.outcomes.unchanged).toBe(
      again.json.customers - (again.json.outcomes.skipped ?? 0) - again.json.outcomes['customer-not-found'],
    );
    expect(targetRequests(emu()).cxone).toBeGreaterThan(0);
  });
});
