import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError, TransientError } from '../errors/errors.js';
import { startPostgres, type TestPostgres } from '../testing/postgres.js';
import { openLedger } from './config.js';
import { at, failure, inboxContract, inboxEvent, ledgerContract, success } from './contract.js';
import {
  openPostgresLedger,
  POSTGRES_LEDGER_MIGRATIONS,
  POSTGRES_LEDGER_SCHEMA_VERSION,
} from './postgres.js';
import { openSqliteLedger } from './sqlite.js';
import type { LedgerStore } from './store.js';

// One real server for the file; every test gets a ledger of its own (a schema, or a database).
let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterAll(async () => {
  await server?.stop();
}, 60_000);

const opened: LedgerStore[] = [];
let contractLedger: string | undefined;
afterEach(async () => {
  contractLedger = undefined;
  for (const l of opened.splice(0)) await l.close();
});

async function ledger(url: string): Promise<LedgerStore> {
  const l = await openPostgresLedger(url);
  opened.push(l);
  return l;
}

/** Runs one statement on `url` outside the ledger (to look at or tamper with its tables). */
async function sql(url: string, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

const passwordOf = (url: string) => decodeURIComponent(new URL(url).password);

/** The error `promise` rejects with, checked to be of `type` and never to repeat the URL's password. */
async function rejection<T>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => T,
  url: string,
): Promise<T> {
  const e = await promise.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e,
  );
  expect(e).toBeInstanceOf(type);
  expect(passwordOf(url).length).toBeGreaterThan(3);
  expect((e as Error).message).not.toContain(passwordOf(url));
  // Nor does anything hung on it (its cause), as a log would print it.
  expect(inspect(e, { depth: 20 })).not.toContain(passwordOf(url));
  return e as T;
}

const contractOpen = async () => {
  contractLedger ??= await server.createSchema();
  return ledger(contractLedger);
};
ledgerContract('PostgreSQL', contractOpen);
inboxContract('PostgreSQL', contractOpen);

