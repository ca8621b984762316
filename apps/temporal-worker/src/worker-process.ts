import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built command line (`pnpm --silent worker`), also when this file runs from source (in the tests). */
export const WORKER_MAIN = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? '../dist/main.js' : './main.js', import.meta.url),
);

/** `pnpm --silent worker start` as a child process (the benchmark and the crash tests use it). */
export interface WorkerProcess {
  child: ChildProcess;
  /** Its JSON log lines, parsed (the last 2,000). */
  logs: Record<string, unknown>[];
  /** Settles once it logged "worker started"; rejects if it exits first. */
  ready: Promise<void>;
  exited: Promise<number | null>;
  /** Peak resident memory so far (VmHWM, Linux), in bytes. */
  peakRssBytes(): number | undefined;
  /** SIGTERM and wait (graceful shutdown); SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

export function spawnWorkerProcess(env: Record<string, string>, mainPath = WORKER_MAIN): WorkerProcess {
  const child = spawn(process.execPath, [mainPath, 'start'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let rest = '';
  let onReady: () => void = () => undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    void exited.then((code) =>
      reject(new Error(`the worker exited (${code}) before it started: ${JSON.stringify(logs.slice(-5))}`)),
    );
  });
  ready.catch(() => undefined);
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line);
      } catch {
        entry = { message: line };
      }
      logs.push(entry);
      if (logs.length > 2000) logs.shift();
      if (entry.message === 'worker started') onReady();
    }
  });
  return {
    child,
    logs,
    ready,
    exited,
    peakRssBytes() {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return m ? Number(m[1]) * 1024 : undefined;
      } catch {
        return undefined;
      }
    },
    async stop(graceMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export interface CommandRun {
  code: number | null;
  stdout: string;
  /** The last 20,000 characters of stderr (progress lines can be many). */
  stderr: string;
}

/**
 * One command of the command line (`sync …`, `backfill … --wait`) as a child process, to its end,
 * with only this environment (and PATH) and from `/`, so that no .env is read. `mainPath` runs
 * another node command line the same way (the CLI's, in tests that compare the two).
 */
export function runWorkerCommand(
  args: string[],
  env: Record<string, string>,
  mainPath = WORKER_MAIN,
): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mainPath, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      cwd: '/',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
