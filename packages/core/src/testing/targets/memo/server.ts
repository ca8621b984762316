/**
 * "Memo CRM", a target that exists only for the tests: a tiny HTTP API on loopback that stores
 * customer records with typed fields. It proves that a target is one folder: this server stands in
 * for the platform (as packages/emulators do for the real ones), the rest of the folder is the
 * target as a real one is written (protocol, descriptor), and a test registers it in one place.
 *
 *   GET   /api/fields                → [{ name, type: 'string' | 'number' | 'boolean' }]
 *   GET   /api/records?contact=<id>  → { records: MemoRecord[] } (records holding that contact id)
 *   GET   /api/records/<id>          → MemoRecord, or 404
 *   PATCH /api/records/<id>          { fields } → MemoRecord (fields merged)
 *   POST  /api/records               { contacts, fields } → 201 MemoRecord
 * Every call needs `authorization: Bearer <apiKey>` (else 401).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MemoRecord {
  id: string;
  contacts: string[];
  fields: Record<string, unknown>;
}

export interface MemoField {
  name: string;
  type: 'string' | 'number' | 'boolean';
}

export interface MemoServer {
  url: string;
  apiKey: string;
  records: Map<string, MemoRecord>;
  /** Every request received: method and path (no secrets). */
  requests: { method: string; path: string }[];
  /** The environment that configures the target against this server. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export const MEMO_FIELDS: MemoField[] = [
  { name: 'loyalty_tier', type: 'string' },
  { name: 'annual_spend', type: 'number' },
  { name: 'vip', type: 'boolean' },
  { name: 'preferred_channel', type: 'string' },
];

export async function startMemoServer(
  options: { records?: Omit<MemoRecord, 'id'>[] } = {},
): Promise<MemoServer> {
  const apiKey = `memo-${randomUUID()}`;
  const records = new Map<string, MemoRecord>();
  for (const r of options.records ?? []) {
    const id = randomUUID();
    records.set(id, { id, ...structuredClone(r) });
  }
  const requests: MemoServer['requests'] = [];

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://memo');
    requests.push({ method: req.method ?? 'GET', path: url.pathname });
    if (req.headers.authorization !== `Bearer ${apiKey}`) return send(res, 401, { error: 'unauthorized' });
    const id = /^\/api\/records\/([^/]+)$/.exec(url.pathname)?.[1];
    if (req.method === 'GET' && url.pathname === '/api/fields') return send(res, 200, MEMO_FIELDS);
    if (req.method === 'GET' && url.pathname === '/api/records') {
      const contact = url.searchParams.get('contact') ?? '';
      return send(res, 200, { records: [...records.values()].filter((r) => r.contacts.includes(contact)) });
    }
    if (req.method === 'POST' && url.pathname === '/api/records') {
      const body = (await readBody(req)) as { contacts?: string[]; fields?: Record<string, unknown> };
      if (!Array.isArray(body.contacts) || body.contacts.length === 0)
        return send(res, 400, { error: 'contacts must be a non-empty array' });
      const record: MemoRecord = { id: randomUUID(), contacts: body.contacts, fields: body.fields ?? {} };
      records.set(record.id, record);
      return send(res, 201, record);
    }
    const record = id ? records.get(decodeURIComponent(id)) : undefined;
    if (id && !record) return send(res, 404, { error: 'no such record' });
    if (req.method === 'GET' && record) return send(res, 200, record);
    if (req.method === 'PATCH' && record) {
      const body = (await readBody(req)) as { fields?: Record<string, unknown> };
      Object.assign(record.fields, body.fields ?? {});
      return send(res, 200, record);
    }
    return send(res, 404, { error: 'no such route' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiKey,
    records,
    requests,
    env: { MEMO_API_URL: url, MEMO_API_KEY: apiKey },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}
