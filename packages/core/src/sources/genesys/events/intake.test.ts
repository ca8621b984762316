import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../errors/errors.js';
import { parseIntakeJson, readIntakeBody, readIntakeJson } from './intake.js';
import { readTime } from './read.js';
import {
  attributesBody,
  attributesEvent,
  attributesTopic,
  CONTACT_ID,
  CONVERSATION_ID,
  contactBody,
  contactTopic,
  customerEndTopic,
  EVENT_TIME_MS,
  eventBridge,
  notification,
  QUEUE_ID,
  queueConversationBody,
  queueTopic,
} from './test-helpers.js';
import { classifyTopic, parseSubjectKey, queueConversationsTopic, subjectKey } from './types.js';

const EVENT_TIME = new Date(EVENT_TIME_MS).toISOString();

/** The ValidationError's message for a body, or fails. */
function refusal(body: unknown): string {
  try {
    readIntakeBody(body);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).message;
  }
  throw new Error('the body was accepted');
}

describe('readIntakeBody: accepted shapes', () => {
  it('reads one EventBridge attributes event', () => {
    const reading = readIntakeBody(attributesEvent('eb-42'));
    expect(reading).toEqual({
      shape: 'eventbridge',
      events: [
        {
          id: 'eb-42',
          dedupeKeys: ['eventbridge:eb-42', 'correlation:corr-1'],
          correlationId: 'corr-1',
          topic: attributesTopic(),
          topicPattern: 'v2.detail.events.conversation.{id}.attributes',
          eventTime: EVENT_TIME,
          delivery: 'eventbridge',
          kind: 'conversation-attributes',
          subject: { kind: 'conversation', id: CONVERSATION_ID },
        },
      ],
    });
  });

  it('reads an array of EventBridge events (and notifications) in order', () => {
    const reading = readIntakeBody([
      attributesEvent('eb-1'),
      attributesEvent('eb-2'),
      notification(customerEndTopic(), { conversationId: CONVERSATION_ID, eventTime: EVENT_TIME_MS }, 'c-3'),
    ]);
    expect(reading.shape).toBe('batch');
    expect(reading.events.map((e) => [e.id, e.kind, e.delivery])).toEqual([
      ['eb-1', 'conversation-attributes', 'eventbridge'],
      ['eb-2', 'conversation-attributes', 'eventbridge'],
      ['c-3', 'customer-end', 'notification'],
    ]);
  });

  it('reads a Genesys notification body (a forwarder, a Process Automation data action)', () => {
    const reading = readIntakeBody({ topicName: attributesTopic(), eventBody: attributesBody() });
    expect(reading.shape).toBe('notification');
    const [event] = reading.events;
    expect(event).toMatchObject({
      kind: 'conversation-attributes',
      delivery: 'notification',
      subject: { kind: 'conversation', id: CONVERSATION_ID },
      eventTime: EVENT_TIME,
    });
    // No EventBridge id, no CorrelationId: the key is the topic, the subject and the time.
    expect(event?.id).toBe(`${attributesTopic()}|conversation:${CONVERSATION_ID}|${EVENT_TIME}`);
    expect(event?.dedupeKeys).toEqual([`derived:${event?.id}`]);
    expect(event?.correlationId).toBeUndefined();
  });

  it('takes the CorrelationId as the id of a notification', () => {
    const [event] = readIntakeBody(notification(attributesTopic(), attributesBody(), 'corr-9')).events;
    expect(event?.id).toBe('corr-9');
    expect(event?.dedupeKeys).toEqual(['correlation:corr-9']);
  });

  it('reads customer.end, with or without conversationId in the body', () => {
    const end = readIntakeBody(
      eventBridge(
        notification(customerEndTopic(), {
          conversationId: CONVERSATION_ID,
          participantId: 'p-1',
          externalContactId: CONTACT_ID,
          ani: 'tel:+447900000001',
          dnis: 'tel:+441234567890',
          mediaType: 'VOICE',
          disconnectType: 'peer',
          eventTime: EVENT_TIME_MS,
        }),
      ),
    ).events[0];
    expect(end).toMatchObject({
      kind: 'customer-end',
      subject: { kind: 'conversation', id: CONVERSATION_ID },
    });
    const bare = readIntakeBody(notification(customerEndTopic(), { mediaType: 'VOICE' })).events[0];
    expect(bare).toMatchObject({
      kind: 'customer-end',
      subject: { kind: 'conversation', id: CONVERSATION_ID },
    });
  });

  it('reads an external contact event; its time is the contact modifyDate', () => {
    const [event] = readIntakeBody(eventBridge(notification(contactTopic(), contactBody()))).events;
    expect(event).toMatchObject({
      kind: 'external-contact',
      topicPattern: 'v2.externalcontacts.contacts.{id}',
      subject: { kind: 'external-contact', id: CONTACT_ID },
      eventTime: '2025-03-04T09:00:00.000Z',
    });
  });

  it('reads a queue conversation snapshot: the subject is the conversation, the queue is kept', () => {
    const [event] = readIntakeBody(notification(queueTopic(), queueConversationBody())).events;
    expect(event).toMatchObject({
      kind: 'queue-conversation',
      subject: { kind: 'conversation', id: CONVERSATION_ID },
      queueId: QUEUE_ID,
      id: 'corr-1',
    });
    expect(event?.eventTime).toBeUndefined();
  });

  it('a snapshot with no id, CorrelationId nor time gets no id (nothing recognises a repeat)', () => {
    const [event] = readIntakeBody({ topicName: queueTopic(), eventBody: queueConversationBody() }).events;
    expect(event?.id).toBeUndefined();
    expect(event?.dedupeKeys).toEqual([]);
    expect(event?.kind).toBe('queue-conversation');
  });

  it('accepts unknown topics as ignored, without reading their body', () => {
    const reading = readIntakeBody([
      eventBridge(notification('v2.users.u-1.presence', 'not even an object')),
      { topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } },
      { topicName: 'v2.system.socket_closing' },
      { topicName: 'v2.detail.events.conversation.abc.acw', eventBody: 42 },
      { topicName: 'v2.detail.events.conversation.{id}.attributes.extra', eventBody: {} },
    ]);
    expect(reading.events.map((e) => [e.kind, e.topicPattern])).toEqual([
      ['ignored', 'other'],
      ['ignored', 'channel.metadata'],
      ['ignored', 'v2.system.socket_closing'],
      ['ignored', 'other'],
      ['ignored', 'other'],
    ]);
    expect(reading.events[0]).toMatchObject({ id: 'eb-1', eventTime: '2025-03-04T10:11:13.000Z' });
    expect(reading.events[1]?.id).toBeUndefined();
  });

  it('takes the time from the body, then detail.timestamp, then the EventBridge time', () => {
    const detail = {
      ...notification(attributesTopic(), attributesBody()),
      timestamp: '2025-01-01T00:00:00Z',
    };
    expect(readIntakeBody(eventBridge(detail)).events[0]?.eventTime).toBe(EVENT_TIME);
    const noBodyTime = { ...detail, eventBody: attributesBody({ eventTime: undefined }) };
    expect(readIntakeBody(eventBridge(noBodyTime)).events[0]?.eventTime).toBe('2025-01-01T00:00:00.000Z');
    const neither = { ...noBodyTime, timestamp: null };
    expect(readIntakeBody(eventBridge(neither)).events[0]?.eventTime).toBe('2025-03-04T10:11:13.000Z');
  });

  it('treats null optional fields as absent', () => {
    const body = {
      ...notification(attributesTopic(), attributesBody({ conversationId: null })),
      metadata: null,
    };
    const [event] = readIntakeBody(body).events;
    expect(event).toMatchObject({ kind: 'conversation-attributes', eventTime: EVENT_TIME });
    expect(event?.correlationId).toBeUndefined();
  });

  it('keeps "__proto__" and "constructor" keys as data, never reading or copying them', () => {
    const text = `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},
      "topicName":"${attributesTopic()}","eventBody":{"__proto__":{"conversationId":"x"},"eventTime":${EVENT_TIME_MS}},
      "metadata":{"__proto__":{"CorrelationId":"evil"}}}`;
    const reading = readIntakeJson(text);
    const [event] = reading.events;
    expect(event?.correlationId).toBeUndefined();
    expect(event).toMatchObject({ subject: { kind: 'conversation', id: CONVERSATION_ID } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
    expect(Object.keys(event ?? {})).not.toContain('__proto__');
  });

  it('does not take inherited fields: an object without topicName is refused', () => {
    expect(refusal(JSON.parse('{"__proto__":{"topicName":"x"}}'))).toMatch(
      /^body: expected an EventBridge event/,
    );
  });
});

describe('readIntakeBody: refusals name the field and the problem', () => {
  const cases: [string, unknown, string][] = [
    ['null', null, 'body: expected an EventBridge event, an array of them, or a Genesys notification'],
    ['a string', 'hello', 'got a string'],
    ['a number', 42, 'got a number'],
    ['an unknown object', { hello: 'world' }, 'body: expected an EventBridge event ({id, detail'],
    ['an empty array', [], 'body: expected at least one event, got an empty array'],
    [
      'too many events',
      Array.from({ length: 1001 }, () => ({})),
      'body: expected at most 1000 events in one array, got 1001',
    ],
    [
      'an array element of the wrong type',
      [attributesEvent(), 'x'],
      '[1]: expected an object (an EventBridge event or a Genesys notification), got a string',
    ],
    [
      'an undefined element (a caller may pass one; JSON.parse never makes one)',
      Array.from({ length: 3 }, (_, i) => (i === 1 ? undefined : attributesEvent())),
      '[1]: expected an object (an EventBridge event or a Genesys notification), got undefined',
    ],
    [
      'a nested array',
      [[attributesEvent()]],
      '[0]: expected an object (an EventBridge event or a Genesys notification), got an array',
    ],
    [
      'an EventBridge event without id',
      { ...attributesEvent(), id: undefined },
      'id: is missing (expected a string)',
    ],
    [
      'an EventBridge id of the wrong type',
      { ...attributesEvent(), id: 7 },
      'id: expected a non-empty string, got a number',
    ],
    [
      'an empty EventBridge id',
      { ...attributesEvent(), id: '' },
      'id: expected a non-empty string, got an empty string',
    ],
    [
      'a huge EventBridge id',
      { ...attributesEvent(), id: 'x'.repeat(10_000) },
      'id: expected at most 256 characters, got 10000',
    ],
    [
      'detail of the wrong type',
      { ...attributesEvent(), detail: [] },
      'detail: expected an object, got an array',
    ],
    ['detail null', { ...attributesEvent(), detail: null }, 'detail: is missing (expected an object)'],
    [
      'a bad EventBridge time',
      { ...attributesEvent(), time: 'yesterday' },
      'time: expected epoch milliseconds or an ISO 8601 date-time',
    ],
    ['no topicName', eventBridge({ eventBody: {} }), 'detail.topicName: is missing (expected a string)'],
    [
      'a topicName of the wrong type',
      eventBridge({ topicName: ['a'] }),
      'detail.topicName: expected a non-empty string, got an array',
    ],
    [
      'a huge topicName',
      { topicName: 'v'.repeat(300) },
      'topicName: expected at most 256 characters, got 300',
    ],
    [
      'metadata of the wrong type',
      { ...notification(attributesTopic(), attributesBody()), metadata: 'm' },
      'metadata: expected an object, got a string',
    ],
    [
      'a CorrelationId of the wrong type',
      { ...notification(attributesTopic(), attributesBody()), metadata: { CorrelationId: {} } },
      'metadata.CorrelationId: expected a non-empty string, got an object',
    ],
    ['no eventBody', { topicName: attributesTopic() }, 'eventBody: is missing (expected an object)'],
    [
      'an eventBody of the wrong type',
      eventBridge({ topicName: attributesTopic(), eventBody: 'x' }),
      'detail.eventBody: expected an object, got a string',
    ],
    [
      'a conversationId of the wrong type',
      [attributesEvent(), attributesEvent(), attributesEvent(), attributesEvent('eb', { conversationId: 5 })],
      '[3].detail.eventBody.conversationId: expected a string, got a number',
    ],
    [
      'a conversationId that is not an id',
      attributesEvent('eb', { conversationId: '../../etc' }),
      'detail.eventBody.conversationId: expected an id: 1 to 128 letters, digits, "-" or "_"',
    ],
    [
      'a conversationId other than the topic',
      attributesEvent('eb', { conversationId: 'other-conversation' }),
      'detail.eventBody.conversationId: does not match the conversation id in topicName',
    ],
    [
      'a topic id that is not an id',
      notification('v2.detail.events.conversation.{id}.attributes', {}),
      'topicName: the conversation id in the topic is not an id',
    ],
    [
      'a huge topic id',
      notification(attributesTopic('a'.repeat(200)), {}),
      'topicName: the conversation id in the topic is not an id',
    ],
    [
      'an eventTime of the wrong type',
      attributesEvent('eb', { eventTime: true }),
      'detail.eventBody.eventTime: expected epoch milliseconds or an ISO 8601 date-time, got a boolean',
    ],
    [
      'an eventTime out of range',
      attributesEvent('eb', { eventTime: 1e20 }),
      'detail.eventBody.eventTime: expected epoch milliseconds or an ISO 8601 date-time (years 1970 to 9999)',
    ],
    [
      'a negative eventTime',
      attributesEvent('eb', { eventTime: -1 }),
      'detail.eventBody.eventTime: expected epoch milliseconds',
    ],
    [
      'a contact id other than the topic',
      notification(contactTopic(), contactBody({ id: 'someone-else' })),
      'eventBody.id: does not match the contact id in topicName',
    ],
    [
      'a bad modifyDate',
      notification(contactTopic(), contactBody({ modifyDate: '2025-02-30T00:00:00Z' })),
      'eventBody.modifyDate: expected epoch milliseconds',
    ],
    [
      'a queue snapshot without id',
      notification(queueTopic(), { participants: [] }),
      'eventBody.id: is missing (expected an id)',
    ],
    [
      'a queue id that is not an id',
      notification('v2.routing.queues.q q.conversations', queueConversationBody()),
      'topicName: the queue id in the topic is not an id',
    ],
  ];
  it.each(cases)('%s', (_name, body, expected) => {
    expect(refusal(body)).toContain(expected);
  });

  it('puts the path and the problem in `fields`, and never the value', () => {
    try {
      readIntakeBody(attributesEvent('eb', { conversationId: 'secret-looking value' }));
      expect.unreachable();
    } catch (e) {
      const error = e as ValidationError;
      expect(error.kind).toBe('validation');
      expect(error.fields).toEqual([
        { field: 'detail.eventBody.conversationId', message: expect.any(String) },
      ]);
      expect(error.message).not.toContain('secret-looking');
    }
  });
});

describe('parseIntakeJson', () => {
  it('parses JSON, skipping a byte-order mark', () => {
    expect(parseIntakeJson('\uFEFF{"a":1}')).toEqual({ a: 1 });
  });
  it.each([
    ['', 'body: is empty (expected JSON)'],
    ['  \n', 'body: is empty (expected JSON)'],
    ['{"topicName":"x","eventBody":{', 'body: is not valid JSON: it ends too early (truncated?)'],
    ['{"topicName":"x', 'body: is not valid JSON: it ends too early (truncated?)'],
    ['[1,2', 'body: is not valid JSON: it ends too early (truncated?)'],
    ['{"a":1}}', 'body: is not valid JSON (at character 8)'],
    ["{'a':1}", 'body: is not valid JSON (at character 2)'],
    ['nope', 'body: is not valid JSON'],
  ])('%j → %s', (text, message) => {
    expect(() => parseIntakeJson(text)).toThrow(ValidationError);
    expect(() => parseIntakeJson(text)).toThrow(message);
  });
  it('never quotes the text', () => {
    expect(() => parseIntakeJson('{"token":"tok-SECRET"')).toThrow(/^(?!.*SECRET)/);
  });
  it('reads deep nesting without a stack overflow', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(() => readIntakeJson(deep)).toThrow(ValidationError);
  });
});

