/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: it runs the command line and the Temporal worker as child processes, it never runs inside n8n */
import { fileURLToPath } from 'node:url';
import type { SyncResult } from '@cx-profile-sync/core';
import { type Emulators, emulatorEnv, startEmulators } from '@cx-profile-sync/emulators';
import { type DevServer, startDevServer } from '@cx-profile-sync/temporal-worker/temporal-server';
import {
  runWorkerCommand,
  spawnWorkerProcess,
  type WorkerProcess,
} from '@cx-profile-sync/temporal-worker/worker-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProfileSync } from '../../nodes/ProfileSync/ProfileSync.node';
import { runNode } from '../unit/emulators';
import { emulatorCredentials, fakeN8n } from '../unit/fake-n8n';

// One customer, three hosts of the same core: the command line, the Temporal worker (a real server
// and a worker process) and this package's Profile Sync node. Each gives the same per-attribute
// result, because each drives the same flows and the same plan (a dry run, so none changes the data).
const CLI_MAIN = fileURLToPath(new URL('../../../../apps/cli/dist/main.js', import.meta.url));

let emu: Emulators;
let server: DevServer;
let worker: WorkerProcess;
let env: Record<string, string>;

beforeAll(async () => {
  emu = await startEmulators({ customers: 12, limits: false, genesys: { jobDelayMs: 20 } });
  server = await startDevServer();
  env = {
    ...emulatorEnv(emu.urls),
    CX_RATE_LIMITS: 'off',
    // The same customers go through each host after an emulator reset: no host may remember them.
    CX_LEDGER: 'off',
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: 'three-hosts',
  };
  worker = spawnWorkerProcess(env);
  await worker.ready;
}, 120_000);
afterAll(async () => {
  await worker?.stop();
  await server?.stop();
  await emu?.stop();
});

const runCli = (args: string[]) => runWorkerCommand(args, env, CLI_MAIN);

async function viaNode(conversationId: string): Promise<SyncResult> {
  const [item] = await runNode(
    new ProfileSync(),
    fakeN8n({
      credentials: emulatorCredentials(emu),
      parameters: {
        source: 'conversationId',
        conversationId,
        syncToCxone: true,
        syncToCognigy: true,
        cognigyProjectId: emu.credentials.cognigy.projectId,
        options: { dryRun: true },
      },
    }).execute,
  );
  return item!.json as unknown as SyncResult;
}

describe('the CLI, the Temporal worker and the n8n node', () => {
  // 0: known to both targets; 3: no Cognigy profile yet (would be created); 9: unknown to CXone.
  it.each([0, 3, 9])('give the same per-attribute result for seed customer %i', async (index) => {
    const conversationId = emu.seed.customers[index]!.conversationIds.at(-1)!;
    const cli = await runCli(['sync', 'conversation', conversationId, '--dry-run', '--json']);
    const viaWorker = await runWorkerCommand(
      ['sync', 'conversation', conversationId, '--dry-run', '--rerun', '--json'],
      env,
    );
    // The same exit status too (4 when a target does not know the customer).
    expect(viaWorker.code, viaWorker.stderr).toBe(cli.code);
    expect(cli.code, cli.stderr).toBe(index === 9 ? 4 : 0);
    const fromCli = JSON.parse(cli.stdout) as SyncResult;
    const fromWorker = JSON.parse(viaWorker.stdout) as SyncResult;
    const fromNode = await viaNode(conversationId);

    expect(fromCli.targets.map((t) => t.target)).toEqual(['cxone', 'cognigy']);
    expect(fromCli.targets.some((t) => Object.keys(t.written).length > 0 || t.skipped.length > 0)).toBe(true);
    expect(fromWorker).toEqual(fromCli);
    expect(JSON.parse(JSON.stringify(fromNode))).toEqual(fromCli);
  });
});
