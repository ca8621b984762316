import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors/errors.js';
import { failure, ledgerContract, success } from './contract.js';
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
