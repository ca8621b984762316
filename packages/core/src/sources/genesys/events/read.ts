/**
 * The reader both event paths share (the intake's bodies, the WebSocket's frames): one EventBridge
 * event or one Genesys notification in, one normalized event out, or a ValidationError that names
 * the field (`[3].detail.eventBody.conversationId: expected a string, got a number`).
 *
 * Hostile input: only known fields are read, each as an own property of a plain object (so
 * `__proto__`, `constructor` and deep nesting elsewhere are never looked at), every string the
 * result keeps is bounded, and no value of the input is echoed in a message. Nothing but a
 * ValidationError is thrown for any value JSON.parse can produce.
 */
import { ValidationError } from '../../../errors/errors.js';
import {
  classifyTopic,
  GENESYS_EVENT_LIMITS,
  type GenesysEvent,
  type GenesysEventDelivery,
  type GenesysEventKind,
  type GenesysEventSubject,
  isEntityId,
  subjectKey,
} from './types.js';

/** A WebSocket frame that is about the socket, not an event. */
export interface GenesysControlFrame {
  kind: 'heartbeat' | 'socket-closing';
  topic: string;
}

type JsonObject = Record<string, unknown>;

// ---- paths and problems ----

/** `detail.eventBody`, `[3].detail`: a path below `path`. The root is the empty path. */
export const field = (path: string, key: string): string => (path ? `${path}.${key}` : key);
export const element = (path: string, index: number): string => `${path}[${index}]`;

/** The error for a problem at `path` (`root` names the empty path: `body`, `frame`). */
export function problemAt(root: string, path: string, message: string): ValidationError {
  const where = path || root;
  return new ValidationError(`${where}: ${message}`, { fields: [{ field: where, message }] });
}

/** What a value is, for messages: its JSON type, never its content. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return value === '' ? 'an empty string' : 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A field only when it is the object's own (never one inherited, such as `constructor`). */
const own = (o: JsonObject, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

/** Reads fields of one object, naming each problem with its path. `null` counts as absent. */
class Fields {
  constructor(
    readonly o: JsonObject,
    readonly path: string,
    readonly root: string,
  ) {}

  fail(key: string | undefined, message: string): never {
    throw problemAt(this.root, key === undefined ? this.path : field(this.path, key), message);
  }

  /** A string of 1 to `max` characters; undefined when absent and not required. */
  string(key: string, max: number, required: true): string;
  string(key: string, max: number, required?: false): string | undefined;
  string(key: string, max: number, required = false): string | undefined {
    const v = own(this.o, key);
    if (v === undefined || v === null) {
      if (required) this.fail(key, 'is missing (expected a string)');
      return undefined;
    }
    if (typeof v !== 'string' || v === '')
      this.fail(key, `expected a non-empty string, got ${describeValue(v)}`);
    if (v.length > max) this.fail(key, `expected at most ${max} characters, got ${v.length}`);
    return v;
  }

  /** A conversation, contact or queue id. */
  id(key: string, required: true): string;
  id(key: string, required?: false): string | undefined;
  id(key: string, required = false): string | undefined {
    const v = own(this.o, key);
    if (v === undefined || v === null) {
      if (required) this.fail(key, 'is missing (expected an id)');
      return undefined;
    }
    if (typeof v !== 'string') this.fail(key, `expected a string, got ${describeValue(v)}`);
    if (!isEntityId(v)) this.fail(key, ID_RULE);
    return v;
  }

  object(key: string, required: true): Fields;
  object(key: string, required?: false): Fields | undefined;
  object(key: string, required = false): Fields | undefined {
    const v = own(this.o, key);
    if (v === undefined || v === null) {
      if (required) this.fail(key, 'is missing (expected an object)');
      return undefined;
    }
    if (!isJsonObject(v)) this.fail(key, `expected an object, got ${describeValue(v)}`);
    return new Fields(v, field(this.path, key), this.root);
  }

  /** A time: epoch milliseconds (a number, or digits), or an ISO 8601 date-time. As ISO, UTC. */
  time(key: string): string | undefined {
    const v = own(this.o, key);
    if (v === undefined || v === null) return undefined;
    const iso = readTime(v);
    if (iso === undefined) {
      this.fail(
        key,
        typeof v === 'string' || typeof v === 'number'
          ? 'expected epoch milliseconds or an ISO 8601 date-time (years 1970 to 9999)'
          : `expected epoch milliseconds or an ISO 8601 date-time, got ${describeValue(v)}`,
      );
    }
    return iso;
  }
}

const ID_CHARS = `1 to ${GENESYS_EVENT_LIMITS.maxEntityIdLength} letters, digits, "-" or "_"`;
const ID_RULE = `expected an id: ${ID_CHARS}`;

// ---- times ----

/** The last millisecond of 9999: later dates do not print as `YYYY-…Z`, and sort wrongly as text. */
const MAX_TIME_MS = 253_402_300_799_999;
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysInMonth = (year: number, month: number): number =>
  month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);

