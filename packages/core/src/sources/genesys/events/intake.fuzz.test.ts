/**
 * Bad input for the intake's reader: valid envelopes with fields replaced by the wrong types, huge
 * strings, deep nesting, `__proto__` / `constructor` keys and arrays where objects belong; the same
 * as JSON text cut short or damaged; and random JSON. Whatever comes in, the reader accepts it or
 * throws a ValidationError with a short, non-empty message, and never touches a prototype.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../errors/errors.js';
import { parseIntakeJson, readIntakeBody } from './intake.js';
import { readNotificationFrame } from './notifications.js';
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
} from './test-helpers.js';
import { ENTITY_ID_PATTERN, GENESYS_EVENT_LIMITS } from './types.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

let bodies = 0;
let accepted = 0;
const refusals = new Map<string, number>();
const KINDS = new Set([
  'conversation-attributes',
  'customer-end',
  'external-contact',
  'queue-conversation',
  'ignored',
]);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Fails the run (plain checks: `expect` is too slow for 100,000 bodies). */
function ensure(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

/** Reads `body` (a value, or JSON text): accepted and well formed, or a ValidationError. */
function check(body: unknown, asText: boolean, frame = false): void {
  bodies += 1;
  try {
    if (frame) {
      readNotificationFrame(body as string);
      accepted += 1;
      return;
    }
    const reading = readIntakeBody(asText ? parseIntakeJson(body as string) : body);
    ensure(
      reading.events.length > 0 && reading.events.length <= GENESYS_EVENT_LIMITS.maxBatch,
      'event count',
    );
    for (const e of reading.events) {
      ensure(KINDS.has(e.kind), `kind ${e.kind}`);
      ensure(typeof e.topic === 'string' && e.topic.length <= GENESYS_EVENT_LIMITS.maxTopicLength, 'topic');
      ensure(e.eventTime === undefined || ISO.test(e.eventTime), 'eventTime');
      ensure(e.kind === 'ignored' || ENTITY_ID_PATTERN.test(e.subject.id), 'subject id');
      ensure(e.id === undefined ? e.dedupeKeys.length === 0 : e.dedupeKeys.length > 0, 'dedupe keys');
      ensure(Object.getPrototypeOf(e) === Object.prototype, 'prototype');
    }
    accepted += 1;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // Messages name fields and types: no value of the input is repeated in them.
    ensure(error.message.length > 0 && error.message.length < 400, `message ${error.message.slice(0, 500)}`);
    // Counted by problem, the path's array indexes left out.
    const problem = error.message.replace(/\[\d+\]/g, '[i]');
    refusals.set(problem, (refusals.get(problem) ?? 0) + 1);
  }
}

// ---- hostile values ----

function nested(depth: number, asObject: boolean): Json {
  let v: Json = 'bottom';
  for (let i = 0; i < depth; i++) v = asObject ? { eventBody: v } : [v];
  return v;
}

/** An object with `__proto__` and `constructor` as own keys, as JSON.parse makes it. */
const protoObject = (inner: Json): Json =>
  JSON.parse(
    `{"__proto__":{"polluted":true,"topicName":"x","conversationId":"evil"},"constructor":{"prototype":{"polluted":true}},"x":${JSON.stringify(inner)}}`,
  );

const hostile: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<Json>(null, true, false, 0, -1, 1e20, 1.5, '', ' ', [], {}) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Json>(
      '__proto__',
      'constructor',
      '{id}',
      '../../x',
      'a.b',
      'toString',
      'conversation:x',
      '2025-02-30T00:00:00Z',
      '2025-03-04T10:11:12Z',
      '1741083072345',
      'other-conversation',
      attributesTopic(),
      'channel.metadata',
      'v2.system.socket_closing',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 20_000 }).map((n) => 'x'.repeat(n)) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.integer({ min: 1, max: 500 }), fc.boolean()).map(([d, o]) => nested(d, o)),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => protoObject(v as Json)) },
  { weight: 1, arbitrary: fc.double().map((d) => d as Json) },
);

// ---- valid envelopes, then mutations ----

const BASES: (() => unknown)[] = [
  () =>
    eventBridge({ ...notification(attributesTopic(), attributesBody()), timestamp: '2025-03-04T10:11:12Z' }),
  () => eventBridge(notification(customerEndTopic(), { conversationId: attributesBody().conversationId })),
  () => eventBridge(notification(contactTopic(), contactBody())),
  () => notification(attributesTopic(), attributesBody()),
  () => notification(queueTopic(), queueConversationBody()),
  () => ({ topicName: contactTopic(), eventBody: contactBody() }),
  () => eventBridge(notification('v2.users.u-1.presence', { presence: 'AVAILABLE' })),
  () => ({ topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } }),
];

