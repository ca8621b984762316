import type { SeedConversation, SeedData, SeedExternalContact, SeedParticipant } from '../seed/seed.js';
import {
  attributesEvent,
  customerEndEvent,
  type EventBridgeEvent,
  type GenesysEvent,
  QUEUE_CONVERSATIONS_TOPIC,
  queueConversationEvents,
  queueIdsOf,
} from './events/envelope.js';
import { type AttributeEventPlan, type AttributeEventRun, startAttributeEvents } from './events/generator.js';
import { GenesysEvents } from './events/hub.js';
import { setOwn } from './route-helpers.js';

export interface GenesysToken {
  clientId: string;
  expiresAt: number;
}

/** One analytics conversation-detail job. */
export interface AnalyticsJob {
  id: string;
  submittedAt: number;
  /** The conversations of the interval in the requested order, fixed at submission. */
  conversationIds: string[];
  /** The analytics watermark when it was submitted (ms): its conversations all started before it. */
  dataAvailableMs: number;
  /** Set from code to make the job end FAILED with this message instead of FULFILLED. */
  failWith?: string;
}

/** Why a change from code was refused: the same codes the API answers with. */
export class GenesysStateError extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly code: 'not.found' | 'invalid.value',
    message: string,
    readonly entityId: string,
  ) {
    super(message);
  }
}

/**
 * The live Genesys Cloud data: what requests read and change. Tests may read and change it directly;
 * add conversations with `addConversations` so that the start-time index follows. Changes that
 * Genesys publishes as events (participant attributes, a conversation's end) go through
 * `patchParticipantAttributes` and `endConversation`, which publish them to `events`.
 */
export class GenesysState {
  readonly conversations = new Map<string, SeedConversation>();
  readonly externalContacts = new Map<string, SeedExternalContact>();
  readonly tokens = new Map<string, GenesysToken>();
  readonly jobs = new Map<string, AnalyticsJob>();
  contactSchema: SeedData['genesys']['contactSchema'];
  /**
   * The analytics data lake's watermark, fixed (ms since the epoch), or undefined when it follows the
   * clock at `lagMs` behind. Set it with `setWatermark` (or `POST /__admin/watermark`).
   */
  private watermarkMs: number | undefined;
  /** Conversations ordered by start time (then id), for analytics intervals; rebuilt when stale. */
  private byStart: { ms: number; id: string }[] = [];
  private indexStale = true;

  /**
   * `watermark`: 'seed' starts the watermark at the seed's `dataAvailabilityDate` (fixed until moved;
   * none held back when the seed has none); 'none' holds nothing back (tests that do not care); a
   * number makes it follow the clock that many ms behind.
   */
  constructor(
    private readonly seed: SeedData,
    private readonly watermark: 'seed' | 'none' | number = 0,
    /** Where changes are published: EventBridge destinations and notification channels. */
    readonly events: GenesysEvents = new GenesysEvents({ orgId: seed.genesys.organization.id }),
  ) {
    this.contactSchema = structuredClone(seed.genesys.contactSchema);
    this.reset();
  }

  /**
   * Back to the seed: every change, token and job is forgotten; event destinations, notification
   * channels and generator runs too.
   */
  reset(): void {
    this.events.reset();
    this.conversations.clear();
    this.externalContacts.clear();
    this.tokens.clear();
    this.jobs.clear();
    for (const c of this.seed.genesys.conversations) this.conversations.set(c.id, structuredClone(c));
    for (const c of this.seed.genesys.externalContacts) this.externalContacts.set(c.id, structuredClone(c));
    this.contactSchema = structuredClone(this.seed.genesys.contactSchema);
    const seeded = this.seed.genesys.dataAvailabilityDate;
    this.watermarkMs = this.watermark === 'seed' && seeded ? Date.parse(seeded) : undefined;
    this.indexStale = true;
  }

