import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../errors/errors.js';
import { Coalescer, dueSubjects, nextDueAt, subjectDueAt } from './coalesce.js';
import { readIntakeBody } from './intake.js';
import {
  attributesBody,
  attributesTopic,
  contactBody,
  contactTopic,
  eventBridge,
  notification,
} from './test-helpers.js';
import type { GenesysEvent } from './types.js';

/** An attributes event of conversation `c`, with EventBridge id `id` and an eventTime of `timeMs`. */
function attrs(c: string, id: string, timeMs = Date.parse('2025-03-04T10:00:00Z')): GenesysEvent {
  const body = attributesBody({ conversationId: c, eventTime: timeMs });
  const [event] = readIntakeBody(
    eventBridge(notification(attributesTopic(c), body, `corr-${id}`), id),
  ).events;
  if (!event) throw new Error('no event');
  return event;
}

describe('dueSubjects over plain rows', () => {
  const policy = { quietMs: 2_000, maxWaitMs: 10_000 };
  const rows = [
    { subjectKey: 'conversation:b', firstAt: 0, lastAt: 9_000 }, // max wait at 10 000
    { subjectKey: 'conversation:a', firstAt: 1_000, lastAt: 1_500 }, // quiet at 3 500
    { subjectKey: 'contact:c', firstAt: 5_000, lastAt: 5_000 }, // quiet at 7 000
  ];
  it('is due at the quiet period after the last event or the max wait after the first', () => {
    expect(rows.map((r) => subjectDueAt(r, policy))).toEqual([10_000, 3_500, 7_000]);
    expect(dueSubjects(rows, 3_499, policy)).toEqual([]);
    expect(dueSubjects(rows, 3_500, policy).map((r) => r.subjectKey)).toEqual(['conversation:a']);
    expect(dueSubjects(rows, 20_000, policy).map((r) => r.subjectKey)).toEqual([
      'conversation:a',
      'contact:c',
      'conversation:b',
    ]);
    expect(nextDueAt(rows, policy)).toBe(3_500);
    expect(nextDueAt([], policy)).toBeUndefined();
  });
  it('keeps the caller rows (their extra fields too)', () => {
    const extra = [{ subjectKey: 'conversation:x', firstAt: 0, lastAt: 0, attempts: 3 }];
    expect(dueSubjects(extra, 2_000)[0]?.attempts).toBe(3);
  });
});

