/**
 * Genesys Cloud events as the live sync sees them (issue 12): normalized, whatever carried them
 * (an EventBridge event over HTTPS, a notification body posted by a forwarder, a Notifications API
 * WebSocket frame). An event is a trigger: it names what to read again (its subject), never the data
 * to write, because whether `attributes` holds the whole map or only the change is not documented.
 */

import { ConfigurationError } from '../../../errors/errors.js';

/** What an event is about. `ignored`: a topic the sync does not use (accepted and counted). */
export type GenesysEventKind =
  | 'conversation-attributes'
  | 'customer-end'
  | 'external-contact'
  | 'queue-conversation'
  | 'ignored';

/** What to read again once a burst of events is over. */
export type GenesysEventSubject =
  | { kind: 'conversation'; id: string }
  | { kind: 'external-contact'; id: string };

/** How the event arrived: inside an EventBridge envelope, or as a bare notification. */
export type GenesysEventDelivery = 'eventbridge' | 'notification';

interface GenesysEventBase {
  /**
   * The event's identity, for the duplicate check: EventBridge's `id`; else the notification's
   * `metadata.CorrelationId`; else `<topic>|<subject key>|<eventTime>` (see `dedupeKeys`). Absent
   * only when the event carries none of the three: nothing then recognises a repeat, and a host
   * gives it an id of its own (a repeat costs one more read of the subject, never a wrong write).
   */
  id?: string;
  /**
   * Every key under which a repeat of this event is known: `eventbridge:<id>` and
   * `correlation:<CorrelationId>` when present (Genesys re-publishing to EventBridge makes a new
   * EventBridge id with the same CorrelationId), otherwise `derived:<id>`. Empty when `id` is absent.
   */
  dedupeKeys: string[];
  correlationId?: string;
  /** The concrete topic (`v2.detail.events.conversation.<id>.attributes`). */
  topic: string;
  /** The topic with its id replaced by `{id}` (a bounded label for metrics), or `other`. */
  topicPattern: string;
  /**
   * When the change happened, as `Date#toISOString()` writes it: the body's own time (`eventTime`,
   * or a contact's `modifyDate`), else the envelope's (`detail.timestamp`, EventBridge `time`).
   * Absent when the event has none (queue snapshots posted without an envelope): the host's receive
   * time stands in.
   */
  eventTime?: string;
  delivery: GenesysEventDelivery;
}

/** An event the sync acts on: read `subject` again. */
export interface GenesysSubjectEvent extends GenesysEventBase {
  kind: Exclude<GenesysEventKind, 'ignored'>;
  subject: GenesysEventSubject;
  /** For `queue-conversation`: the queue of the topic. */
  queueId?: string;
}

/** An event on a topic the sync does not use. Its body is not read. */
export interface GenesysIgnoredEvent extends GenesysEventBase {
  kind: 'ignored';
}

export type GenesysEvent = GenesysSubjectEvent | GenesysIgnoredEvent;

/** Limits on what a reader accepts (the intake also limits the body's size). */
export const GENESYS_EVENT_LIMITS = {
  /** Events in one array body. */
  maxBatch: 1_000,
  /** An EventBridge id or a CorrelationId. */
  maxEventIdLength: 256,
  /** A topic name. */
  maxTopicLength: 256,
  /** A conversation, contact or queue id (Genesys ids are UUIDs). */
  maxEntityIdLength: 128,
  /** A time written as text. */
  maxTimeLength: 64,
} as const;

/** Conversation, contact and queue ids: letters, digits, `-` and `_` (Genesys uses UUIDs). */
export const ENTITY_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

export function isEntityId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= GENESYS_EVENT_LIMITS.maxEntityIdLength &&
    ENTITY_ID_PATTERN.test(value)
  );
}

// ---- topics ----

export const HEARTBEAT_TOPIC = 'channel.metadata';
export const SOCKET_CLOSING_TOPIC = 'v2.system.socket_closing';

export const GENESYS_TOPIC_PATTERNS = {
  'conversation-attributes': 'v2.detail.events.conversation.{id}.attributes',
  'customer-end': 'v2.detail.events.conversation.{id}.customer.end',
  'external-contact': 'v2.externalcontacts.contacts.{id}',
  'queue-conversation': 'v2.routing.queues.{id}.conversations',
} as const satisfies Record<Exclude<GenesysEventKind, 'ignored'>, string>;

/** What a topic name says, before the body is read. `id` is the topic's id segment, unchecked. */
export type TopicClass =
  | { kind: Exclude<GenesysEventKind, 'ignored'>; pattern: string; id: string }
  | { kind: 'heartbeat' | 'socket-closing' | 'ignored'; pattern: string };

const TOPIC_RULES: readonly [RegExp, Exclude<GenesysEventKind, 'ignored'>][] = [
  [/^v2\.detail\.events\.conversation\.([^.]+)\.attributes$/, 'conversation-attributes'],
  [/^v2\.detail\.events\.conversation\.([^.]+)\.customer\.end$/, 'customer-end'],
  [/^v2\.externalcontacts\.contacts\.([^.]+)$/, 'external-contact'],
  [/^v2\.routing\.queues\.([^.]+)\.conversations$/, 'queue-conversation'],
];

export function classifyTopic(topic: string): TopicClass {
  if (topic === HEARTBEAT_TOPIC) return { kind: 'heartbeat', pattern: topic };
  if (topic === SOCKET_CLOSING_TOPIC) return { kind: 'socket-closing', pattern: topic };
  for (const [re, kind] of TOPIC_RULES) {
    const m = re.exec(topic);
    if (m?.[1] !== undefined) return { kind, pattern: GENESYS_TOPIC_PATTERNS[kind], id: m[1] };
  }
  return { kind: 'ignored', pattern: 'other' };
}

/** The topic that carries a queue's conversations (Notifications API topics need concrete ids). */
export function queueConversationsTopic(queueId: string): string {
  if (!isEntityId(queueId)) {
    throw new ConfigurationError(
      `a Genesys Cloud queue id is 1 to ${GENESYS_EVENT_LIMITS.maxEntityIdLength} letters, digits, "-" or "_" (a UUID)`,
      { platform: 'genesys' },
    );
  }
  return `v2.routing.queues.${queueId}.conversations`;
}

// ---- subjects ----

/** `conversation:<id>` or `contact:<id>`: the coalescing key, and what an inbox row stores. */
export function subjectKey(subject: GenesysEventSubject): string {
  return subject.kind === 'conversation' ? `conversation:${subject.id}` : `contact:${subject.id}`;
}

/** The subject of a key `subjectKey` made, or undefined for anything else. */
export function parseSubjectKey(key: string): GenesysEventSubject | undefined {
  const colon = key.indexOf(':');
  const prefix = key.slice(0, colon);
  const id = key.slice(colon + 1);
  if (colon < 0 || !isEntityId(id)) return undefined;
  if (prefix === 'conversation') return { kind: 'conversation', id };
  if (prefix === 'contact') return { kind: 'external-contact', id };
  return undefined;
}
