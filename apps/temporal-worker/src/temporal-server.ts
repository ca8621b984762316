import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_FLAGS } from './shared.js';

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The installed Temporal CLI: TEMPORAL_CLI_PATH, else `temporal` on PATH, else undefined (then only
 * the SDK's download is left, which needs the internet). A TEMPORAL_CLI_PATH that is not an
 * executable file is an error, not a reason to look elsewhere.
 */
export function findTemporalCli(env: Record<string, string | undefined> = process.env): string | undefined {
  const named = env.TEMPORAL_CLI_PATH?.trim();
  if (named) {
    if (!isExecutable(named)) throw new Error(`TEMPORAL_CLI_PATH is not an executable file: ${named}`);
    return named;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'temporal');
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export const NO_TEMPORAL_CLI =
  'no Temporal CLI found: set TEMPORAL_CLI_PATH to a `temporal` binary or put one on PATH (bash scripts/install.sh installs one into ~/.cache/cx-profile-sync)';

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface DevServer {
  /** host:port of the frontend. */
  address: string;
  namespace: string;
  process: ChildProcess;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its temporary folder. */
  stop(): Promise<void>;
}

export interface DevServerOptions {
  cliPath?: string;
  /** The SQLite file that keeps its state; a temporary one by default (removed on stop). */
  dbFile?: string;
  port?: number;
  /** How long to wait for the frontend to answer (default 60 s). */
  readyTimeoutMs?: number;
}

/**
 * Starts `temporal server start-dev` (a real single-node Temporal with SQLite) on loopback, headless,
 * with our search attributes registered, and waits until its frontend answers.
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const cli = options.cliPath ?? findTemporalCli();
  if (!cli) throw new Error(NO_TEMPORAL_CLI);
  const folder = mkdtempSync(join(tmpdir(), 'cx-temporal-'));
  const dbFile = options.dbFile ?? join(folder, 'temporal.sqlite');
  const port = options.port ?? (await freePort());
  const [httpPort, metricsPort] = [await freePort(), await freePort()];
  const args = [
    'server',
    'start-dev',
    '--headless',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--http-port',
    String(httpPort),
    '--metrics-port',
    String(metricsPort),
    '--db-filename',
    dbFile,
    '--log-level',
    'error',
    ...SEARCH_ATTRIBUTE_FLAGS.flatMap((f) => ['--search-attribute', f]),
  ];
  const child = spawn(cli, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(address, options.readyTimeoutMs ?? 60_000, exited, () => stderr);
  } catch (e) {
    await stop();
    throw e;
  }
  return { address, namespace: 'default', process: child, stop };
}

async function waitUntilReady(
  address: string,
  timeoutMs: number,
  exited: Promise<number | null>,
  stderr: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (;;) {
    if (gone) throw new Error(`the Temporal dev server exited before it was ready: ${stderr().trim()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await connection.close();
      }
    } catch (e) {
      if (Date.now() > deadline)
        throw new Error(
          `the Temporal dev server at ${address} did not answer in time: ${(e as Error).message}`,
        );
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
