/**
 * Bad input for the intake over HTTP (issue 12, "Bad input"): 100,000 requests on 32 keep-alive
 * connections to a real intake server with a real SQLite inbox and an API key. Valid EventBridge
 * events and arrays (some ids repeated), notification bodies, mutated envelopes (wrong types, missing
 * fields, huge strings, deep nesting, `__proto__` / `constructor` keys), random bytes and invalid
 * UTF-8, cut and damaged JSON, empty bodies, odd content types and methods, bodies near and over the
 * 1 MiB limit, and some wrong or missing keys. Every answer is the one predicted (202 with its counts,
 * or a 4xx with a JSON error; a 503 with Retry-After would be allowed for a 202), nothing is left
 * unhandled, no prototype changes, the heap stays flat, and the inbox holds exactly the distinct
 * events of the accepted bodies.
 *
 * The prediction (the oracle) is the pure reader's (`readIntakeJson`) plus the server's own rules:
 * method (405), key (401), size (413), UTF-8 (400), the reader (400), then ids the inbox could not
 * keep as sent (400: NUL, or an unpaired surrogate that SQLite would store as U+FFFD, making two ids
 * one). The bodies come from a seeded generator: FUZZ_SEED and FUZZ_BODIES change them, FUZZ_REPORT=1
 * prints the time and the counts by status and by kind of body.
 *
 * Memory: the server's thread's heap after a full collection, every 5% of the run (`gc` is made
 * available at run time with `v8.setFlagsFromString('--expose-gc')` and read from a fresh context, as
 * vitest's workers do not get `--expose-gc`); the client runs on a thread of its own, so that its
 * buffers are not counted (and the server has a core to itself).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSyncError } from '../errors/errors.js';
import { openSqliteLedger } from '../ledger/sqlite.js';
import type { LedgerStore } from '../ledger/store.js';
import { readIntakeJson } from '../sources/genesys/events/intake.js';
import {
  attributesBody,
  attributesTopic,
  contactBody,
  contactTopic,
  customerEndTopic,
  eventBridge,
  notification,
  queueConversationBody,
  queueTopic,
} from '../sources/genesys/events/test-helpers.js';
import { IntakeMetrics } from './metrics.js';
import { type IntakeServer, startIntakeServer } from './server.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x12f022);
const BODIES = Number(process.env.FUZZ_BODIES ?? 100_000);
const CONNECTIONS = 32;
const KEY = 'fuzz-key-4f1c2a9e7b3d';
const MAX_BODY = 1024 * 1024;
/** 20 heap samples over the run. */
const SAMPLE_EVERY = Math.max(100, Math.floor(BODIES / 20));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// ---- a seeded generator ----

