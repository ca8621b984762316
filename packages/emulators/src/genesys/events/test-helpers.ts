// biome-ignore-all lint/suspicious/noExplicitAny: test payloads are inspected freely
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import type { Emulators } from '../../start.js';
import { genesysToken, http as request } from '../../test-helpers.js';

/** Polls until `check` holds, or fails after `timeoutMs` saying what it waited for. */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: any;
}

/**
 * A stand-in for the intake: records every POST and answers what `answer` says for the n-th one
 * (0-based), 200 by default.
 */
export async function startReceiver(
  answer: (n: number) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 }),
) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = received.length;
      received.push({
        at: Date.now(),
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString()),
      });
      const a = answer(n);
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(a.status < 300 ? '' : '{"error":"scripted"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/events/genesys`,
    received,
    waitFor: (n: number, timeoutMs?: number) =>
      until(() => received.length >= n, `${n} deliveries (got ${received.length})`, timeoutMs),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A Genesys Platform API call with a fresh token. */
export async function genesysApi(emu: Emulators, method: string, path: string, json?: unknown) {
  const token = await genesysToken(emu);
  return request(method, `${emu.urls.genesys.apiUrl}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    ...(json !== undefined ? { json } : {}),
  });
}

/** The first seed conversation with a customer, its customer participant and its queue. */
export function customerConversation(emu: Emulators, index = 0) {
  const c = emu.seed.genesys.conversations.filter((x) =>
    x.participants.some((p) => p.purpose === 'customer'),
  )[index]!;
  const customer = c.participants.find((p) => p.purpose === 'customer')!;
  const queueId = c.participants.find((p) => p.queueId)!.queueId!;
  return { conversation: c, customer, queueId };
}

export const attributesPath = (conversationId: string, participantId: string) =>
  `/api/v2/conversations/${conversationId}/participants/${participantId}/attributes`;

/** A WebSocket client that keeps every frame and says how it closed. */
export async function connectSocket(uri: string) {
  const ws = new WebSocket(uri);
  const frames: any[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
  return {
    ws,
    frames,
    closed,
    /** Frames other than heartbeats. */
    events: () => frames.filter((f) => f.topicName !== 'channel.metadata'),
    waitFor: (pred: (f: any) => boolean, what: string, timeoutMs?: number) =>
      until(() => frames.some(pred), what, timeoutMs).then(() => frames.find(pred)),
  };
}

/** Creates a channel with the given topics and connects to it. */
export async function openChannel(emu: Emulators, topics: string[]) {
  const token = await genesysToken(emu);
  const base = emu.urls.genesys.apiUrl;
  const auth = { authorization: `Bearer ${token}` };
  const channel = await request('POST', `${base}/api/v2/notifications/channels`, { headers: auth });
  if (channel.status !== 200) throw new Error(`channel: ${channel.status} ${channel.text}`);
  const sub = await request('PUT', `${base}/api/v2/notifications/channels/${channel.body.id}/subscriptions`, {
    headers: auth,
    json: topics.map((id) => ({ id })),
  });
  if (sub.status !== 200) throw new Error(`subscribe: ${sub.status} ${sub.text}`);
  const socket = await connectSocket(channel.body.connectUri);
  return {
    token,
    auth,
    channel: channel.body as { id: string; connectUri: string; expires: string },
    socket,
  };
}
