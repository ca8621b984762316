// biome-ignore-all lint/style/noNonNullAssertion: seed data is known to be there
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Emulators } from '@cx-profile-sync/emulators';
import { afterEach, describe, expect, it } from 'vitest';
import { conversationOf, runCli, useEmulators } from '../test-helpers.js';

const { emu, env } = useEmulators({ customers: 12 });
const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const KEY = 'intake-test-key';

interface Serving {
  child: ChildProcess;
  urls: { intakeUrl: string; healthUrl: string; metricsUrl: string };
  /** The JSON lines printed after the first (one a sync). */
  lines: Record<string, unknown>[];
  stderr: () => string;
  exited: Promise<number | null>;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const c of running.splice(0)) c.kill('SIGKILL');
});

/** `cli serve` as a user runs it; resolves once it printed its URLs. */
async function serve(vars: Record<string, string>, args: string[] = []): Promise<Serving> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--quiet-ms', '300', ...args], {
    env: { PATH: process.env.PATH ?? '', ...vars },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const lines: Record<string, unknown>[] = [];
  let buffer = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const urls = await new Promise<Serving['urls']>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      buffer += d;
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = JSON.parse(buffer.slice(0, i));
        buffer = buffer.slice(i + 1);
        if ('intakeUrl' in line) resolve(line);
        else lines.push(line);
      }
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}) before it listened: ${stderr}`)));
  });
  return { child, urls, lines, stderr: () => stderr, exited };
}

/** The attributes event of a conversation as an EventBridge API destination posts it (`id` for a repeat). */
const attributesEvent = (e: Emulators, index: number, id: string) =>
  e.state.genesys.customerAttributesEvent(conversationOf(e, index), id);

function setAttribute(e: Emulators, index: number, name: string, value: string) {
  const conversation = e.state.genesys.conversations.get(conversationOf(e, index))!;
  conversation.participants.find((p) => p.purpose === 'customer')!.attributes[name] = value;
}

const post = (url: string, body: unknown, headers: Record<string, string> = { 'x-api-key': KEY }) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function until<T>(what: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const cxoneValue = (e: Emulators, index: number, field: string) =>
  e.state.cxone.customers.get(e.seed.customers[index]!.cxoneCustomerId!)!.customFields.get(field)?.value;

describe('serve: the live intake', () => {
  it('takes an event (202 once durable), syncs the customer once the burst is over, and counts it', async () => {
    const s = await serve({ ...env(), CX_INTAKE_KEY: KEY });
    const index = emu().seed.customers.findIndex((c) => c.cxoneCustomerId);
    setAttribute(emu(), index, 'promo_code', 'LIVE-1');
    // A burst: three events of one conversation, one delivered twice.
    const answers = [];
    for (const id of ['e-1', 'e-2', 'e-2', 'e-3'])
      answers.push(await post(s.urls.intakeUrl, attributesEvent(emu(), index, id)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);
    expect(await answers[2]!.json()).toEqual({ accepted: 0, duplicates: 1, ignored: 0 });
    const synced = await until(() =>
      s.lines.find((l) => l.synced === `conversation:${conversationOf(emu(), index)}`),
    );
    expect(synced.events).toBe(3);
    expect(cxoneValue(emu(), index, 'promo_code')).toBe('LIVE-1');
    // One sync for the burst: no second one.
    await new Promise((r) => setTimeout(r, 800));
    expect(s.lines.filter((l) => l.synced === synced.synced)).toHaveLength(1);
    const metrics = await (await fetch(s.urls.metricsUrl)).text();
    expect(metrics).toMatch(
      /cx_intake_events_received_total\{topic="v2\.detail\.events\.conversation\.\{id\}\.attributes"\} 4/,
    );
    expect(metrics).toMatch(/cx_intake_events_duplicate_total 1/);
    expect(metrics).toMatch(/cx_intake_syncs_total\{target="cxone",outcome="updated"\} 1/);
    const health = await (await fetch(s.urls.healthUrl)).json();
    expect(health).toMatchObject({ status: 'ok', inbox: { pendingEvents: 0 } });
    const status = await runCli(['status', '--json'], env());
    expect(status.code).toBe(0);
    expect(status.json.inbox).toMatchObject({ pendingEvents: 0, pendingSubjects: 0 });
    expect(status.json.recent.map((e: { id: string }) => e.id).sort()).toEqual(['e-1', 'e-2', 'e-3']);
    expect(status.json.recent.every((e: { processedAt?: string }) => e.processedAt)).toBe(true);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('refuses a wrong key (401), a malformed body (400, saying where), a large one (413); ignores unknown topics', async () => {
    const s = await serve({ ...env(), CX_INTAKE_KEY: KEY });
    const event = attributesEvent(emu(), 0, 'x-1');
    expect((await post(s.urls.intakeUrl, event, { 'x-api-key': 'wrong' })).status).toBe(401);
    expect((await post(s.urls.intakeUrl, event, {})).status).toBe(401);
    const bad = await post(s.urls.intakeUrl, {
      ...event,
      detail: { ...event.detail, eventBody: { conversationId: 42 } },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /detail\.eventBody\.conversationId/,
    );
    expect((await post(s.urls.intakeUrl, '{"version": "0", "id": ')).status).toBe(400);
    expect((await post(s.urls.intakeUrl, 'x'.repeat(2 * 1024 * 1024))).status).toBe(413);
    const other = await post(s.urls.intakeUrl, {
      ...event,
      id: 'x-2',
      detail: { ...event.detail, topicName: 'v2.users.abc.presence' },
    });
    expect(other.status).toBe(202);
    expect(await other.json()).toEqual({ accepted: 0, duplicates: 0, ignored: 1 });
  });

  it('end to end: an attribute set in Genesys reaches CXone and Cognigy through an EventBridge API destination', async () => {
    const s = await serve({ ...env(), CX_INTAKE_KEY: KEY });
    const registered = await fetch(`${emu().urls.genesys.apiUrl}/__admin/event-destinations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: s.urls.intakeUrl, apiKey: KEY, duplicates: true }),
    });
    expect(registered.status).toBe(201);
    const index = emu().seed.customers.findIndex((c) => c.cxoneCustomerId && c.cognigyProfileId);
    const conversationId = conversationOf(emu(), index);
    const participant = emu()
      .state.genesys.conversations.get(conversationId)!
      .participants.find((p) => p.purpose === 'customer')!;
    // The IVR sets three attributes one by one (each delivered twice by EventBridge).
    for (const [k, v] of [
      ['loyalty_tier', 'platinum'],
      ['promo_code', 'IVR-7'],
      ['preferred_channel', 'sms'],
    ] as const)
      emu().state.genesys.patchParticipantAttributes(conversationId, participant.id, { [k]: v });
    const synced = await until(() => s.lines.find((l) => l.synced === `conversation:${conversationId}`));
    expect(synced.events).toBe(3);
    expect(cxoneValue(emu(), index, 'promo_code')).toBe('IVR-7');
    const profile = emu().state.cognigy.profiles.get(emu().seed.customers[index]!.cognigyProfileId!)!;
    expect(profile.profile.promo_code ?? profile.profile.Promo_Code).toBe('IVR-7');
    await new Promise((r) => setTimeout(r, 800));
    expect(s.lines.filter((l) => l.synced === synced.synced)).toHaveLength(1);
  });

  it('follows queues over the Notifications API WebSocket, and sweeps the time a socket_closing took it away', async () => {
    const [queue] = emu().state.genesys.queueIds();
    const s = await serve(env(), ['--listen-notifications', '--queues', queue!]);
    const index = emu().seed.customers.findIndex((c) => c.cxoneCustomerId);
    const conversationId = conversationOf(emu(), index);
    const participant = emu()
      .state.genesys.conversations.get(conversationId)!
      .participants.find((p) => p.purpose === 'customer')!;
    // Subscribed once the channel is there: the emulator lists it with its topic.
    await until(() =>
      emu()
        .state.genesys.events.notifications.views()
        .some((c) => c.connected && c.topics.length > 0)
        ? true
        : undefined,
    );
    emu().state.genesys.patchParticipantAttributes(conversationId, participant.id, { promo_code: 'WS-1' });
    await until(() => s.lines.find((l) => l.synced === `conversation:${conversationId}`));
    expect(cxoneValue(emu(), index, 'promo_code')).toBe('WS-1');

    // Maintenance: socket_closing, then the socket goes; the listener reconnects and sweeps the gap.
    const [channel] = emu().state.genesys.events.notifications.views();
    const closing = await fetch(
      `${emu().urls.genesys.apiUrl}/__admin/notifications/channels/${channel!.id}/socket-closing`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ graceMs: 100 }),
      },
    );
    expect(closing.status).toBeLessThan(300);
    const swept = await until(() => s.lines.find((l) => typeof l.swept === 'string'));
    expect(swept.swept).toMatch(/\/.+/);
    expect(s.stderr()).toMatch(/notifications were down .* \(socket-closing\): sweeping it/);
  });

  it('refuses to listen beyond loopback without a key', async () => {
    await expect(serve(env(), ['--host', '0.0.0.0'])).rejects.toThrow(/without a key: set CX_INTAKE_KEY/);
  });

  it('loses nothing accepted when killed before the sync: the next start syncs it, once', async () => {
    const vars = { ...env(), CX_INTAKE_KEY: KEY };
    const first = await serve(vars, ['--quiet-ms', '5000']);
    const index = emu().seed.customers.findIndex((c) => c.cxoneCustomerId);
    setAttribute(emu(), index, 'promo_code', 'AFTER-CRASH');
    expect((await post(first.urls.intakeUrl, attributesEvent(emu(), index, 'k-1'))).status).toBe(202);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(cxoneValue(emu(), index, 'promo_code')).not.toBe('AFTER-CRASH');
    const second = await serve(vars);
    // Delivered again by EventBridge (the first answer may have been lost): still one sync.
    expect((await post(second.urls.intakeUrl, attributesEvent(emu(), index, 'k-1'))).status).toBe(202);
    await until(() => second.lines.find((l) => l.synced === `conversation:${conversationOf(emu(), index)}`));
    expect(cxoneValue(emu(), index, 'promo_code')).toBe('AFTER-CRASH');
    await new Promise((r) => setTimeout(r, 800));
    expect(second.lines).toHaveLength(1);
  });
});

describe('demo --live', () => {
  it('shows the NICE profiles following what an IVR sets, within seconds', async () => {
    const run = await runCli(['demo', '--live'], {});
    expect(run.code, run.stderr).toBe(0);
    // Only what the IVR changed is written (the ledger knew the rest), once per conversation's burst.
    const synced = run.stdout.match(/synced conversation:\S+: 3 events → cxone updated \([a-z_, ]+\)/g) ?? [];
    expect(synced).toHaveLength(5);
    for (const line of synced)
      expect(line).toMatch(
        /\((loyalty_tier|preferred_channel|promo_code)(, (loyalty_tier|preferred_channel|promo_code))*\)$/,
      );
    expect(run.stdout).toContain("Every caller's NICE profile follows what the IVR set.");
  }, 60_000);
});
