// biome-ignore-all lint/suspicious/noExplicitAny: parsed CLI output is inspected freely in tests
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPKCS8, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { conversationOf, runCli, useEmulators } from '../test-helpers.js';

const { emu, env } = useEmulators();

describe('more error kinds', () => {
  it('3: the tutorial’s JWT-bearer login is refused by Genesys Cloud, and the message says to use client credentials', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportPKCS8(privateKey);
    const e = env();
    delete e.GENESYS_CLIENT_SECRET;
    const run = await runCli(['sync', 'conversation', conversationOf(emu(), 0), '--json'], {
      ...e,
      GENESYS_PRIVATE_KEY: pem.replace(/\n/g, '\\n'),
    });
    expect(run.code).toBe(3);
    expect(run.json.error).toMatchObject({ kind: 'authentication', code: 'unsupported_grant_type' });
    expect(run.json.error.message).toMatch(/Genesys Cloud has no JWT-bearer grant.*Client Credentials/);
    expect(run.stdout).not.toContain('PRIVATE KEY');
  });

  it('3: a 403 points at roles and permissions', async () => {
    emu().genesys.faults.add({ path: '/api/v2/conversations/', fault: { kind: 'status', status: 403 } });
    const run = await runCli(['sync', 'conversation', conversationOf(emu(), 0), '--json'], env());
    expect(run.code).toBe(3);
    expect(run.json.error).toMatchObject({ kind: 'permission', status: 403, code: 'missing.permissions' });
    expect(run.json.error.message).toMatch(/roles/);
  });

  it('6: still rate limited after the retries, with the wait the platform asked for', async () => {
    emu().cognigy.faults.add({
      method: 'GET',
      path: '/new/v2.0/profiles/schema',
      fault: { kind: 'status', status: 429, retryAfter: 1 },
    });
    const run = await runCli(
      ['sync', 'conversation', conversationOf(emu(), 0), '--target', 'cognigy', '--json'],
      env(),
    );
    expect(run.code).toBe(6);
    expect(run.json.targets[0].error).toMatchObject({ kind: 'rate-limited', status: 429 });
    const tries = emu()
      .cognigy.log.list()
      .filter((r) => r.path.startsWith('/new/v2.0/profiles/schema'));
    expect(tries.length).toBe(5);
    for (let i = 1; i < tries.length; i++)
      expect(Date.parse(tries[i]!.at) - Date.parse(tries[i - 1]!.at)).toBeGreaterThanOrEqual(1000 - 50);
  }, 30_000);

  it('6: an answer that is not JSON is an upstream error, named as such', async () => {
    emu().cxone.faults.add({
      path: '/dfo/3.0/customers/custom-field-definitions',
      fault: { kind: 'malformed-json' },
    });
    const run = await runCli(
      ['sync', 'conversation', conversationOf(emu(), 0), '--target', 'cxone', '--json'],
      env(),
    );
    expect(run.code).toBe(6);
    expect(run.json.targets[0].error.kind).toBe('upstream');
    expect(run.json.targets[0].error.message).toMatch(/not JSON/);
  });
});

describe('configuration from a .env file', () => {
  it('reads .env in the working directory; variables already set win', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cx-env-'));
    const e = env();
    await writeFile(
      join(dir, '.env'),
      Object.entries(e)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    );
    const fromFile = await runCli(['check'], {}, dir);
    expect(fromFile.code, fromFile.stdout + fromFile.stderr).toBe(0);
    const overridden = await runCli(['check', '--json'], { COGNIGY_API_KEY: 'set-in-environment' }, dir);
    expect(overridden.code).toBe(3);
    expect(overridden.json.steps.find((s: any) => s.platform === 'cognigy').ok).toBe(false);
  });
});