describe('times', () => {
  it.each([
    [EVENT_TIME_MS, EVENT_TIME],
    [String(EVENT_TIME_MS), EVENT_TIME],
    ['2025-03-04T10:11:12.345Z', EVENT_TIME],
    ['2025-03-04T10:11:12.345678901Z', EVENT_TIME],
    ['2025-03-04T11:11:12.345+01:00', EVENT_TIME],
    ['2025-03-04T05:11:12.345-0500', EVENT_TIME],
    ['2025-03-04T10:11Z', '2025-03-04T10:11:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('%j → %s', (value, iso) => {
    expect(readTime(value)).toBe(iso);
  });
  it.each([
    ['2025-02-29T00:00:00Z'],
    ['2025-13-01T00:00:00Z'],
    ['2025-01-01T24:00:00Z'],
    ['2025-01-01'],
    ['Tue, 04 Mar 2025 10:11:12 GMT'],
    ['1969-12-31T23:59:59Z'],
    ['10000-01-01T00:00:00Z'],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    ['1'.repeat(17)],
    [{}],
  ])('%j is not a time', (value) => {
    expect(readTime(value)).toBeUndefined();
  });
});

describe('topics and subjects', () => {
  it('classifies topics', () => {
    expect(classifyTopic(attributesTopic())).toEqual({
      kind: 'conversation-attributes',
      pattern: 'v2.detail.events.conversation.{id}.attributes',
      id: CONVERSATION_ID,
    });
    expect(classifyTopic('channel.metadata').kind).toBe('heartbeat');
    expect(classifyTopic('v2.system.socket_closing').kind).toBe('socket-closing');
    expect(classifyTopic('v2.routing.queues.q1.conversations.calls').kind).toBe('ignored');
  });
  it('round-trips subject keys', () => {
    expect(subjectKey({ kind: 'conversation', id: 'c-1' })).toBe('conversation:c-1');
    expect(subjectKey({ kind: 'external-contact', id: 'ec-1' })).toBe('contact:ec-1');
    expect(parseSubjectKey('conversation:c-1')).toEqual({ kind: 'conversation', id: 'c-1' });
    expect(parseSubjectKey('contact:ec-1')).toEqual({ kind: 'external-contact', id: 'ec-1' });
    for (const bad of ['c-1', 'queue:q', 'conversation:', 'conversation:a:b', '__proto__:x'])
      expect(parseSubjectKey(bad)).toBeUndefined();
  });
  it('builds queue topics from checked ids', () => {
    expect(queueConversationsTopic(QUEUE_ID)).toBe(queueTopic());
    expect(() => queueConversationsTopic('a.b')).toThrow(/queue id/);
  });
});
