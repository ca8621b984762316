// biome-ignore-all lint/suspicious/noExplicitAny: parsed CLI output is inspected freely in tests
import { describe, expect, it } from 'vitest';
import { conversationOf, runCli, useEmulators } from '../test-helpers.js';

const { emu, env } = useEmulators();

describe('exit statuses and error messages', () => {
  it('2: usage errors say what is wrong', async () => {
    const run = await runCli(['sync', 'meeting', 'x'], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/sync needs "conversation <conversationId>"/);
    expect((await runCli(['frobnicate'], env())).code).toBe(2);
    expect((await runCli(['sync', 'conversation', 'x', '--target', 'zendesk'], env())).stderr).toMatch(
      /--target must be/,
    );
  });

  it('2: missing configuration names every missing variable', async () => {
    const run = await runCli(['sync', 'conversation', 'x'], { GENESYS_CLIENT_ID: 'abc' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/GENESYS_REGION/);
    expect(run.stderr).toMatch(/GENESYS_CLIENT_SECRET/);
  });

  it('2: plain http to a non-loopback host is refused', async () => {
    const run = await runCli(['sync', 'conversation', 'x'], {
      ...env(),
      COGNIGY_API_URL: 'http://cognigy.example.com',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/COGNIGY_API_URL must use https/);
  });

  it('2: an unknown region is refused with the list of regions', async () => {
    const e = env();
    const run = await runCli(['sync', 'conversation', 'x'], {
      GENESYS_REGION: 'mypurecloud.example',
      GENESYS_CLIENT_ID: e.GENESYS_CLIENT_ID!,
      GENESYS_CLIENT_SECRET: e.GENESYS_CLIENT_SECRET!,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/mypurecloud\.ie/);
  });

  it('2: a target asked for but not configured', async () => {
    const e = env();
    delete e.COGNIGY_API_KEY;
    delete e.COGNIGY_API_URL;
    delete e.COGNIGY_PROJECT_ID;
    const run = await runCli(['sync', 'conversation', conversationOf(emu(), 0), '--target', 'cognigy'], e);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--target cognigy is not configured/);
  });

  it('3: a wrong Genesys secret points at region and credentials, and never prints the secret', async () => {
    const run = await runCli(['sync', 'conversation', conversationOf(emu(), 0), '--json'], {
      ...env(),
      GENESYS_CLIENT_SECRET: 'wrong-secret-value-123',
    });
    expect(run.code).toBe(3);
    expect(run.json.error).toMatchObject({ kind: 'authentication', code: 'invalid_client' });
    expect(run.json.error.message).toMatch(/GENESYS_REGION/);
    expect(run.stdout + run.stderr).not.toContain('wrong-secret-value-123');
  });

  it('3: a wrong CXone access key fails that target only, with its hint', async () => {
    const run = await runCli(['sync', 'conversation', conversationOf(emu(), 0), '--json'], {
      ...env(),
      CXONE_ACCESS_KEY_SECRET: 'not-the-secret==',
    });
    expect(run.code).toBe(3);
    const [cx, cg] = run.json.targets;
    expect(cx.outcome).toBe('failed');
    expect(cx.error.kind).toBe('authentication');
    expect(cx.error.message).toMatch(/access key/);
    expect(cg.outcome).toBe('updated');
    expect(run.stdout).not.toContain('not-the-secret');
  });

  it('4: an unknown conversation', async () => {
    const run = await runCli(
      ['sync', 'conversation', '00000000-0000-4000-8000-00000000dead', '--json'],
      env(),
    );
    expect(run.code).toBe(4);
    expect(run.json.error).toMatchObject({ kind: 'not-found', status: 404 });
    expect(run.json.error.correlationId).toMatch(/[0-9a-f-]{36}/);
  });

  it('5: a write the platform refuses as invalid (413 body too large) — nothing written', async () => {
    emu().cognigy.faults.add({
      method: 'PATCH',
      path: '/new/v2.0/profiles/*',
      fault: { kind: 'status', status: 413 },
    });
    const c = emu().seed.customers[0]!;
    const before = JSON.stringify(emu().state.cognigy.profiles.get(c.cognigyProfileId!)!.profile);
    const run = await runCli(
      ['sync', 'conversation', conversationOf(emu(), 0), '--target', 'cognigy', '--json'],
      env(),
    );
    expect(run.code).toBe(5);
    expect(run.json.targets[0].error.kind).toBe('validation');
    expect(JSON.stringify(emu().state.cognigy.profiles.get(c.cognigyProfileId!)!.profile)).toBe(before);
  });

  it('6: a platform that stays unavailable after the retries', async () => {
    emu().cxone.faults.add({ path: '/dfo/3.0/customers', fault: { kind: 'status', status: 503 } });
    const run = await runCli(
      ['sync', 'conversation', conversationOf(emu(), 0), '--target', 'cxone', '--json'],
      env(),
    );
    expect(run.code).toBe(6);
    expect(run.json.targets[0].error).toMatchObject({ kind: 'transient', status: 503 });
    // Retried: the refused request was sent more than once.
    const refused = emu()
      .cxone.log.list()
      .filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThan(1);
  });
});

describe('retries', () => {
  it('obeys a 429 Retry-After from CXone: the retry comes at least that long after', async () => {
    emu().cxone.faults.add({
      method: 'PUT',
      path: '/dfo/3.0/customers/*/custom-fields',
      count: 1,
      fault: { kind: 'status', status: 429, retryAfter: 2 },
    });
    const run = await runCli(
      ['sync', 'conversation', conversationOf(emu(), 0), '--target', 'cxone', '--json'],
      env(),
    );
    expect(run.code, run.stderr).toBe(0);
    const puts = emu()
      .cxone.log.list()
      .filter((r) => r.method === 'PUT');
    expect(puts.map((p) => p.status)).toEqual([429, 200]);
    expect(Date.parse(puts[1]!.at) - Date.parse(puts[0]!.at)).toBeGreaterThanOrEqual(2000 - 50);
  });

  it('retries 5xx, dropped connections and malformed answers on reads', async () => {
    emu().genesys.faults.add({
      path: '/api/v2/conversations/*',
      count: 1,
      fault: { kind: 'status', status: 502 },
    });
    emu().genesys.faults.add({ path: '/api/v2/conversations/*', count: 1, fault: { kind: 'drop' } });
    emu().cognigy.faults.add({
      method: 'GET',
      path: '/new/v2.0/profiles',
      count: 1,
      fault: { kind: 'status', status: 500 },
    });
    const run = await runCli(['sync', 'conversation', conversationOf(emu(), 0), '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.targets.map((t: any) => t.outcome)).toEqual(['updated', 'updated']);
    const reads = emu()
      .genesys.log.list()
      .filter((r) => r.path.startsWith('/api/v2/conversations/'));
    expect(reads.length).toBe(3);
  });

  it('does not repeat a Cognigy create whose answer was lost when the profile exists', async () => {
    const index = emu().seed.customers.findIndex((c) => !c.cognigyProfileId);
    // The create reaches the server and is stored, but the client sees a 502.
    emu().cognigy.faults.add({
      method: 'POST',
      path: '/new/v2.0/profiles',
      count: 1,
      fault: { kind: 'delay', ms: 1 },
    });
    emu().cognigy.faults.add({
      method: 'POST',
      path: '/new/v2.0/profiles',
      count: 1,
      fault: { kind: 'status', status: 502 },
    });
    const run = await runCli(
      ['sync', 'conversation', conversationOf(emu(), index), '--target', 'cognigy', '--json'],
      env(),
    );
    expect(run.code, run.stderr).toBe(0);
    const profiles = [...emu().state.cognigy.profiles.values()].filter((p) =>
      p.contactIds.includes(emu().seed.customers[index]!.phone),
    );
    expect(profiles).toHaveLength(1);
  });
});

describe('check', () => {
  it('passes on good credentials', async () => {
    const run = await runCli(['check'], env());
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/✓ cxone read custom-field definitions/);
  });

  it('says what to fix for each failing platform', async () => {
    const run = await runCli(['check', '--json'], { ...env(), COGNIGY_API_KEY: 'bad-key' });
    expect(run.code).toBe(3);
    const failed = run.json.steps.filter((s: any) => !s.ok);
    expect(failed).toHaveLength(1);
    expect(failed[0].platform).toBe('cognigy');
    expect(failed[0].message).toMatch(/COGNIGY_API_KEY/);
    expect(run.stdout).not.toContain('bad-key');
  });
});
