/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling: it runs a real n8n as a child process, it never runs inside n8n */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package folder (holding package.json and the built dist/). */
export const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const PACKAGE_NAME = 'n8n-nodes-cx-profile-sync';

/**
 * The n8n that scripts/install.sh installs (2.40.7, outside the workspace). Missing → a clear
 * failure, never a skipped test.
 */
export function n8nBinary(): string {
  const bin = process.env.N8N_BIN;
  if (!bin || !existsSync(bin)) {
    throw new Error(
      `n8n is not installed${bin ? ` (N8N_BIN=${bin} does not exist)` : ' (N8N_BIN is not set)'}: run "bash scripts/install.sh --with-n8n" from the repository root (it installs n8n 2.40.7 into the cache), then "source scripts/toolchain.sh", which sets N8N_BIN`,
    );
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) throw new Error(`n8n 2.40 needs Node 24; these tests run on Node ${process.versions.node}`);
  return realpathSync(bin);
}

export interface N8nHome {
  /** N8N_USER_FOLDER: n8n keeps its database, settings and community packages under it. */
  userFolder: string;
  run(args: string[]): Promise<{ stdout: string; stderr: string }>;
  remove(): Promise<void>;
}

/** A TCP port free right now on loopback. */
function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port')),
      );
    });
  });
}

/** Runs a program and resolves with its output; a failure carries its stderr. */
function run(
  file: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeout?: number },
) {
  return new Promise<{ stdout: string; stderr: string }>((ok, fail) => {
    // eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- the test starts npm, tar and n8n itself
    execFile(
      file,
      args,
      { maxBuffer: 64 * 1024 * 1024, timeout: 120_000, ...options },
      (error, stdout, stderr) => {
        if (error)
          fail(
            new Error(
              `${file} ${args.join(' ')} failed (${error.message}):\n${stderr}\n${stdout}`.slice(0, 8000),
            ),
          );
        else ok({ stdout, stderr });
      },
    );
  });
}

/**
 * A fresh n8n home with the package installed as n8n's own installer installs a community package:
 * the `npm pack` tarball unpacked into `<home>/.n8n/nodes/node_modules/<package>`, its dev and peer
 * dependencies removed from its package.json, and the package listed in `<home>/.n8n/nodes/package.json`.
 * Every n8n command then runs offline and quietly.
 */
export async function n8nHomeWithPackage(): Promise<N8nHome> {
  const bin = n8nBinary();
  if (!existsSync(join(PACKAGE_DIR, 'dist', 'nodes', 'ProfileSync', 'ProfileSync.node.js'))) {
    throw new Error(`the package is not built: run "pnpm build" in ${PACKAGE_DIR}`);
  }
  const userFolder = await mkdtemp(join(tmpdir(), 'cx-n8n-e2e-'));
  const nodesDir = join(userFolder, '.n8n', 'nodes');
  const installed = join(nodesDir, 'node_modules', PACKAGE_NAME);
  await mkdir(installed, { recursive: true });
  const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', userFolder], {
    cwd: PACKAGE_DIR,
  });
  const tarball = join(userFolder, stdout.trim().split('\n').at(-1)!);
  await run('tar', ['-xzf', tarball, '--strip-components=1', '-C', installed], {});
  const manifestPath = join(installed, 'package.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  delete manifest.devDependencies;
  delete manifest.peerDependencies;
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  await writeFile(
    join(nodesDir, 'package.json'),
    JSON.stringify({
      name: 'installed-nodes',
      private: true,
      dependencies: { [PACKAGE_NAME]: manifest.version },
    }),
  );
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: userFolder,
    N8N_USER_FOLDER: userFolder,
    N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_HIRING_BANNER_ENABLED: 'false',
    N8N_REINSTALL_MISSING_PACKAGES: 'false',
    N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
    // `execute` prints the run data through n8n's logger at level info.
    N8N_LOG_LEVEL: 'info',
    N8N_LOG_OUTPUT: 'console',
    DB_TYPE: 'sqlite',
    // `execute` starts a task broker; its own port, so that another n8n on this machine does not clash.
    N8N_RUNNERS_BROKER_PORT: String(await freePort()),
    TZ: 'UTC',
  };
  return {
    userFolder,
    run: (args) => run(process.execPath, [bin, ...args], { env, cwd: userFolder }),
    remove: () => rm(userFolder, { recursive: true, force: true }),
  };
}

/** One output item of a node, as n8n's run data holds it. */
export interface RunItem<T = Record<string, unknown>> {
  json: T;
  pairedItem?: unknown;
}

/** What `n8n execute --rawOutput` prints: the run data (the parts these tests read). */
export interface Execution {
  data: {
    resultData: {
      error?: unknown;
      runData: Record<string, { error?: unknown; data?: { main?: (RunItem[] | null)[] } }[]>;
    };
  };
}

/** The run data that `n8n execute --rawOutput` prints, indented, among n8n's log lines. */
export function parseExecution(stdout: string): Execution {
  const lines = stdout.split('\n');
  const first = lines.indexOf('{');
  const last = lines.indexOf('}', first);
  if (first < 0 || last < 0) throw new Error(`n8n execute printed no run data:\n${stdout.slice(0, 4000)}`);
  return JSON.parse(lines.slice(first, last + 1).join('\n'));
}

/** The items a node output in a run (first run, first output). */
export function nodeItems<T = Record<string, unknown>>(execution: Execution, nodeName: string): RunItem<T>[] {
  const run = execution.data.resultData.runData[nodeName]?.[0];
  if (!run) throw new Error(`node "${nodeName}" did not run`);
  if (run.error) throw new Error(`node "${nodeName}" failed: ${JSON.stringify(run.error).slice(0, 2000)}`);
  return (run.data?.main?.[0] ?? []) as RunItem<T>[];
}
