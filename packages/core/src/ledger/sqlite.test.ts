import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors/errors.js';
import { digestFields, digestMapping, digestSchema } from './digest.js';
import { LEDGER_SCHEMA_VERSION, openSqliteLedger } from './sqlite.js';
import type { LedgerStore } from './store.js';

let dir: string;
let file: string;
const open: LedgerStore[] = [];
const ledger = () => {
  const l = openSqliteLedger(file);
  open.push(l);
  return l;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-'));
  file = join(dir, 'sub', 'ledger.sqlite');
});
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
  rmSync(dir, { recursive: true, force: true });
});

const success = {
  customerKey: 'c1',
  target: 'cxone',
  recordId: 'R-1',
  fields: digestFields({ tier: 'gold', score: 3 }),
  mappingDigest: digestMapping({ tier: 'Tier' }),
  schemaDigest: digestSchema({ Tier: 'string' }),
  outcome: 'updated' as const,
  at: '2026-01-01T00:00:00.000Z',
};
const failure = (at: string, retryable = true) => ({
  customerKey: 'c1',
  target: 'cxone',
  kind: retryable ? ('transient' as const) : ('validation' as const),
  message: retryable ? 'HTTP 503' : 'Tier: too long',
  retryable,
  at,
});

/** The error open throws, checked to be a ConfigurationError. */
function openError(): ConfigurationError {
  try {
    openSqliteLedger(file);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    return e as ConfigurationError;
  }
  throw new Error('expected openSqliteLedger to fail');
}