describe('Coalescer', () => {
  it('makes one batch of a burst, once quiet for 2 s', () => {
    const c = new Coalescer();
    expect(c.add(attrs('c1', 'e1'), 0)).toEqual({
      outcome: 'added',
      duplicate: false,
      subjectKey: 'conversation:c1',
    });
    c.add(attrs('c1', 'e2', Date.parse('2025-03-04T10:00:05Z')), 500);
    c.add(attrs('c1', 'e3', Date.parse('2025-03-04T10:00:03Z')), 1_200);
    expect(c.nextDeadline()).toBe(3_200);
    expect(c.due(3_199)).toEqual([]);
    const [batch, ...rest] = c.due(3_200);
    expect(rest).toEqual([]);
    expect(batch).toEqual({
      subjectKey: 'conversation:c1',
      subject: { kind: 'conversation', id: 'c1' },
      firstAt: 0,
      lastAt: 1_200,
      eventIds: ['e1', 'e2', 'e3'],
      eventCount: 3,
      kinds: ['conversation-attributes'],
      newestEventTime: '2025-03-04T10:00:05.000Z',
    });
    expect(c.pendingSubjects).toBe(0);
    expect(c.nextDeadline()).toBeUndefined();
  });

  it('does not wait past 10 s for a subject that never goes quiet', () => {
    const c = new Coalescer();
    for (let t = 0; t <= 9_000; t += 1_000) c.add(attrs('busy', `e${t}`), t);
    expect(c.nextDeadline()).toBe(10_000);
    expect(c.due(9_999)).toEqual([]);
    c.add(attrs('busy', 'e9500'), 9_500);
    const [batch] = c.due(10_000);
    expect(batch?.eventCount).toBe(11);
    // The next event starts a new batch.
    c.add(attrs('busy', 'e10500'), 10_500);
    expect(c.nextDeadline()).toBe(12_500);
  });

  it('keeps subjects apart, conversations and contacts', () => {
    const c = new Coalescer({ quietMs: 100, maxWaitMs: 1_000 });
    c.add(attrs('c1', 'e1'), 0);
    c.add(attrs('c2', 'e2'), 50);
    const [contact] = readIntakeBody(notification(contactTopic(), contactBody(), 'corr-x')).events;
    if (!contact) throw new Error('no event');
    expect(c.add(contact, 60).subjectKey).toMatch(/^contact:/);
    expect(c.due(100).map((b) => b.subjectKey)).toEqual(['conversation:c1']);
    expect(c.due(200).map((b) => b.subjectKey)).toEqual([
      'conversation:c2',
      expect.stringMatching(/^contact:/),
    ]);
  });

  it('drops repeats, by EventBridge id or by CorrelationId', () => {
    const c = new Coalescer();
    const first = attrs('c1', 'e1');
    expect(c.add(first, 0).outcome).toBe('added');
    expect(c.add(first, 100)).toEqual({
      outcome: 'duplicate',
      duplicate: true,
      subjectKey: 'conversation:c1',
    });
    // Genesys published it again: a new EventBridge id, the same CorrelationId.
    const republished = {
      ...first,
      id: 'e1-again',
      dedupeKeys: ['eventbridge:e1-again', 'correlation:corr-e1'],
    };
    expect(c.add(republished, 200).duplicate).toBe(true);
    // …and its new id is remembered too.
    expect(c.add({ ...first, id: 'e1-again', dedupeKeys: ['eventbridge:e1-again'] }, 300).duplicate).toBe(
      true,
    );
    // A repeat after the batch was taken is still a repeat.
    expect(c.due(5_000)[0]?.eventIds).toEqual(['e1']);
    expect(c.add(first, 6_000).duplicate).toBe(true);
    expect(c.pendingSubjects).toBe(0);
  });

  it('counts events without an id, never as repeats', () => {
    const c = new Coalescer();
    const [anonymous] = readIntakeBody({
      topicName: 'v2.routing.queues.q1.conversations',
      eventBody: { id: 'c9' },
    }).events;
    if (!anonymous) throw new Error('no event');
    expect(c.add(anonymous, 0).outcome).toBe('added');
    expect(c.add(anonymous, 10).outcome).toBe('added');
    const [batch] = c.due(2_010);
    expect(batch).toMatchObject({ eventIds: [], eventCount: 2, kinds: ['queue-conversation'] });
    expect(batch?.newestEventTime).toBeUndefined();
  });

  it('passes over ignored events', () => {
    const c = new Coalescer();
    const [ignored] = readIntakeBody(notification('v2.users.u1.presence', {})).events;
    if (!ignored) throw new Error('no event');
    expect(c.add(ignored, 0)).toEqual({ outcome: 'ignored', duplicate: false });
    expect(c.pendingSubjects).toBe(0);
  });

  it('forgets keys after the window, and beyond its size, oldest first', () => {
    const c = new Coalescer({ dedupeWindowMs: 1_000, maxRememberedKeys: 4 });
    c.add(attrs('c1', 'e1'), 0); // two keys: eventbridge and correlation
    c.add(attrs('c1', 'e2'), 10);
    expect(c.rememberedKeys).toBe(4);
    c.add(attrs('c1', 'e3'), 20);
    expect(c.rememberedKeys).toBe(4);
    expect(c.add(attrs('c1', 'e1'), 30).duplicate).toBe(false);
    expect(c.add(attrs('c1', 'e3'), 40).duplicate).toBe(true);
    // A repeat is remembered from its last sighting (40, then 1 000).
    expect(c.add(attrs('c1', 'e3'), 1_000).duplicate).toBe(true);
    expect(c.add(attrs('c1', 'e3'), 2_001).duplicate).toBe(false);
  });

  it('drains everything at shutdown', () => {
    const c = new Coalescer();
    c.add(attrs('c1', 'e1'), 0);
    c.add(attrs('c2', 'e2'), 0);
    expect(c.drain()).toHaveLength(2);
    expect(c.pendingSubjects).toBe(0);
  });

  it('refuses a policy it cannot use', () => {
    expect(() => new Coalescer({ quietMs: -1 })).toThrow(ConfigurationError);
    expect(() => new Coalescer({ maxWaitMs: Number.NaN })).toThrow(ConfigurationError);
    expect(new Coalescer({ quietMs: 0 }).policy).toEqual({ quietMs: 0, maxWaitMs: 10_000 });
  });
});
