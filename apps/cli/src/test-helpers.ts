// biome-ignore-all lint/suspicious/noExplicitAny: parsed CLI output is inspected freely in tests
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type EmulatorOptions,
  type Emulators,
  emulatorEnv,
  startEmulators,
} from '@cx-profile-sync/emulators';
import { afterAll, beforeAll, beforeEach } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The parsed stdout, when it is JSON. */
  json?: any;
}

/** Runs the built CLI as a user would, with only the given environment (no .env in its folder). */
export function runCli(args: string[], env: Record<string, string>, cwd = '/'): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code: code ?? -1, stdout, stderr, json });
    });
  });
}

const ledgerFolders: string[] = [];

/** A new, empty ledger file's path (never the user's own ledger), removed after the test file. */
export function freshLedger(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cx-ledger-'));
  ledgerFolders.push(dir);
  return join(dir, 'ledger.sqlite');
}
afterAll(() => {
  for (const dir of ledgerFolders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * Emulators for a test file, reset before each test, and the environment that points the CLI at them,
 * with a ledger of its own for each test (the emulators forget their state between tests; so must it).
 */
export function useEmulators(options: EmulatorOptions = {}) {
  let emu: Emulators | undefined;
  let ledger = '';
  beforeAll(async () => {
    emu = await startEmulators({ customers: 20, ...options });
  });
  beforeEach(() => {
    emu?.reset();
    ledger = freshLedger();
  });
  afterAll(async () => emu?.stop());
  return {
    emu: () => emu!,
    env: (): Record<string, string> => ({ ...emulatorEnv(emu!.urls), CX_LEDGER: ledger }),
  };
}

/** The latest conversation id of seed customer `index`. */
export const conversationOf = (emu: Emulators, index: number) =>
  emu.seed.customers[index]!.conversationIds.at(-1)!;