/** A time as `Date#toISOString()` writes it, or undefined when `value` is not one. */
export function readTime(value: unknown): string | undefined {
  let ms: number | undefined;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && value.length <= GENESYS_EVENT_LIMITS.maxTimeLength) {
    if (/^\d{1,16}$/.test(value)) ms = Number(value);
    else ms = parseIsoTime(value);
  }
  if (ms === undefined || !Number.isFinite(ms) || ms < 0 || ms > MAX_TIME_MS) return undefined;
  return new Date(Math.floor(ms)).toISOString();
}

function parseIsoTime(text: string): number | undefined {
  const m = ISO_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime() - offsetMinutes * 60_000;
}

// ---- events ----

export interface ReadOptions {
  /** Names the empty path in messages: `body` (the intake), `frame` (the WebSocket). */
  root: string;
  /** Whether heartbeats and `socket_closing` are control frames (the WebSocket) or ignored events. */
  control: boolean;
}

interface Envelope {
  delivery: GenesysEventDelivery;
  eventBridgeId?: string;
  envelopeTime?: string;
}

/** One EventBridge event or one notification, at `path`. */
export function readEventValue(
  value: unknown,
  path: string,
  options: ReadOptions,
): GenesysEvent | GenesysControlFrame {
  if (!isJsonObject(value)) {
    throw problemAt(
      options.root,
      path,
      `expected an object (an EventBridge event or a Genesys notification), got ${describeValue(value)}`,
    );
  }
  const f = new Fields(value, path, options.root);
  if (Object.hasOwn(value, 'detail')) return readEventBridge(f, options);
  if (Object.hasOwn(value, 'topicName')) return readNotification(f, options, { delivery: 'notification' });
  return f.fail(
    undefined,
    'expected an EventBridge event ({id, detail: {topicName, eventBody}}) or a Genesys notification ({topicName, eventBody})',
  );
}

/** `{version, id, detail-type, source, account, time, region, resources, detail}`. */
function readEventBridge(f: Fields, options: ReadOptions): GenesysEvent | GenesysControlFrame {
  const eventBridgeId = f.string('id', GENESYS_EVENT_LIMITS.maxEventIdLength, true);
  const envelopeTime = f.time('time');
  const detail = f.object('detail', true);
  return readNotification(detail, options, {
    delivery: 'eventbridge',
    eventBridgeId,
    ...(envelopeTime ? { envelopeTime } : {}),
  });
}

/** One notification (a WebSocket frame), at the root. */
export function readNotificationValue(
  value: unknown,
  options: ReadOptions,
): GenesysEvent | GenesysControlFrame {
  if (!isJsonObject(value)) {
    throw problemAt(
      options.root,
      '',
      `expected a Genesys notification ({topicName, eventBody}), got ${describeValue(value)}`,
    );
  }
  return readNotification(new Fields(value, '', options.root), options, { delivery: 'notification' });
}