  /**
   * The analytics watermark now (ms): jobs hold only conversations that started before it. Not fixed,
   * it is the clock less the lag; with 'none' (or 'seed' and a seed that has none) nothing is held back (the
   * clock, or just after the newest conversation when some start later).
   */
  dataAvailableMs(now = Date.now()): number {
    if (this.watermarkMs !== undefined) return this.watermarkMs;
    if (typeof this.watermark === 'number') return now - this.watermark;
    this.ensureIndex();
    const newest = this.byStart[this.byStart.length - 1];
    return newest ? Math.max(now, newest.ms + 1) : now;
  }

  /** Fixes the watermark at a date (ISO or ms), or lets it follow the clock again (undefined). */
  setWatermark(date: string | number | Date | undefined): void {
    if (date === undefined) {
      this.watermarkMs = undefined;
      return;
    }
    const ms = date instanceof Date ? date.getTime() : typeof date === 'number' ? date : Date.parse(date);
    if (Number.isNaN(ms)) throw new Error(`the watermark must be a date, got ${String(date)}`);
    this.watermarkMs = ms;
  }

  /**
   * Adds (or replaces, by id) conversations, as new calls would. The state keeps the objects given;
   * pass copies if you keep using them.
   */
  addConversations(conversations: readonly SeedConversation[]): void {
    for (const c of conversations) {
      const ms = Date.parse(c.startTime);
      if (Number.isNaN(ms)) throw new Error(`conversation ${c.id}: startTime is not an ISO date`);
      const last = this.byStart[this.byStart.length - 1];
      // Appending keeps the index sorted; anything else makes it rebuild once, on next use.
      if (this.conversations.has(c.id) || (last && ms < last.ms)) this.indexStale = true;
      this.conversations.set(c.id, c);
      if (!this.indexStale) this.byStart.push({ ms, id: c.id });
    }
  }

  /**
   * What `PATCH …/participants/{pid}/attributes` does: merges string values into the participant's
   * attributes (keys not given keep theirs; "__proto__" is data), then publishes the attributes
   * event and the conversation's queue snapshots. Throws a GenesysStateError when the conversation
   * or participant is unknown or a value is not a string (nothing changes then).
   */
  patchParticipantAttributes(
    conversationId: string,
    participantId: string,
    attributes: Record<string, string>,
  ): void {
    const { c, p } = this.participant(conversationId, participantId);
    const entries = Object.entries(attributes);
    const bad = entries.find(([, v]) => typeof v !== 'string');
    if (bad)
      throw new GenesysStateError(
        400,
        'invalid.value',
        `Attribute "${bad[0]}" must be a string, got ${bad[1] === null ? 'null' : typeof bad[1]}`,
        participantId,
      );
    for (const [k, v] of entries) setOwn(p.attributes, k, v);
    const now = Date.now();
    this.events.publish([attributesEvent(c, p, now), ...this.queueSnapshots(c, now)]);
  }

  /**
   * Ends a conversation now (`POST /__admin/conversations/{id}/end`): its end time and its
   * customer's become now (other participants still connected end too), then
   * `…customer.end` (when it has a customer) and the queue snapshots are published.
   * `disconnectType` defaults to PEER (assumed: the agent's side ended it).
   */
  endConversation(
    conversationId: string,
    options: { disconnectType?: string } = {},
  ): { conversationId: string; endTime: string; customerEnd: boolean } {
    const c = this.conversations.get(conversationId);
    if (!c)
      throw new GenesysStateError(
        404,
        'not.found',
        `Conversation ${conversationId} not found`,
        conversationId,
      );
    const now = Date.now();
    const endTime = new Date(now).toISOString();
    c.endTime = endTime;
    const customer = c.participants.find((p) => p.purpose === 'customer');
    for (const p of c.participants) if (p === customer || Date.parse(p.endTime) > now) p.endTime = endTime;
    const events = customer ? [customerEndEvent(c, customer, options.disconnectType ?? 'PEER', now)] : [];
    this.events.publish([...events, ...this.queueSnapshots(c, now)]);
    return { conversationId, endTime, customerEnd: !!customer };
  }