describe('the PostgreSQL ledger', () => {
  it('refuses a ledger written by a newer version, naming the server (not the password) and leaving it as it was', async () => {
    const url = await server.createDatabase('newer');
    const l = await ledger(url);
    await l.recordSuccess(success);
    await l.close();
    await sql(url, "UPDATE cx_ledger_meta SET value = $1 WHERE key = 'schema_version'", [
      String(POSTGRES_LEDGER_SCHEMA_VERSION + 1),
    ]);
    const snapshot = async () =>
      JSON.stringify([
        await sql(
          url,
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
        ),
        await sql(url, 'SELECT * FROM cx_ledger_meta ORDER BY key'),
        await sql(url, 'SELECT * FROM cx_ledger_entries'),
        await sql(url, 'SELECT * FROM cx_ledger_events'),
      ]);
    const before = await snapshot();
    const e = await rejection(openPostgresLedger(url), ConfigurationError, url);
    expect(e.message).toMatch(/newer version/);
    expect(e.message).toContain(`127.0.0.1:${new URL(url).port}/newer`);
    expect(await snapshot()).toBe(before);
  });

  it('migrates a version 1 ledger to the current version, keeping what it held', async () => {
    const url = await server.createSchema();
    await sql(url, POSTGRES_LEDGER_MIGRATIONS[0]!);
    await sql(
      url,
      `INSERT INTO cx_ledger_meta (key, value) VALUES ('schema_version', '1');
       INSERT INTO cx_ledger_windows (id, since, until, pages, updated_at) VALUES ('backfill', 'a', 'b', 3, 'c')`,
    );
    expect(POSTGRES_LEDGER_SCHEMA_VERSION).toBe(3);
    const l = await ledger(url);
    expect(await l.window('backfill')).toEqual({ id: 'backfill', since: 'a', until: 'b', pages: 3 });
    expect(await l.inbox.accept([inboxEvent('e1', 's', 0)])).toEqual({ accepted: 1, duplicates: 0 });
    expect(await sql(url, "SELECT value FROM cx_ledger_meta WHERE key = 'schema_version'")).toEqual([
      { value: '3' },
    ]);
    expect((await l.inbox.depth(at(0))).pendingEvents).toBe(1);
  });

  it('accepts events (prints the rate; the test server runs without fsync, so it shows the round trips)', async () => {
    const { inbox } = await ledger(await server.createSchema());
    const event = (id: string) => {
      const now = new Date().toISOString();
      return { ...inboxEvent(id, `conv-${id.length}`, 0), eventTime: now, receivedAt: now };
    };
    const rate = async (calls: number, perCall: number) => {
      const started = performance.now();
      let n = 0;
      while (performance.now() - started < 1_000) {
        await Promise.all(
          Array.from({ length: calls }, (_, c) =>
            inbox.accept(
              Array.from({ length: perCall }, (_, j) => event(`${calls}-${perCall}-${n + c * perCall + j}`)),
            ),
          ),
        );
        n += calls * perCall;
      }
      return Math.round((n * 1000) / (performance.now() - started));
    };
    const single = await rate(1, 1);
    const shared = await rate(50, 1);
    const batched = await rate(1, 100);
    console.log(
      `PostgreSQL inbox accept: ${single} events/s one per call awaited in turn, ` +
        `${shared} events/s one per call 50 calls at once, ${batched} events/s 100 per call`,
    );
    expect(single).toBeGreaterThan(0);
  }, 30_000);

  it('refuses a ledger whose schema version is unreadable', async () => {
    const url = await server.createSchema();
    await sql(url, 'CREATE TABLE cx_ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const e = await rejection(openPostgresLedger(url), ConfigurationError, url);
    expect(e.message).toMatch(/not a cx-profile-sync ledger/);
  });

  it('lives beside another program’s tables, leaving them alone', async () => {
    const url = await server.createSchema();
    await sql(url, "CREATE TABLE entries (t TEXT); INSERT INTO entries VALUES ('theirs')");
    await (await ledger(url)).recordSuccess(success);
    expect(await sql(url, 'SELECT * FROM entries')).toEqual([{ t: 'theirs' }]);
  });

  it('migrates once when several workers open a fresh database at once', async () => {
    const url = await server.createDatabase();
    const ledgers = await Promise.all(Array.from({ length: 4 }, () => ledger(url)));
    await Promise.all(
      ledgers.map((l, i) => l.recordFailure({ ...failure(`2026-01-0${i + 1}T00:00:00.000Z`) })),
    );
    expect((await ledgers[0]!.get('c1', 'cxone'))?.attempts).toBe(4);
    expect(await sql(url, 'SELECT key, value FROM cx_ledger_meta')).toEqual([
      { key: 'schema_version', value: String(POSTGRES_LEDGER_SCHEMA_VERSION) },
    ]);
  });

  it('sorts keys and times as the SQLite backend does, whatever the database’s collation', async () => {
    // A database whose default collation is a natural-language one ('a' before 'B'), as most are.
    const name = 'icu_en';
    await sql(
      server.url,
      `CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'`,
    );
    const url = server.url.replace(/\/postgres$/, `/${name}`);
    const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
    const sqlite = openSqliteLedger(join(dir, 'ledger.sqlite'));
    opened.push(sqlite);
    try {
      const postgres = await ledger(url);
      for (const l of [sqlite, postgres]) {
        for (const customerKey of ['b', 'B', 'a', '_a', 'A-1', 'a1', 'ä']) {
          await l.recordFailure({ ...failure('2026-01-01T00:00:00.000Z'), customerKey });
        }
        await l.recordFailure({ ...failure('2026-01-01T00:00:00Z'), customerKey: 'z' });
      }
      const keys = async (l: LedgerStore) => (await l.retryable()).map((e) => e.customerKey);
      expect(await keys(postgres)).toEqual(await keys(sqlite));
      expect(await keys(postgres)).toEqual(['A-1', 'B', '_a', 'a', 'a1', 'b', 'ä', 'z']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('survives a server restart: calls while it is down are TransientErrors, then it works again and lost nothing', async () => {
    const url = await server.createSchema();
    const l = await ledger(url);
    const quiet = await ledger(url); // holds an idle connection through the restart, unused meanwhile
    await l.recordSuccess({ ...success, identity: { email: 'ann@example.com' } });
    await l.recordWindow({ id: 'backfill', since: 'a', until: 'b', pages: 1 });
    const before = await quiet.get('c1', 'cxone');

    await server.restart(async () => {
      const e = await rejection(l.get('c1', 'cxone'), TransientError, url);
      expect(e.message).toContain(`127.0.0.1:${new URL(url).port}`);
      await rejection(l.recordFailure(failure('2026-01-02T00:00:00.000Z')), TransientError, url);
    });

    // The back-fill goes on. A connection held from before the restart may fail once, as a
    // TransientError that the caller retries (none did here: the pool drops them on their error).
    const once = async <T>(call: () => Promise<T>): Promise<T> => {
      try {
        return await call();
      } catch (e) {
        expect(e).toBeInstanceOf(TransientError);
        return call();
      }
    };
    expect(await once(() => quiet.get('c1', 'cxone'))).toEqual(before);
    await once(() => l.recordWindow({ id: 'backfill', since: 'a', until: 'b', pages: 2 }));
    for (let i = 2; i <= 5; i++) await l.recordSuccess({ ...success, customerKey: `c${i}` });
    await quiet.recordFailure(failure('2026-01-03T00:00:00.000Z'));

    expect(await l.window('backfill')).toMatchObject({ pages: 2 });
    expect(await l.get('c1', 'cxone')).toEqual({
      ...before,
      outcome: 'failed',
      attempts: 1,
      error: { kind: 'transient', message: 'HTTP 503', retryable: true },
      updatedAt: '2026-01-03T00:00:00.000Z',
    });
    expect(await l.get('c5', 'cxone')).toBeDefined();
    expect((await l.history('ann@example.com')).map((h) => h.event)).toEqual(['failure', 'success']);
  });

  it('is what openLedger opens for CX_LEDGER=postgres://…', async () => {
    const url = await server.createSchema();
    const l = await openLedger({ CX_LEDGER: url });
    expect(l).toBeDefined();
    opened.push(l!);
    await l!.recordSuccess(success);
    expect(await sql(url, 'SELECT customer_key FROM cx_ledger_entries')).toEqual([{ customer_key: 'c1' }]);
  });

  it('an unreachable server is a TransientError naming the host, not the password', async () => {
    const url = 'postgres://ledger:s3cret-pass@127.0.0.1:1/fleet';
    const e = await rejection(openLedger({ CX_LEDGER: url }), TransientError, url);
    expect(e.message).toContain('127.0.0.1:1/fleet');
    expect(e.message).toMatch(/ECONNREFUSED/);
  });

  it('wrong credentials or a missing database are ConfigurationErrors without the password', async () => {
    const wrong = new URL(server.url);
    wrong.password = 'not-the-password';
    const e = await rejection(openPostgresLedger(wrong.href), ConfigurationError, wrong.href);
    expect(e.message).toMatch(/password authentication failed/);
    const missing = server.url.replace(/\/postgres$/, '/nowhere');
    expect((await rejection(openPostgresLedger(missing), ConfigurationError, missing)).message).toMatch(
      /database "nowhere" does not exist/,
    );
  });
});