/** `{topicName, version, eventBody, metadata: {CorrelationId}, timestamp?}`. */
function readNotification(
  f: Fields,
  options: ReadOptions,
  envelope: Envelope,
): GenesysEvent | GenesysControlFrame {
  const topic = f.string('topicName', GENESYS_EVENT_LIMITS.maxTopicLength, true);
  const metadata = f.object('metadata');
  const correlationId = metadata?.string('CorrelationId', GENESYS_EVENT_LIMITS.maxEventIdLength);
  const timestamp = f.time('timestamp');
  const topicClass = classifyTopic(topic);

  let kind: GenesysEventKind;
  let subject: GenesysEventSubject | undefined;
  let queueId: string | undefined;
  let bodyTime: string | undefined;
  switch (topicClass.kind) {
    case 'heartbeat':
    case 'socket-closing':
      if (options.control) return { kind: topicClass.kind, topic };
      kind = 'ignored';
      break;
    case 'ignored':
      kind = 'ignored';
      break;
    case 'conversation-attributes':
    case 'customer-end': {
      kind = topicClass.kind;
      const id = topicId(f, topicClass.id, 'conversation');
      const body = f.object('eventBody', true);
      matching(body, 'conversationId', id, 'conversation');
      bodyTime = body.time('eventTime');
      subject = { kind: 'conversation', id };
      break;
    }
    case 'external-contact': {
      kind = topicClass.kind;
      const id = topicId(f, topicClass.id, 'contact');
      const body = f.object('eventBody', true);
      matching(body, 'id', id, 'contact');
      bodyTime = body.time('modifyDate');
      subject = { kind: 'external-contact', id };
      break;
    }
    case 'queue-conversation': {
      kind = topicClass.kind;
      queueId = topicId(f, topicClass.id, 'queue');
      // The body is the whole conversation (id, participants[].attributes, …), without a time.
      const body = f.object('eventBody', true);
      subject = { kind: 'conversation', id: body.id('id', true) };
      break;
    }
  }

  const eventTime = bodyTime ?? timestamp ?? envelope.envelopeTime;
  const dedupeKeys: string[] = [];
  let id: string | undefined;
  if (envelope.eventBridgeId !== undefined) {
    id = envelope.eventBridgeId;
    dedupeKeys.push(`eventbridge:${id}`);
  }
  if (correlationId !== undefined) {
    id ??= correlationId;
    dedupeKeys.push(`correlation:${correlationId}`);
  }
  if (id === undefined && eventTime !== undefined) {
    // Two events with this key are of one topic (one conversation or contact) at one instant: the
    // read of the subject that either triggers, after the quiet period, sees what both changed.
    id = subject ? `${topic}|${subjectKey(subject)}|${eventTime}` : `${topic}|${eventTime}`;
    dedupeKeys.push(`derived:${id}`);
  }

  const base = {
    ...(id !== undefined ? { id } : {}),
    dedupeKeys,
    ...(correlationId !== undefined ? { correlationId } : {}),
    topic,
    topicPattern: topicClass.pattern,
    ...(eventTime !== undefined ? { eventTime } : {}),
    delivery: envelope.delivery,
  };
  if (kind === 'ignored' || subject === undefined) return { ...base, kind: 'ignored' };
  return { ...base, kind, subject, ...(queueId !== undefined ? { queueId } : {}) };
}

/** The id segment of a known topic, checked. */
function topicId(f: Fields, id: string, what: string): string {
  if (!isEntityId(id)) f.fail('topicName', `the ${what} id in the topic is not an id (${ID_CHARS})`);
  return id;
}

/** A body's id, when present, must be the topic's. */
function matching(body: Fields, key: string, expected: string, what: string): void {
  const actual = body.id(key);
  if (actual !== undefined && actual !== expected)
    body.fail(key, `does not match the ${what} id in topicName`);
}
