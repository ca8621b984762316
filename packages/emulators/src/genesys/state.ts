import type { SeedConversation, SeedData, SeedExternalContact } from '../seed/seed.js';

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

/**
 * The live Genesys Cloud data: what requests read and change. Tests may read and change it directly;
 * add conversations with `addConversations` so that the start-time index follows.
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
  ) {
    this.contactSchema = structuredClone(seed.genesys.contactSchema);
    this.reset();
  }

  /** Back to the seed: every change, token and job is forgotten. */
  reset(): void {
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