  /**
   * Starts a run of generated attribute events (see `AttributeEventPlan`): bursts of patches on
   * customer participants, paced. `await run.done` for the end; `reset()` stops it.
   */
  generateAttributeEvents(plan: AttributeEventPlan): AttributeEventRun {
    const run = startAttributeEvents(this, plan);
    this.events.runs.set(run.id, run);
    return run;
  }

  /** The conversation's queue snapshots, when a destination or a channel takes them (they cost a copy). */
  private queueSnapshots(c: SeedConversation, now: number): GenesysEvent[] {
    return this.events.wants(QUEUE_CONVERSATIONS_TOPIC) ? queueConversationEvents(c, now) : [];
  }

  /** The queues the conversations belong to (the seed has one, its `acd` participants'). */
  queueIds(): string[] {
    return [...new Set([...this.conversations.values()].flatMap(queueIdsOf))];
  }

  /**
   * The attributes event of a conversation's customer participant as it stands, wrapped as EventBridge
   * delivers it (with `id`, a delivery repeated): for tests that post events themselves.
   */
  customerAttributesEvent(conversationId: string, id?: string): EventBridgeEvent {
    const c = this.conversations.get(conversationId);
    const p = c?.participants.find((x) => x.purpose === 'customer');
    if (!c || !p)
      throw new GenesysStateError(
        404,
        'not.found',
        `Conversation ${conversationId} has no customer`,
        conversationId,
      );
    return this.events.asEventBridge(attributesEvent(c, p), id);
  }

  private participant(
    conversationId: string,
    participantId: string,
  ): { c: SeedConversation; p: SeedParticipant } {
    const c = this.conversations.get(conversationId);
    if (!c)
      throw new GenesysStateError(
        404,
        'not.found',
        `Conversation ${conversationId} not found`,
        conversationId,
      );
    const p = c.participants.find((x) => x.id === participantId);
    if (!p)
      throw new GenesysStateError(
        404,
        'not.found',
        `Participant ${participantId} not found in conversation ${conversationId}`,
        participantId,
      );
    return { c, p };
  }

  /** Ids of the conversations whose start lies in [startMs, endMs), oldest first. */
  conversationIdsStartingIn(startMs: number, endMs: number): string[] {
    this.ensureIndex();
    const from = lowerBound(this.byStart, startMs);
    const to = lowerBound(this.byStart, endMs);
    const ids = new Array<string>(Math.max(0, to - from));
    for (let i = from; i < to; i++) ids[i - from] = this.byStart[i]!.id;
    return ids;
  }

  private ensureIndex(): void {
    if (!this.indexStale && this.byStart.length === this.conversations.size) return;
    this.byStart = [];
    for (const c of this.conversations.values()) this.byStart.push({ ms: Date.parse(c.startTime), id: c.id });
    this.byStart.sort((a, b) => a.ms - b.ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.indexStale = false;
  }

  /** What `GET /__admin/state` shows: the data, but never the tokens themselves. */
  toJSON() {
    return {
      conversations: [...this.conversations.values()],
      externalContacts: [...this.externalContacts.values()],
      contactSchema: this.contactSchema,
      tokens: this.tokens.size,
      dataAvailabilityDate: new Date(this.dataAvailableMs()).toISOString(),
      jobs: [...this.jobs.values()].map((j) => ({
        id: j.id,
        submissionDate: new Date(j.submittedAt).toISOString(),
        conversations: j.conversationIds.length,
        dataAvailabilityDate: new Date(j.dataAvailableMs).toISOString(),
      })),
    };
  }
}

/** First index whose start is >= ms. */
function lowerBound(sorted: { ms: number }[], ms: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.ms < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
