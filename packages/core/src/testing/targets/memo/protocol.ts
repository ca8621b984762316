/**
 * Memo CRM's protocol as a real target's is written: requests as data, readers of answers, and the
 * flows over an injected `send` (see packages/core/src/flow/send.ts).
 */
import type { Send } from '../../../flow/send.js';
import { isObject, readJson } from '../../../http/read.js';
import { type HttpRequest, joinUrl, jsonBody } from '../../../http/types.js';
import type { CustomerIdentity } from '../../../sources/types.js';
import type { MemoField, MemoRecord } from './server.js';

export interface MemoConnection {
  apiUrl: string;
  apiKey: string;
}

function request(
  c: MemoConnection,
  method: HttpRequest['method'],
  path: string,
  operation: string,
  extra: { query?: Record<string, string>; body?: unknown } = {},
): HttpRequest {
  const body = extra.body === undefined ? undefined : jsonBody(extra.body);
  return {
    method,
    url: joinUrl(c.apiUrl, path, extra.query),
    headers: { accept: 'application/json', authorization: `Bearer ${c.apiKey}`, ...body?.headers },
    ...(body ? { body: body.body } : {}),
    idempotent: method !== 'POST',
    platform: 'memo',
    operation,
  };
}

const record = (b: unknown) =>
  isObject(b) && typeof b.id === 'string' && Array.isArray(b.contacts) && isObject(b.fields)
    ? undefined
    : 'not a record';

/** The calls of the Memo target over one `send`. */
export class MemoApi {
  private fieldsPromise?: Promise<MemoField[]>;

  constructor(readonly send: Send<MemoConnection>) {}

  fields(): Promise<MemoField[]> {
    this.fieldsPromise ??= this.send(
      (c) => request(c, 'GET', '/api/fields', 'get fields'),
      (q, r) => readJson<MemoField[]>(q, r, (b) => (Array.isArray(b) ? undefined : 'not an array')),
    );
    return this.fieldsPromise;
  }

  getRecord(id: string): Promise<MemoRecord> {
    return this.send(
      (c) => request(c, 'GET', `/api/records/${encodeURIComponent(id)}`, 'get record'),
      (q, r) => readJson<MemoRecord>(q, r, record),
    );
  }

  /** The records holding one of the customer's contact ids: the e-mail address first, then the phone. */
  async findRecords(identity: CustomerIdentity): Promise<MemoRecord[]> {
    for (const contact of contactsOf(identity)) {
      const { records } = await this.send(
        (c) => request(c, 'GET', '/api/records', 'find records', { query: { contact } }),
        (q, r) =>
          readJson<{ records: MemoRecord[] }>(q, r, (b) =>
            isObject(b) && Array.isArray(b.records) ? undefined : 'no records',
          ),
      );
      if (records.length > 0) return records;
    }
    return [];
  }

  createRecord(identity: CustomerIdentity, fields: Record<string, unknown>): Promise<MemoRecord> {
    return this.send(
      (c) =>
        request(c, 'POST', '/api/records', 'create record', {
          body: { contacts: contactsOf(identity), fields },
        }),
      (q, r) => readJson<MemoRecord>(q, r, record),
    );
  }

  patchRecord(id: string, fields: Record<string, unknown>): Promise<MemoRecord> {
    return this.send(
      (c) =>
        request(c, 'PATCH', `/api/records/${encodeURIComponent(id)}`, 'update record', { body: { fields } }),
      (q, r) => readJson<MemoRecord>(q, r, record),
    );
  }
}

export function contactsOf(identity: CustomerIdentity): string[] {
  return [identity.email?.toLowerCase(), identity.phone].filter((c): c is string => !!c);
}