describe('the SQLite ledger', () => {
  it('round-trips a success', async () => {
    const l = ledger();
    expect(await l.get('c1', 'cxone')).toBeUndefined();
    await l.recordSuccess(success);
    expect(await l.get('c1', 'cxone')).toEqual({
      customerKey: 'c1',
      target: 'cxone',
      recordId: 'R-1',
      fields: success.fields,
      mappingDigest: success.mappingDigest,
      schemaDigest: success.schemaDigest,
      outcome: 'updated',
      attempts: 0,
      firstAt: success.at,
      updatedAt: success.at,
      lastSuccessAt: success.at,
    });
    expect(await l.get('c1', 'cognigy')).toBeUndefined();
  });

  it('merges field digests, keeps a known record id, and counts attempts until a success', async () => {
    const l = ledger();
    await l.recordSuccess(success);
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
    expect(e).toMatchObject({ outcome: 'updated', attempts: 0, recordId: 'R-1', firstAt: success.at });
    expect(e?.error).toBeUndefined();
    expect(e?.fields).toEqual({ ...success.fields, ...tier });
  });

  it('a first failure creates the entry with one attempt and no record id', async () => {
    const l = ledger();
    await l.recordFailure(failure('2026-01-02T00:00:00.000Z'));
    const e = await l.get('c1', 'cxone');
    expect(e).toMatchObject({ outcome: 'failed', attempts: 1, fields: {} });
    expect(e?.recordId).toBeUndefined();
  });

  it('lists the entries whose last outcome is a retryable failure, by target', async () => {
    const l = ledger();
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

  it('keeps a history per customer, newest first', async () => {
    const l = ledger();
    await l.recordSuccess(success);
    await l.recordFailure(failure('2026-01-02T00:00:00.000Z'));
    await l.recordSuccess({ ...success, target: 'cognigy', recordId: 'P-9', at: '2026-01-02T00:00:00.000Z' });
    await l.recordSuccess({ ...success, customerKey: 'other' });
    expect(await l.history('c1')).toEqual([
      {
        target: 'cognigy',
        at: '2026-01-02T00:00:00.000Z',
        event: 'success',
        outcome: 'updated',
        recordId: 'P-9',
      },
      {
        target: 'cxone',
        at: '2026-01-02T00:00:00.000Z',
        event: 'failure',
        outcome: 'failed',
        error: { kind: 'transient', message: 'HTTP 503', retryable: true },
      },
      { target: 'cxone', at: success.at, event: 'success', outcome: 'updated', recordId: 'R-1' },
    ]);
    expect(await l.history('nobody')).toEqual([]);
  });

  it('forgets a record id and the digests that described the record', async () => {
    const l = ledger();
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
    const l = ledger();
    const w = { id: 'backfill-1', since: '2026-01-01T00:00:00Z', until: '2026-01-08T00:00:00Z', pages: 0 };
    expect(await l.window('backfill-1')).toBeUndefined();
    await l.recordWindow(w);
    expect(await l.window('backfill-1')).toEqual(w);
    await l.recordWindow({ ...w, pages: 3, coveredUntil: '2026-01-05T00:00:00Z' });
    expect(await l.window('backfill-1')).toEqual({ ...w, pages: 3, coveredUntil: '2026-01-05T00:00:00Z' });
  });

  it('shares the file: a second connection sees the first one’s writes', async () => {
    const a = ledger();
    const b = ledger();
    await a.recordSuccess(success);
    expect((await b.get('c1', 'cxone'))?.recordId).toBe('R-1');
    await b.recordFailure(failure('2026-01-02T00:00:00.000Z'));
    expect((await a.get('c1', 'cxone'))?.attempts).toBe(1);
    const db = new DatabaseSync(file, { readOnly: true });
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    db.close();
  });

  it('loses nothing when two connections write at once', async () => {
    const a = ledger();
    const b = ledger();
    const n = 50;
    await Promise.all(
      Array.from({ length: 2 * n }, (_, i) =>
        (i % 2 ? a : b).recordFailure(failure(new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString())),
      ),
    );
    expect((await a.get('c1', 'cxone'))?.attempts).toBe(2 * n);
    expect(await b.history('c1')).toHaveLength(2 * n);
  });

  it('waits for another process’s transaction instead of failing (busy timeout)', async () => {
    const l = ledger(); // creates the schema
    // Another connection, on another thread, holds the write lock for a moment.
    const worker = new Worker(
      `const { DatabaseSync } = require('node:sqlite');
       const { parentPort, workerData } = require('node:worker_threads');
       const db = new DatabaseSync(workerData);
       db.exec('BEGIN IMMEDIATE');
       db.prepare("INSERT INTO windows (id, since, until, pages, updated_at) VALUES ('other', 'a', 'b', 1, 'c')").run();
       parentPort.postMessage('locked');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
       db.exec('COMMIT');
       db.close();`,
      { eval: true, workerData: file },
    );
    await new Promise((resolve) => worker.once('message', resolve));
    await l.recordFailure(failure('2026-01-02T00:00:00.000Z'));
    await new Promise((resolve) => worker.once('exit', resolve));
    expect((await l.get('c1', 'cxone'))?.attempts).toBe(1);
    expect((await l.window('other'))?.pages).toBe(1);
  });

  it('refuses a ledger written by a newer version, naming it and leaving it byte for byte', async () => {
    const l = ledger();
    await l.recordSuccess(success);
    await l.close();
    const db = new DatabaseSync(file);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(
      String(LEDGER_SCHEMA_VERSION + 1),
    );
    db.close();
    const before = readFileSync(file);
    const e = openError();
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/newer version/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a file that is not SQLite, naming it and leaving it alone', () => {
    mkdirSync(dirname(file));
    const junk = Buffer.from(
      'not a database, but long enough to look like a header of something. '.repeat(20),
    );
    writeFileSync(file, junk);
    const e = openError();
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/not an SQLite database/);
    expect(readFileSync(file).equals(junk)).toBe(true);
  });

  it('refuses another program’s SQLite database', () => {
    mkdirSync(dirname(file));
    const db = new DatabaseSync(file);
    db.exec('CREATE TABLE notes (t TEXT)');
    db.close();
    expect(openError().message).toMatch(/SQLite database of something else/);
  });
});
