import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors/errors.js';
import { at, failure, inboxContract, inboxEvent, ledgerContract, success } from './contract.js';
import type { InboxBatch } from './inbox.js';
import { LEDGER_SCHEMA_VERSION, openSqliteLedger, SQLITE_LEDGER_MIGRATIONS } from './sqlite.js';
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

ledgerContract('SQLite', async () => ledger());
inboxContract('SQLite', async () => ledger());

describe('the SQLite ledger', () => {
  it('uses WAL, so that several processes share the file', async () => {
    await ledger().recordSuccess(success);
    const db = new DatabaseSync(file, { readOnly: true });
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    db.close();
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

/**
 * Runs `body` in a node process of its own, with `openSqliteLedger` (from this source, as TypeScript:
 * Node strips the types, and a resolve hook maps the sources' `.js` imports to their `.ts` files) and
 * `ledger` open on the test's file, and `say(line)` writing one line to stdout at once.
 */
function nodeWithLedger(body: string) {
  const script = `
    import { registerHooks } from 'node:module';
    import { writeSync } from 'node:fs';
    registerHooks({
      resolve(specifier, context, next) {
        try {
          return next(specifier, context);
        } catch (e) {
          if (specifier.startsWith('.') && specifier.endsWith('.js'))
            return next(specifier.slice(0, -3) + '.ts', context);
          throw e;
        }
      },
    });
    const { openSqliteLedger } = await import(${JSON.stringify(new URL('./sqlite.ts', import.meta.url).href)});
    const ledger = openSqliteLedger(${JSON.stringify(file)});
    const say = (line) => writeSync(1, line + String.fromCharCode(10));
    ${body}`;
  const child = spawn(
    process.execPath,
    ['--experimental-transform-types', '--no-warnings', '--input-type=module', '-e', script],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const lines: string[] = [];
  let partial = '';
  const listeners: (() => void)[] = [];
  child.stdout.on('data', (d) => {
    const parts = (partial + d).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const l of listeners) l();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    stderr: () => stderr,
    exit,
    /** Resolves once `n` lines came (or rejects with the child's stderr if it ends first). */
    until(n: number): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (lines.length >= n) resolve();
        };
        listeners.push(check);
        check();
        void exit.then(() => {
          if (lines.length < n) reject(new Error(`the child ended after ${lines.length} lines: ${stderr}`));
        });
      });
    },
  };
}

describe('the SQLite inbox', () => {
  it('commits the accepts of one turn together, each call all-or-nothing and counted on its own', async () => {
    const { inbox } = ledger();
    const results = await Promise.all([
      inbox.accept([inboxEvent('e1', 's', 0), inboxEvent('e2', 's', 0)]),
      inbox.accept([inboxEvent('e2', 's', 0), inboxEvent('e3', 't', 0)]),
      inbox
        .accept([inboxEvent('e4', 't', 0), { ...inboxEvent('bad', 't', 0), eventTime: 'soon' }])
        .catch((e) => e),
      inbox.accept([inboxEvent('e1', 's', 0)]),
    ]);
    expect(results[0]).toEqual({ accepted: 2, duplicates: 0 });
    expect(results[1]).toEqual({ accepted: 1, duplicates: 1 });
    expect(results[2]).toBeInstanceOf(TypeError);
    expect(results[3]).toEqual({ accepted: 0, duplicates: 1 });
    expect((await inbox.recent(10)).map((r) => r.id).sort()).toEqual(['e1', 'e2', 'e3']);
  });

  it('commits queued accepts before it closes', async () => {
    const l = ledger();
    const accepted = l.inbox.accept([inboxEvent('e1', 's', 0)]);
    await l.close();
    expect(await accepted).toEqual({ accepted: 1, duplicates: 0 });
    expect((await ledger().inbox.recent(1))[0]?.id).toBe('e1');
  });

  it('migrates a version 1 ledger to the current version, keeping what it held', async () => {
    mkdirSync(dirname(file));
    const v1 = new DatabaseSync(file);
    v1.exec('PRAGMA journal_mode = WAL');
    v1.exec(SQLITE_LEDGER_MIGRATIONS[0]!);
    v1.exec(`INSERT INTO meta (key, value) VALUES ('schema_version', '1');
      INSERT INTO windows (id, since, until, pages, updated_at) VALUES ('backfill', 'a', 'b', 3, 'c')`);
    v1.close();
    expect(LEDGER_SCHEMA_VERSION).toBe(3);
    const l = ledger();
    expect(await l.window('backfill')).toEqual({ id: 'backfill', since: 'a', until: 'b', pages: 3 });
    expect(await l.inbox.accept([inboxEvent('e1', 's', 0)])).toEqual({ accepted: 1, duplicates: 0 });
    await l.close();
    const db = new DatabaseSync(file, { readOnly: true });
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({ value: '3' });
    db.close();
    expect((await ledger().inbox.depth(at(0))).pendingEvents).toBe(1);
  });

  it('keeps every event whose accept resolved when the process is SIGKILLed', async () => {
    ledger(); // creates the schema, so that the child's first accepts are not a migration
    const run = nodeWithLedger(`
      const now = new Date().toISOString();
      for (let i = 0; ; i++) {
        // Calls of 1, 2 and 3 events; a line once each call resolved, naming its events.
        const ids = Array.from({ length: (i % 3) + 1 }, (_, j) => 'e' + i + '-' + j);
        await ledger.inbox.accept(ids.map((id) => ({
          id, subjectKey: 'conv-' + (i % 7), topic: 'v2.detail.events.conversation.x.attributes',
          kind: 'attributes', eventTime: now, receivedAt: now })));
        say(ids.join(' '));
      }`);
    await run.until(300);
    run.child.kill('SIGKILL');
    expect((await run.exit).signal).toBe('SIGKILL');
    const acked = run.lines.slice().join(' ').split(' ').filter(Boolean);
    expect(acked.length).toBeGreaterThanOrEqual(600);

    const db = new DatabaseSync(file, { readOnly: true });
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    db.close();
    const { inbox } = ledger();
    const again = await inbox.accept(acked.map((id) => inboxEvent(id, 'elsewhere', 0)));
    expect(again).toEqual({ accepted: 0, duplicates: acked.length });
    // And nothing but whole calls: at most the one call that committed before its line was written.
    const pending = (await inbox.depth(at(0))).pendingEvents;
    expect(pending - acked.length).toBeGreaterThanOrEqual(0);
    expect(pending - acked.length).toBeLessThanOrEqual(3);
  });

  it('never leases one subject to two processes, and each event is completed once', async () => {
    const { inbox } = ledger();
    const subjects = 60;
    await inbox.accept(
      Array.from({ length: subjects * 3 }, (_, i) => inboxEvent(`e${i}`, `s${i % subjects}`, i)),
    );
    const runs = Array.from({ length: 3 }, (_, p) =>
      nodeWithLedger(`
        for (;;) {
          const batches = await ledger.inbox.claimDue({ now: ${JSON.stringify(at(60_000))}, quietMs: 2000,
            maxWaitMs: 10000, limit: 2, leaseMs: 60000, owner: 'process-${p}' });
          if (batches.length === 0) break;
          for (const b of batches) {
            say(JSON.stringify(b));
            await ledger.inbox.complete(b.subjectKey, b.eventIds, 'process-${p}');
          }
        }
        await ledger.close();`),
    );
    for (const run of runs) {
      const { code } = await run.exit;
      expect(code, run.stderr()).toBe(0);
    }
    const batches: InboxBatch[] = runs.flatMap((r) => r.lines.map((l) => JSON.parse(l) as InboxBatch));
    const claimed = batches.map((b) => b.subjectKey);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed).toHaveLength(subjects);
    const events = batches.flatMap((b) => b.eventIds);
    expect(new Set(events).size).toBe(subjects * 3);
    expect(events).toHaveLength(subjects * 3);
    expect(await inbox.depth(at(60_000))).toMatchObject({
      pendingEvents: 0,
      pendingSubjects: 0,
      leasedSubjects: 0,
    });
  }, 60_000);

  it('accepts events fast enough for the intake (prints the rate; the goal is 2,000 a second)', async () => {
    const { inbox } = ledger();
    const rate = async (perCall: number, ms = 2_000) => {
      const started = performance.now();
      let n = 0;
      while (performance.now() - started < ms) {
        const now = new Date().toISOString();
        await inbox.accept(
          Array.from({ length: perCall }, (_, j) => ({
            ...inboxEvent(`r${perCall}-${n + j}`, `conv-${(n + j) % 500}`, 0),
            eventTime: now,
            receivedAt: now,
          })),
        );
        n += perCall;
      }
      return Math.round((n * 1000) / (performance.now() - started));
    };
    // As the intake calls it: one call per request, many requests at once (they share a commit).
    const concurrent = async (ms = 2_000) => {
      const started = performance.now();
      let n = 0;
      while (performance.now() - started < ms) {
        const now = new Date().toISOString();
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, j) =>
            inbox.accept([
              { ...inboxEvent(`c-${n + j}`, `conv-${(n + j) % 500}`, 0), eventTime: now, receivedAt: now },
            ]),
          ),
        );
        expect(results.every((r) => r.accepted === 1)).toBe(true);
        n += 50;
      }
      return Math.round((n * 1000) / (performance.now() - started));
    };
    const single = await rate(1);
    const batched = await rate(100);
    const shared = await concurrent();
    console.log(
      `SQLite inbox accept (synchronous FULL): ${single} events/s one per call awaited in turn, ` +
        `${shared} events/s one per call 50 calls at once, ${batched} events/s 100 per call`,
    );
    expect(single).toBeGreaterThan(0);
  }, 30_000);
});
