// biome-ignore-all lint/suspicious/noExplicitAny: parsed CLI output is inspected freely in tests
import { registerTarget, unregisterPlatform } from '@cx-profile-sync/core';
import { type MemoServer, memo, startMemoServer } from '@cx-profile-sync/core/testing/memo';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../main.js';
import { conversationOf, useEmulators } from '../test-helpers.js';

// The CLI path of a target registered in one place (here, from the test) and named nowhere in the
// CLI: its --target value, its record-id option, its configuration, check and back-fill all come
// from the registry. The CLI runs in this process, so that it sees the registration.
const { emu, env } = useEmulators({ customers: 6 });
let memoServer: MemoServer;
const saved = { ...process.env };

beforeAll(async () => {
  registerTarget(memo);
  memoServer = await startMemoServer();
});
afterEach(() => {
  process.env = { ...saved };
  vi.restoreAllMocks();
});
afterAll(async () => {
  unregisterPlatform('memo');
  await memoServer?.stop();
});

/** Runs the CLI's main in this process with the emulators' and Memo's variables; stdout parsed. */
async function cli(
  args: string[],
  vars: Record<string, string> = { ...env(), ...memoServer.env },
): Promise<{ code: number; json?: any; out: string; err: string }> {
  process.env = { PATH: saved.PATH ?? '', ...vars };
  let out = '';
  let err = '';
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out += `${a.join(' ')}\n`;
  });
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    err += `${a.join(' ')}\n`;
  });
  const code = await main(args);
  vi.restoreAllMocks();
  let json: any;
  try {
    json = JSON.parse(out);
  } catch {
    json = undefined;
  }
  return { code, json, out, err };
}

describe('a target registered from a test, through the CLI', () => {
  it('is offered in the usage text', async () => {
    const help = await cli(['--help']);
    expect(help.out).toContain('--target cxone|cognigy|memo|all');
    expect(help.out).toContain('--memo-record <id>');
    expect(help.out).toContain('Memo CRM: set MEMO_API_URL and MEMO_API_KEY');
  });

  it('syncs a conversation to it alone, then by its record id, then with the other targets', async () => {
    const id = conversationOf(emu(), 2);
    const first = await cli(['sync', 'conversation', id, '--target', 'memo', '--json']);
    expect(first.code, first.err).toBe(0);
    expect(first.json.targets).toEqual([
      expect.objectContaining({ target: 'memo', outcome: 'updated', created: true }),
    ]);
    const recordId = first.json.targets[0].customerId;
    expect(memoServer.records.get(recordId)!.fields.loyalty_tier).toBe(
      first.json.targets[0].written.loyalty_tier,
    );

    memoServer.records.get(recordId)!.fields.loyalty_tier = 'edited on the target';
    const byId = await cli([
      'sync',
      'conversation',
      id,
      '--target',
      'memo',
      '--memo-record',
      recordId,
      '--json',
    ]);
    expect(byId.json.targets[0]).toMatchObject({
      outcome: 'updated',
      customerId: recordId,
      written: { loyalty_tier: expect.any(String) },
    });
    expect(memoServer.records.get(recordId)!.fields.loyalty_tier).not.toBe('edited on the target');

    const all = await cli(['sync', 'conversation', id, '--json']);
    expect(all.json.targets.map((t: any) => t.target)).toEqual(['cxone', 'cognigy', 'memo']);
    expect(all.json.targets[2]).toMatchObject({ target: 'memo', outcome: 'unchanged', customerId: recordId });
  });

  it('is checked, and back-filled with the others', async () => {
    const check = await cli(['check', '--json']);
    expect(check.code, check.err).toBe(0);
    expect(check.json.steps).toContainEqual(expect.objectContaining({ platform: 'memo', ok: true }));

    const before = [...memoServer.records.keys()];
    const run = await cli([
      'backfill',
      '--since',
      '2026-09-01T00:00:00Z',
      '--until',
      '2026-11-02T00:00:00Z',
      '--target',
      'memo',
      '--json',
    ]);
    expect(run.code, run.err).toBe(0);
    expect(run.json.outcomes.failed).toBe(0);
    expect(run.json.customers).toBe(6);
    // One record per customer: the one the test above made is found again, the others created.
    expect(before).toHaveLength(1);
    expect(memoServer.records.size).toBe(6);
  });

  it('says which variables to set when it is asked for but not configured', async () => {
    const run = await cli(['sync', 'conversation', conversationOf(emu(), 1), '--target', 'memo'], env());
    expect(run.code).toBe(2);
    expect(run.err).toContain('--target memo is not configured: set MEMO_API_URL and MEMO_API_KEY');
  });
});
