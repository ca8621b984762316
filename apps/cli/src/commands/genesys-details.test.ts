import { describe, expect, it } from 'vitest';
import { runCli, useEmulators } from '../test-helpers.js';

// Genesys Cloud as it really answers: TokenInfo in `check`, and a conversation that holds no customer.
const { emu, env } = useEmulators({ customers: 6, conversationsWithoutCustomer: 1 });

describe('Genesys Cloud details through the CLI', () => {
  it('check names the OAuth client, its organization and when the token idles', async () => {
    const run = await runCli(['check', '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    const step = run.json.steps.find(
      (s: { platform: string; step: string }) =>
        s.platform === 'genesys' && s.step === 'login and permissions',
    );
    const { clientName, organization } = emu().seed.genesys;
    expect(step.message).toMatch(
      new RegExp(
        `^token for OAuth client "${clientName}" of organization "${organization.name}", idles at \\d{4}-`,
      ),
    );
  });

  it('check reports how far the analytics data reaches, and how long ago that is', async () => {
    const at = '2026-10-30T08:00:00.000Z';
    await fetch(`${emu().urls.genesys.apiUrl}/__admin/watermark`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ date: at }),
    });
    const run = await runCli(['check', '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    const step = run.json.steps.find(
      (s: { platform: string; step: string }) =>
        s.platform === 'genesys' && s.step === 'analytics data availability',
    );
    expect(step).toMatchObject({ ok: true });
    expect(step.message).toMatch(
      new RegExp(
        `^analytics jobs hold conversations that started before ${at} \\([\\d.]+ (minutes|hours|days) ago\\)`,
      ),
    );
  });

  it('sync conversation says a conversation of only an agent and an external party holds no customer (exit 4)', async () => {
    const c = emu().seed.genesys.conversations.find((x) => x.customerIndex === -1)!;
    const run = await runCli(['sync', 'conversation', c.id, '--json'], env());
    expect(run.code).toBe(4);
    expect(run.json.error).toMatchObject({ kind: 'not-found' });
    expect(run.json.error.message).toContain(
      `conversation ${c.id} has no participant with purpose "customer" (it has: agent, external)`,
    );
    const writes = [...emu().cxone.log.list(), ...emu().cognigy.log.list()].filter((r) =>
      ['PUT', 'PATCH', 'POST', 'DELETE'].includes(r.method),
    );
    expect(writes.filter((r) => !r.path.startsWith('/auth/'))).toEqual([]);
  });
});
