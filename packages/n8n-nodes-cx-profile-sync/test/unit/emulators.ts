import { type EmulatorOptions, type Emulators, startEmulators } from '@cx-profile-sync/emulators';
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** Starts the emulators once for a test file and restores their seed state before each test. */
export function useEmulators(options: EmulatorOptions = {}): () => Emulators {
  let emulators: Emulators | undefined;
  beforeAll(async () => {
    emulators = await startEmulators({ customers: 20, genesys: { jobDelayMs: 20 }, ...options });
  });
  beforeEach(() => emulators?.reset());
  afterAll(async () => {
    await emulators?.stop();
  });
  return () => {
    if (!emulators) throw new Error('emulators not started');
    return emulators;
  };
}

/** Runs a node's `execute` in a (fake) n8n context; returns its first output. */
export async function runNode(node: INodeType, ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
  if (!node.execute) throw new Error('the node has no execute method');
  const out = (await node.execute.call(ctx)) as INodeExecutionData[][];
  return out[0] ?? [];
}