/** mulberry32: small, fast, and the same sequence for the same seed. */
class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed | 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** 0 to n - 1. */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** lo to hi, both included. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  weighted<T>(table: readonly (readonly [number, T])[]): T {
    const total = table.reduce((s, [w]) => s + w, 0);
    let x = this.next() * total;
    for (const [w, v] of table) {
      x -= w;
      if (x < 0) return v;
    }
    return table[table.length - 1]![1];
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(16)];
    return s;
  }
  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-8${this.hex(3)}-${this.hex(12)}`;
  }
  /** Any UTF-16 code units, lone surrogates included. */
  units(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++)
      s += String.fromCharCode(this.chance(0.7) ? this.range(0, 127) : this.int(0x10000));
    return s;
  }
  bytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

// ---- what is sent ----

interface Case {
  category: string;
  method: string;
  body: Buffer;
  contentType?: string;
  key: 'right' | 'wrong' | 'missing';
  /** The key sent when it is wrong. */
  wrongKey: string;
  /** Sent in pieces without a content-length. */
  chunked: boolean;
}

const rng = new Rng(SEED);
const conversations = Array.from({ length: 300 }, () => rng.uuid());
const contacts = Array.from({ length: 100 }, () => rng.uuid());
const queues = Array.from({ length: 10 }, () => rng.uuid());
/** Ids sent before, to send again (duplicates). */
const sentIds: string[] = [];
let idCounter = 0;
let loneCounter = 0;

function eventId(): string {
  const kind = rng.weighted([
    [80, 'fresh'],
    [15, 'again'],
    [5, 'odd'],
  ] as const);
  if (kind === 'again' && sentIds.length > 0) return rng.pick(sentIds);
  const id =
    kind === 'odd'
      ? rng.pick([
          () => `ü-漢字-🙂-${idCounter++}`,
          () => `${idCounter++}-${'x'.repeat(rng.range(200, 240))}`,
          () => `${idCounter++} with spaces, "quotes" and \\ back`,
          () => `tab\tand\nnewline-${idCounter++}`,
          () => `nul-\u0000-${idCounter++}`,
          // Lone surrogates (JSON.stringify writes them as \ud800 escapes): not Unicode text.
          // Four in a row share their text but for the surrogate: distinct ids, if stored as they are.
          () => `lone-${loneCounter++ >> 2}-${rng.pick(['\ud800', '\udbff', '\udc00', '\udfff'])}`,
        ])()
      : `eb-${SEED}-${idCounter++}`;
  if (sentIds.length < 2_000) sentIds.push(id);
  else sentIds[rng.int(sentIds.length)] = id;
  return id;
}

const someTime = () => Date.parse('2025-03-01T00:00:00Z') + rng.int(30 * 24 * 3600 * 1000);
const isoTime = () => new Date(someTime()).toISOString();

/** One valid event or notification, as JSON.parse would give it. */
function validEvent(): Json {
  const conversationId = rng.pick(conversations);
  const contactId = rng.pick(contacts);
  const eventTime = rng.chance(0.5) ? someTime() : String(someTime());
  const correlation = () => (rng.chance(0.8) ? eventId() : undefined);
  const meta = (n: Record<string, unknown>) => {
    const c = correlation();
    if (c === undefined) delete n.metadata;
    else (n.metadata as Record<string, unknown>).CorrelationId = c;
    return n;
  };
  const attributes = () =>
    meta(notification(attributesTopic(conversationId), attributesBody({ conversationId, eventTime })));
  const customerEnd = () =>
    meta(notification(customerEndTopic(conversationId), { conversationId, eventTime, participantId: 'p-1' }));
  const contact = () =>
    meta(notification(contactTopic(contactId), contactBody({ id: contactId, modifyDate: isoTime() })));
  // A queue's conversation carries no time: without metadata it has no id (the intake makes one).
  const queue = () =>
    meta(notification(queueTopic(rng.pick(queues)), queueConversationBody({ id: conversationId })));
  const ignored = () =>
    rng.chance(0.5)
      ? meta(notification(`v2.users.${rng.uuid()}.presence`, { presence: 'AVAILABLE' }))
      : { topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } };
  const inner = rng.weighted([
    [40, attributes],
    [15, customerEnd],
    [20, contact],
    [15, queue],
    [10, ignored],
  ] as const)();
  if (rng.chance(0.35)) return inner as Json;
  const detail = rng.chance(0.5) ? { ...inner, timestamp: isoTime() } : inner;
  const envelope = eventBridge(detail, eventId()) as Record<string, unknown>;
  if (rng.chance(0.3)) envelope.time = isoTime();
  return envelope as Json;
}

const validBody = (): Json =>
  rng.chance(0.75) ? validEvent() : Array.from({ length: rng.range(1, 12) }, validEvent);

/** An object like JSON.parse makes of `{"__proto__": …, "constructor": …}`: own keys, no prototype changed. */
const protoObject = (inner: Json): Json =>
  JSON.parse(
    `{"__proto__":{"polluted":true,"topicName":"x","detail":{},"id":"evil"},"constructor":{"prototype":{"polluted":true}},"x":${JSON.stringify(inner)}}`,
  );

function nested(depth: number, asObject: boolean, key = 'eventBody'): Json {
  let v: Json = 'bottom';
  for (let i = 0; i < depth; i++) v = asObject ? { [key]: v } : [v];
  return v;
}

function hostile(): Json {
  return rng.weighted<() => Json>([
    [6, () => rng.pick<Json>([null, true, false, 0, -1, 1e308, 1.5, -0, '', ' ', [], {}])],
    [3, () => rng.units(rng.range(0, 40))],
    [
      3,
      () =>
        rng.pick<Json>([
          '__proto__',
          'constructor',
          'prototype',
          '{id}',
          '../../x',
          'toString',
          '2025-02-30T00:00:00Z',
          '2025-03-04T10:11:12Z',
          '1741083072345',
          '99999999999999999',
          attributesTopic(),
          contactTopic(),
          'channel.metadata',
          'v2.detail.events.conversation.a.b.attributes',
          'v2.detail.events.conversation.\u0000.attributes',
        ]),
    ],
    [2, () => 'x'.repeat(rng.range(200, 20_000))],
    [0.05, () => 'y'.repeat(rng.range(20_000, 200_000))],
    [
      1,
      () => nested(rng.range(1, 1_500), rng.chance(0.5), rng.pick(['eventBody', 'detail', '__proto__', 'x'])),
    ],
    [1, () => protoObject(rng.pick<Json>([1, 'a', [], {}, null]))],
    [1, () => randomJson(2)],
    [1, () => Array.from({ length: rng.range(0, 50) }, () => rng.int(1000))],
  ])();
}

function randomJson(depth: number): Json {
  const leaf = () =>
    rng.pick<() => Json>([
      () => null,
      () => rng.chance(0.5),
      () => rng.next() * 1e6,
      () => rng.units(rng.range(0, 12)),
    ])();
  if (depth <= 0 || rng.chance(0.4)) return leaf();
  if (rng.chance(0.5)) return Array.from({ length: rng.range(0, 4) }, () => randomJson(depth - 1));
  const o: Record<string, Json> = {};
  for (let i = rng.range(0, 4); i > 0; i--) {
    const key = rng.pick([
      'id',
      'detail',
      'topicName',
      'eventBody',
      'metadata',
      '__proto__',
      'constructor',
      rng.units(4),
    ]);
    Object.defineProperty(o, key, {
      value: randomJson(depth - 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return o;
}

const PATHS: string[][] = [
  [],
  ['id'],
  ['time'],
  ['detail'],
  ['topicName'],
  ['eventBody'],
  ['metadata'],
  ['timestamp'],
  ['metadata', 'CorrelationId'],
  ['eventBody', 'conversationId'],
  ['eventBody', 'eventTime'],
  ['eventBody', 'id'],
  ['eventBody', 'modifyDate'],
  ['eventBody', 'attributes'],
  ['detail', 'topicName'],
  ['detail', 'eventBody'],
  ['detail', 'metadata'],
  ['detail', 'timestamp'],
  ['detail', 'metadata', 'CorrelationId'],
  ['detail', 'eventBody', 'conversationId'],
  ['detail', 'eventBody', 'eventTime'],
  ['detail', 'eventBody', 'id'],
  ['detail', 'eventBody', 'modifyDate'],
  ['__proto__'],
  ['constructor'],
  ['detail', '__proto__'],
  ['detail', 'constructor'],
  ['detail', 'eventBody', '__proto__'],
];

/** Sets (an own data property, as JSON.parse makes it) or removes a field; never a prototype. */
function mutate(root: Json): Json {
  const path = rng.pick(PATHS);
  const remove = rng.chance(0.3);
  if (path.length === 0) return remove ? root : hostile();
  let o: Json = root;
  for (const key of path.slice(0, -1)) {
    if (typeof o !== 'object' || o === null || Array.isArray(o) || !Object.hasOwn(o, key)) return root;
    o = o[key] as Json;
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return root;
  const last = path[path.length - 1] as string;
  if (remove) delete o[last];
  else
    Object.defineProperty(o, last, {
      value: hostile(),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return root;
}

function mutatedEvent(): Json {
  let v = validEvent();
  for (let n = rng.range(1, 3); n > 0; n--) v = mutate(v);
  return v;
}

const INVALID_UTF8: readonly number[][] = [
  [0xff],
  [0xfe],
  [0xc3, 0x28],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xe2, 0x82],
  [0x80],
];

/** Inserts invalid UTF-8 somewhere, or replaces a byte with one. */
function breakUtf8(b: Buffer): Buffer {
  const at = rng.int(b.length + 1);
  const bad = Buffer.from(rng.pick(INVALID_UTF8));
  return Buffer.concat([
    b.subarray(0, at),
    bad,
    b.subarray(rng.chance(0.5) ? at : Math.min(b.length, at + 1)),
  ]);
}

const text = (s: string) => Buffer.from(s, 'utf8');

/** Nesting `d` characters deep or so, as text (JSON.stringify would recurse). */
function deepText(d: number): Buffer {
  return text(
    rng.pick([
      () => '['.repeat(d),
      () => `${'['.repeat(d)}${']'.repeat(d)}`,
      () => `${'{"detail":'.repeat(Math.floor(d / 10))}{}${'}'.repeat(Math.floor(d / 10))}`,
      () => `[${'{"eventBody":'.repeat(Math.floor(d / 13))}1${'}'.repeat(Math.floor(d / 13))}]`,
      () =>
        `{"id":"x","detail":${'{"__proto__":'.repeat(Math.floor(d / 14))}{}${'}'.repeat(Math.floor(d / 14))}}`,
      () => `${'{"a":'.repeat(Math.floor(d / 5))}`,
    ])(),
  );
}

/** A valid event whose body carries a string of `n` characters (accepted: only known fields are read). */
function hugeValid(n: number): Buffer {
  const v = validEvent() as Record<string, Json>;
  const where = rng.pick(['padding', '__proto__', 'constructor']);
  Object.defineProperty(v, where, {
    value: 'y'.repeat(n),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return text(JSON.stringify(v));
}

/** What to send, by category (weights per 1,000). */
const CATEGORIES: readonly (readonly [number, string, () => Buffer])[] = [
  [330, 'valid', () => text(JSON.stringify(validBody()))],
  [60, 'valid-bom', () => text(`\ufeff ${JSON.stringify(validBody())}\n`)],
  [200, 'mutated', () => text(JSON.stringify(mutatedEvent()))],
  [
    70,
    'mutated-array',
    () =>
      text(
        JSON.stringify(
          Array.from({ length: rng.range(1, 8) }, () => (rng.chance(0.5) ? mutatedEvent() : validEvent())),
        ),
      ),
  ],
  [
    30,
    'proto-text',
    // `__proto__` written in the text (JSON.parse keeps it an own key), at the top or in the detail.
    () => {
      const t = JSON.stringify(validEvent());
      const evil =
        '"__proto__":{"polluted":true,"id":"evil","detail":{}},"constructor":{"prototype":{"polluted":1}}';
      return text(rng.chance(0.5) ? `{${evil},${t.slice(1)}` : t.replace('"detail":{', `"detail":{${evil},`));
    },
  ],
  [
    100,
    'truncated',
    () => {
      const t = JSON.stringify(validBody());
      return text(t.slice(0, rng.int(t.length)));
    },
  ],
  [
    50,
    'damaged',
    () => {
      const t = JSON.stringify(validBody());
      const at = rng.int(t.length);
      return text(t.slice(0, at) + rng.units(1) + t.slice(at + 1));
    },
  ],
  [40, 'invalid-utf8', () => breakUtf8(text(JSON.stringify(validBody())))],
  [30, 'random-bytes', () => rng.bytes(rng.range(1, rng.chance(0.9) ? 200 : 20_000))],
  [40, 'random-json', () => text(JSON.stringify(rng.chance(0.5) ? randomJson(4) : hostile()))],
  [
    20,
    'empty',
    () =>
      text(
        rng.pick([
          '',
          ' ',
          '\n\t ',
          '\ufeff',
          '\ufeff  ',
          'null',
          '[]',
          '{}',
          '""',
          '0',
          'true',
          '[null]',
          '[[]]',
          '[{}]',
        ]),
      ),
  ],
  [5, 'deep', () => deepText(rng.range(100, 20_000))],
  [
    5,
    'big-array',
    () =>
      text(
        JSON.stringify(
          rng.chance(0.5)
            ? Array.from({ length: rng.range(1_001, 5_000) }, () => ({}))
            : Array.from({ length: rng.range(900, 1_000) }, () => ({
                topicName: 'channel.metadata',
                eventBody: {},
              })),
        ),
      ),
  ],
];

/**
 * Extremes, spread through the run: one body in 500 is near or over the 1 MiB limit (a huge string in a
 * valid event, nesting hundreds of thousands deep, or, one in eight, over the limit).
 */
const EXTREME_EVERY = 500;
/** Other methods on the intake's path. */
const METHODS = ['GET', 'PUT', 'DELETE', 'PATCH'];
const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/xml',
  'a/b/c;;=',
  '',
];

function nextCase(n: number): Case {
  let category: string;
  let body: Buffer;
  const extreme = n % EXTREME_EVERY === EXTREME_EVERY - 1 ? Math.floor(n / EXTREME_EVERY) % 8 : -1;
  if (extreme === 0) {
    category = 'oversize';
    body = rng.chance(0.5)
      ? Buffer.alloc(MAX_BODY + rng.range(1, MAX_BODY), rng.chance(0.5) ? 0x20 : 0x7b)
      : hugeValid(MAX_BODY + rng.range(0, 1000));
  } else if (extreme > 0 && extreme <= 4) {
    category = 'huge';
    body = hugeValid(rng.range(MAX_BODY - 200_000, MAX_BODY - 2_000));
  } else if (extreme > 4) {
    category = 'deep-huge';
    body = deepText(rng.range(200_000, MAX_BODY - 10));
  } else {
    const [, name, make] = rng.weighted(CATEGORIES.map((c) => [c[0], c] as const));
    category = name;
    body = make();
  }
  const key = rng.weighted([
    [970, 'right'],
    [15, 'wrong'],
    [15, 'missing'],
  ] as const);
  const method = rng.chance(0.003) ? rng.pick(METHODS) : 'POST';
  const contentType = rng.chance(0.85)
    ? 'application/json'
    : rng.chance(0.2)
      ? undefined
      : rng.pick(CONTENT_TYPES);
  return {
    category,
    method,
    body,
    key,
    wrongKey: rng.pick(['', `${KEY}x`, KEY.slice(1), KEY.toUpperCase(), 'k'.repeat(4000), 'é']),
    // Node's client frames no body of a GET or a DELETE without a length: the body would then be
    // read as the next request on the connection.
    chunked: method === 'POST' && rng.chance(0.08),
    ...(contentType !== undefined ? { contentType } : {}),
  };
}

// ---- the oracle ----

interface Prediction {
  status: number;
  /** For a 202: the ids of the subject events, those without an id, and the ignored events. */
  ids?: string[];
  idless?: number;
  ignored?: number;
}

function predict(c: Case): Prediction {
  if (c.method !== 'POST') return { status: 405 };
  if (c.key !== 'right') return { status: 401 };
  if (c.body.length > MAX_BODY) return { status: 413 };
  let t: string;
  try {
    t = new TextDecoder('utf-8', { fatal: true }).decode(c.body);
  } catch {
    return { status: 400 };
  }
  try {
    const reading = readIntakeJson(t);
    const ids: string[] = [];
    let idless = 0;
    let ignored = 0;
    for (const e of reading.events) {
      if (e.kind === 'ignored') ignored++;
      else if (e.id === undefined) idless++;
      // The server's own rule: an id the inbox could not keep as sent (NUL, an unpaired surrogate).
      else if (/[\0\uD800-\uDFFF]/u.test(e.id)) return { status: 400 };
      else ids.push(e.id);
    }
    return { status: 202, ids, idless, ignored };
  } catch (e) {
    if (isSyncError(e)) return { status: 400 };
    throw e;
  }
}

// ---- the client ----

/** What the client tells of one request: the answer, or why there was none. */
interface Answer {
  n: number;
  status: number;
  contentType?: string;
  retryAfter?: string;
  body: string;
  error?: string;
}

/** A request as the client takes it (plain data: it crosses to the client's thread). */
interface Outgoing {
  n: number;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array;
  chunked: boolean;
}

/**
 * The HTTP client, on a thread of its own (plain JavaScript, as a worker does not get vitest's
 * transform): keep-alive connections, requests in batches from the test, answers back in batches. The
 * test's thread is the server's, and the server has most of the work.
 */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: workerData.connections });
const { hostname, port, pathname } = new URL(workerData.url);
let out = [];
function answer(a) {
  if (out.length === 0) setImmediate(() => { parentPort.postMessage(out); out = []; });
  out.push(a);
}
function send(r) {
  let answered = false;
  const once = (a) => { if (!answered) { answered = true; answer(a); } };
  const body = Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength);
  const headers = r.chunked ? r.headers : { ...r.headers, 'content-length': body.length };
  const req = http.request({ agent, host: hostname, port, path: pathname, method: r.method, headers }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => once({
      n: r.n, status: res.statusCode, contentType: res.headers['content-type'],
      retryAfter: res.headers['retry-after'], body: Buffer.concat(chunks).toString('utf8'),
    }));
    res.on('error', (e) => once({ n: r.n, status: 0, body: '', error: e.message }));
  });
  req.on('error', (e) => once({ n: r.n, status: 0, body: '', error: e.message }));
  if (r.chunked) {
    const step = Math.max(1, Math.ceil(body.length / 4));
    for (let i = 0; i < body.length; i += step) req.write(body.subarray(i, i + step));
    req.end();
  } else req.end(body);
}
parentPort.on('message', (batch) => {
  for (const r of batch) send(r);
});
`;

function requestOf(n: number, c: Case): Outgoing {
  const headers: Record<string, string> = {};
  if (c.contentType !== undefined) headers['content-type'] = c.contentType;
  if (c.key === 'right') headers['x-api-key'] = KEY;
  else if (c.key === 'wrong') headers['x-api-key'] = c.wrongKey;
  return { n, method: c.method, headers, body: c.body, chunked: c.chunked };
}

// ---- the run ----

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};
const mb = (n: number) => Math.round(n / 1024 / 1024);

describe('the intake over HTTP under bad input', () => {
  let dir: string;
  let ledger: LedgerStore;
  let server: IntakeServer;
  const metrics = new IntakeMetrics(async () => ({}));
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const prototypes = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
  const before = prototypes.map((p) => Object.getOwnPropertyNames(p).sort());

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    // In memory when the machine has a tmpfs: a disk's sync of each accept (~1.5 ms, blocking the
    // event loop, as node:sqlite is synchronous) would take most of the run, and is not what is tested.
    const base = process.env.FUZZ_TMPDIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
    dir = mkdtempSync(join(base, 'intake-fuzz-'));
    ledger = openSqliteLedger(join(dir, 'ledger.sqlite'));
    server = await startIntakeServer({
      sink: ledger.inbox,
      metrics,
      key: KEY,
    });
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
    await server?.close();
    await ledger?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`answers ${BODIES} random and mutated bodies with a 202 or a 4xx, keeps exactly the distinct events, and stays flat`, async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const client = new Worker(CLIENT, {
      eval: true,
      workerData: { url: server.urls.intakeUrl, connections: CONNECTIONS },
    });

    const byStatus = new Map<number, number>();
    const byCategory = new Map<string, Map<number, number>>();
    const problems: string[] = [];
    const expectedIds = new Set<string>();
    let idless = 0;
    let acceptedSum = 0;
    let duplicatesSum = 0;
    let ignoredSum = 0;
    let shed = 0;
    let genMs = 0;
    let predictMs = 0;
    let done = 0;
    let next = 0;
    const heap: number[] = [];
    const rss: number[] = [];
    /** What was sent and is awaited (not the body: what the test keeps is not the server's memory). */
    const inFlight = new Map<number, { c: Case; p: Prediction }>();
    const problem = (c: Case, what: string) => {
      if (problems.length < 20) problems.push(`${c.category} ${c.method} key=${c.key}: ${what}`);
    };

    /** What is wrong with the answer, if anything. */
    function check(c: Case, p: Prediction, a: Answer): string | undefined {
      byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
      const cat = byCategory.get(c.category) ?? new Map<number, number>();
      cat.set(a.status, (cat.get(a.status) ?? 0) + 1);
      byCategory.set(c.category, cat);
      if (a.error !== undefined) return `request failed: ${a.error}`;
      if (!String(a.contentType).startsWith('application/json')) return `content-type ${a.contentType}`;
      let json: unknown;
      try {
        json = JSON.parse(a.body);
      } catch {
        return `not JSON: ${a.body.slice(0, 200)}`;
      }
      const o = json as Record<string, unknown>;
      if (a.status === 503 && p.status === 202) {
        // Shedding (over 100,000 events pending) or a sink that failed: allowed, with a Retry-After
        // and a JSON error, and then nothing is kept.
        shed++;
        if (!a.retryAfter) return '503 without retry-after';
      } else if (a.status !== p.status)
        return `status ${a.status}, expected ${p.status}: ${a.body.slice(0, 300)}`;
      if (a.status === 202) {
        const { accepted, duplicates, ignored } = o as Record<string, number>;
        const counts = [accepted, duplicates, ignored];
        if (
          Object.keys(o).sort().join() !== 'accepted,duplicates,ignored' ||
          !counts.every((n) => Number.isInteger(n) && n! >= 0)
        )
          return `202 body ${a.body.slice(0, 200)}`;
        if (accepted! + duplicates! !== p.ids!.length + p.idless! || ignored !== p.ignored)
          return `202 counts ${a.body}, expected ${p.ids!.length + p.idless!} kept and ${p.ignored} ignored`;
        acceptedSum += accepted!;
        duplicatesSum += duplicates!;
        ignoredSum += ignored!;
        for (const id of p.ids!) expectedIds.add(id);
        idless += p.idless!;
        return undefined;
      }
      const error = o?.error as Record<string, unknown> | undefined;
      if (
        a.status < 400 ||
        (a.status >= 500 && a.status !== 503) ||
        Object.keys(o).join() !== 'error' ||
        typeof error?.kind !== 'string' ||
        error.kind === '' ||
        typeof error.message !== 'string' ||
        error.message === '' ||
        error.message.length > 500
      )
        return `error answer ${a.status} ${a.body.slice(0, 300)}`;
    }

    /** Keeps WINDOW requests with the client: four per connection. */
    const WINDOW = CONNECTIONS * 4;
    function topUp(): void {
      const batch: Outgoing[] = [];
      while (next < BODIES && inFlight.size < WINDOW) {
        const t0 = performance.now();
        const c = nextCase(next);
        const t1 = performance.now();
        const p = predict(c);
        genMs += t1 - t0;
        predictMs += performance.now() - t1;
        batch.push(requestOf(next, c));
        inFlight.set(next, { c: { ...c, body: Buffer.alloc(0) }, p });
        next++;
      }
      if (batch.length > 0) client.postMessage(batch);
    }

    function received(answers: Answer[]): void {
      for (const a of answers) {
        const sent = inFlight.get(a.n);
        if (!sent) throw new Error(`an answer to request ${a.n}, never sent or answered twice`);
        inFlight.delete(a.n);
        const wrong = check(sent.c, sent.p, a);
        if (wrong !== undefined) problem(sent.c, wrong);
        done++;
        if (done % SAMPLE_EVERY === 0) {
          gc();
          const m = process.memoryUsage();
          heap.push(m.heapUsed);
          rss.push(m.rss);
        }
      }
    }

    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const eluBefore = performance.eventLoopUtilization();
    const clientEluBefore = client.performance.eventLoopUtilization();
    let busy: { server: number; client: number };
    try {
      await new Promise<void>((resolve, reject) => {
        client.on('error', reject);
        client.on('exit', (code) => reject(new Error(`the client stopped (${code}) after ${done} answers`)));
        client.on('message', (answers: Answer[]) => {
          try {
            received(answers);
            if (done === BODIES) resolve();
            else topUp();
          } catch (e) {
            reject(e);
          }
        });
        topUp();
      });
      busy = {
        server: performance.eventLoopUtilization(eluBefore).utilization,
        client: client.performance.eventLoopUtilization(clientEluBefore).utilization,
      };
    } finally {
      client.removeAllListeners('exit');
      await client.terminate();
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);

    const depth = await ledger.inbox.depth(new Date().toISOString());
    const distinctIds = expectedIds.size;
    const quarter = Math.floor(heap.length / 4);
    const [secondQuarter, lastQuarter] = [
      median(heap.slice(quarter, 2 * quarter)),
      median(heap.slice(3 * quarter)),
    ];
    const [secondQuarterRss, lastQuarterRss] = [
      median(rss.slice(quarter, 2 * quarter)),
      median(rss.slice(3 * quarter)),
    ];
    // What the server keeps after the run, without the test's own record of the ids.
    expectedIds.clear();
    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    if (process.env.FUZZ_REPORT)
      console.log({
        seed: SEED,
        bodies: BODIES,
        seconds: Math.round(seconds * 10) / 10,
        // Both threads: the server's and the client's.
        cpuSeconds: Math.round((cpu.user + cpu.system) / 100_000) / 10,
        busy,
        generateSeconds: Math.round(genMs / 100) / 10,
        predictSeconds: Math.round(predictMs / 100) / 10,
        perSecond: Math.round(BODIES / seconds),
        byStatus: Object.fromEntries([...byStatus].sort((a, b) => a[0] - b[0])),
        byCategory: Object.fromEntries([...byCategory].map(([k, v]) => [k, Object.fromEntries(v)])),
        accepted: acceptedSum,
        duplicates: duplicatesSum,
        ignored: ignoredSum,
        distinctIds,
        idless,
        shed,
        pendingEvents: depth.pendingEvents,
        heapMB: heap.map(mb),
        heapAfterMB: mb(heapAfter),
        rssMB: rss.map(mb),
      });

    expect(problems).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(done).toBe(BODIES);
    // No 5xx but a 503 (shedding, above 100,000 pending events: this run stays below).
    expect([...byStatus.keys()].filter((s) => s >= 500 && s !== 503)).toEqual([]);
    // Both sides exercised: thousands accepted, thousands refused, the statuses the server has.
    expect(byStatus.get(202)).toBeGreaterThan(BODIES / 4);
    expect(byStatus.get(400)).toBeGreaterThan(BODIES / 4);
    for (const s of [401, 413]) expect(byStatus.get(s)).toBeGreaterThan(0);
    expect(duplicatesSum).toBeGreaterThan(BODIES / 50);
    expect(idless).toBeGreaterThan(BODIES / 200);
    // The inbox holds exactly the distinct events of the accepted bodies: each id once, plus one per
    // event without an id (the intake names it).
    expect(acceptedSum).toBe(distinctIds + idless);
    expect(depth.pendingEvents).toBe(acceptedSum);
    // The server still answers, and counted what it refused as the client saw it.
    expect((await fetch(server.urls.healthUrl)).status).toBe(200);
    for (const [status, n] of byStatus)
      if (status >= 400) expect(metrics.refused.get({ status: String(status) })).toBe(n);
    // Nothing polluted.
    expect(prototypes.map((p) => Object.getOwnPropertyNames(p).sort())).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Flat: the heap after a full collection in the last quarter of the run within 50% of the second
    // quarter's, though the test's set of ids grows (~5 MB for 100,000 ids); after the run, that set
    // dropped, within 25% of the first sample's (~5 MB: a leak of 50 bytes a request would show).
    // RSS (both threads, the SQLite cache, the allocator's arenas after the 1 MB bodies) within 50%.
    expect(heap.length).toBeGreaterThanOrEqual(8);
    expect(lastQuarter).toBeLessThan(secondQuarter * 1.5);
    expect(heapAfter).toBeLessThan(heap[0]! * 1.25);
    expect(lastQuarterRss).toBeLessThan(secondQuarterRss * 1.5);
  }, 480_000);
});