const PATHS: string[][] = [
  [],
  ['id'],
  ['time'],
  ['version'],
  ['detail'],
  ['topicName'],
  ['eventBody'],
  ['metadata'],
  ['metadata', 'CorrelationId'],
  ['eventBody', 'conversationId'],
  ['eventBody', 'eventTime'],
  ['eventBody', 'id'],
  ['eventBody', 'modifyDate'],
  ['eventBody', 'participants'],
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
  ['detail', 'eventBody', '__proto__'],
];

interface Mutation {
  path: string[];
  remove: boolean;
  value: Json;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.constantFrom(...PATHS),
  remove: fc.boolean(),
  value: hostile,
});

/** Sets or removes a field as an own data property (as JSON.parse makes it), never a prototype. */
function mutate(root: Json, m: Mutation): Json {
  if (m.path.length === 0) return m.remove ? root : (JSON.parse(JSON.stringify(m.value)) as Json);
  let o: Json = root;
  for (const key of m.path.slice(0, -1)) {
    if (typeof o !== 'object' || o === null || Array.isArray(o) || !Object.hasOwn(o, key)) return root;
    o = o[key] as Json;
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return root;
  const last = m.path[m.path.length - 1] as string;
  // A copy: fast-check hands the same constant to many runs.
  const value = JSON.parse(JSON.stringify(m.value)) as Json;
  if (m.remove) delete o[last];
  else Object.defineProperty(o, last, { value, enumerable: true, writable: true, configurable: true });
  return root;
}

const mutatedEnvelope: fc.Arbitrary<Json> = fc
  .tuple(fc.nat(BASES.length - 1), fc.array(mutation, { maxLength: 3 }))
  .map(([i, mutations]) => mutations.reduce(mutate, (BASES[i] as () => unknown)() as Json));

const body: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: mutatedEnvelope },
  { weight: 3, arbitrary: fc.array(mutatedEnvelope, { minLength: 1, maxLength: 6 }) },
  { weight: 1, arbitrary: fc.array(hostile, { maxLength: 4 }) },
  { weight: 1, arbitrary: hostile },
);

/** JSON text, possibly cut short or with one character replaced. */
const text: fc.Arbitrary<string> = fc
  .tuple(
    body,
    fc.oneof(fc.constant('whole'), fc.constant('cut'), fc.constant('damage')),
    fc.nat(),
    fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
  )
  .map(([value, how, at, char]) => {
    const json = JSON.stringify(value);
    if (how === 'whole') return json;
    const i = at % Math.max(1, json.length);
    return how === 'cut' ? json.slice(0, i) : json.slice(0, i) + char + json.slice(i + 1);
  });

describe('the intake reader under bad input', () => {
  const prototypes = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
  const before = prototypes.map((p) => Object.getOwnPropertyNames(p).sort());

  afterAll(() => {
    // The 100,000 bodies of the issue: counted over the tests below.
    expect(bodies).toBeGreaterThanOrEqual(100_000);
    // Both sides were exercised, and many different problems.
    expect(accepted).toBeGreaterThan(10_000);
    expect(bodies - accepted).toBeGreaterThan(10_000);
    expect(refusals.size).toBeGreaterThan(50);
    if (process.env.FUZZ_REPORT)
      console.log(
        bodies,
        accepted,
        [...refusals].sort((a, b) => b[1] - a[1]),
      );
  });

  it('reads mutated envelopes, batches and random values: accepted or a ValidationError', () => {
    fc.assert(
      fc.property(body, (b) => check(b, false)),
      { numRuns: 55_000 },
    );
  }, 60_000);

  it('reads the same as JSON text, whole, cut short or damaged', () => {
    fc.assert(
      fc.property(text, (t) => check(t, true)),
      { numRuns: 35_000 },
    );
  }, 60_000);

  it('reads random JSON text and random strings as frames', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          text,
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (t) => check(t, true, true),
      ),
      { numRuns: 10_000 },
    );
  }, 60_000);

  it('refuses the extremes', () => {
    check('['.repeat(1_000_000), true);
    check(`${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}`, true);
    check(nested(1_000_000, false), false);
    check(nested(1_000_000, true), false);
    check(
      Array.from({ length: 100_000 }, () => ({})),
      false,
    );
    check(`{"topicName":"${'t'.repeat(5_000_000)}"}`, true);
    check({ id: 'x'.repeat(5_000_000), detail: {} }, false);
  });

  it('leaves every prototype as it was', () => {
    expect(prototypes.map((p) => Object.getOwnPropertyNames(p).sort())).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });
});
