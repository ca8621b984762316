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
  /** Conversations ordered by start time (then id), for analytics intervals; rebuilt when stale. */
  private byStart: { ms: number; id: string }[] = [];
  private indexStale = true;

  constructor(private readonly seed: SeedData) {
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
    this.indexStale = true;
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
      jobs: [...this.jobs.values()].map((j) => ({
        id: j.id,
        submissionDate: new Date(j.submittedAt).toISOString(),
        conversations: j.conversationIds.length,
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
