import { randomUUID } from 'node:crypto';
import { SeededRandom } from '../../common/random.js';
import { CHANNELS, LOYALTY_TIERS, type SeedConversation } from '../../seed/seed.js';
import type { GenesysState } from '../state.js';

/** What `state.generateAttributeEvents` (and `POST /__admin/events/generate`) takes. */
export interface AttributeEventPlan {
  /**
   * How many conversations (taken one per customer first: each customer's latest, then its next
   * latest, …; conversations without a customer never), or which ones by id.
   */
  conversations: number | readonly string[];
  /** Events a second over all conversations; `Infinity` emits as fast as it can. */
  ratePerSecond: number;
  /** Events in one burst, drawn in [burstMin, burstMax] (default 3–8, as an IVR sets them one by one). */
  burstMin?: number;
  burstMax?: number;
  /** Bursts per conversation (default 1); a conversation's next burst comes after every other's. */
  burstsPerConversation?: number;
  /** Seed of the burst sizes, keys and values (default 1): the same plan gives the same events. */
  seed?: number;
}

/** One conversation of a run: what was (or will be) set on its customer participant. */
export interface GeneratedConversation {
  conversationId: string;
  participantId: string;
  customerIndex: number;
  /** Events planned for it. */
  events: number;
  /** The values the run sets, last value per key: the customer's attributes after the run. */
  attributes: Record<string, string>;
}

export interface AttributeEventProgress {
  id: string;
  planned: number;
  emitted: number;
  /** Patches that failed (the conversation was gone): no event. */
  failed: number;
  conversations: number;
  ratePerSecond: number;
  startedAt: string;
  finishedAt?: string;
  stopped: boolean;
  elapsedMs: number;
  eventsPerSecond: number;
}

export interface AttributeEventRun {
  readonly id: string;
  readonly planned: number;
  readonly conversations: readonly GeneratedConversation[];
  /** Settles when every event is emitted, or the run is stopped. */
  readonly done: Promise<AttributeEventProgress>;
  progress(): AttributeEventProgress;
  stop(): void;
}

/**
 * The attributes an IVR sets, each with the values it draws from: keys a sync maps (the tier, the
 * channel, numbers) and IVR-only ones. Eight keys, so that a burst of up to 8 sets each once.
 */
const ATTRIBUTE_POOL: Record<string, (r: SeededRandom) => string> = {
  loyalty_tier: (r) => r.pick(LOYALTY_TIERS),
  preferred_channel: (r) => r.pick(CHANNELS),
  visits: (r) => String(r.int(1, 500)),
  annual_spend: (r) => `${r.int(100, 99999)}.${String(r.int(0, 99)).padStart(2, '0')}`,
  opted_in: (r) => r.pick(['true', 'false']),
  ivr_menu: (r) => r.pick(['billing', 'sales', 'support', 'cancel']),
  ivr_language: (r) => r.pick(['en', 'de', 'fr', 'ja']),
  last_intent: (r) => r.pick(['pay_bill', 'upgrade', 'move_house', 'complaint', 'balance']),
};
const POOL_KEYS = Object.keys(ATTRIBUTE_POOL);

interface PlannedEvent {
  conversationId: string;
  participantId: string;
  key: string;
  value: string;
}

const customerOf = (c: SeedConversation) => c.participants.find((p) => p.purpose === 'customer');

/** The conversations a run takes, in order; throws when there are not enough. */
function pickConversations(state: GenesysState, wanted: number | readonly string[]): SeedConversation[] {
  if (typeof wanted !== 'number') {
    return wanted.map((id) => {
      const c = state.conversations.get(id);
      if (!c) throw new Error(`conversation ${id} not found`);
      if (!customerOf(c)) throw new Error(`conversation ${id} has no customer participant`);
      return c;
    });
  }
  if (!Number.isInteger(wanted) || wanted < 1) throw new Error('conversations must be an integer >= 1');
  // Group by customer (a conversation of no seed customer is a group of its own), latest first.
  const groups = new Map<string, SeedConversation[]>();
  for (const c of state.conversations.values()) {
    if (!customerOf(c)) continue;
    const key = c.customerIndex >= 0 ? `c${c.customerIndex}` : `x${c.id}`;
    const g = groups.get(key) ?? [];
    g.push(c);
    groups.set(key, g);
  }
  const ordered = [...groups.values()].sort(
    (a, b) => rank(a[0]!) - rank(b[0]!) || (a[0]!.id < b[0]!.id ? -1 : 1),
  );
  for (const g of ordered) g.sort((a, b) => b.startTime.localeCompare(a.startTime));
  const out: SeedConversation[] = [];
  for (let round = 0; out.length < wanted; round++) {
    let any = false;
    for (const g of ordered) {
      const c = g[round];
      if (!c) continue;
      any = true;
      out.push(c);
      if (out.length === wanted) break;
    }
    if (!any)
      throw new Error(
        `${wanted} conversations asked, the emulator has ${out.length} with a customer (start it with more customers or conversationsPerCustomer)`,
      );
  }
  return out;
}

const rank = (c: SeedConversation) => (c.customerIndex >= 0 ? c.customerIndex : Number.MAX_SAFE_INTEGER);

/**
 * Emits attribute events as IVRs would: per conversation, bursts of 3–8 patches of one attribute
 * each, on the customer participant, through the state (so the conversation reads back the values
 * and every event goes to the destinations and channels), paced at `ratePerSecond` overall.
 */
export function startAttributeEvents(state: GenesysState, plan: AttributeEventPlan): AttributeEventRun {
  const rate = plan.ratePerSecond;
  if (typeof rate !== 'number' || !(rate > 0)) throw new Error('ratePerSecond must be a number > 0');
  const burstMin = plan.burstMin ?? 3;
  const burstMax = plan.burstMax ?? 8;
  if (!Number.isInteger(burstMin) || !Number.isInteger(burstMax) || burstMin < 1 || burstMax < burstMin)
    throw new Error('burstMin and burstMax must be integers with 1 <= burstMin <= burstMax');
  const bursts = plan.burstsPerConversation ?? 1;
  if (!Number.isInteger(bursts) || bursts < 1)
    throw new Error('burstsPerConversation must be an integer >= 1');

  const r = new SeededRandom(plan.seed ?? 1);
  const chosen = pickConversations(state, plan.conversations);
  const conversations: GeneratedConversation[] = chosen.map((c) => {
    const p = customerOf(c)!;
    return {
      conversationId: c.id,
      participantId: p.id,
      customerIndex: c.customerIndex,
      events: 0,
      attributes: {},
    };
  });
  const events: PlannedEvent[] = [];
  for (let b = 0; b < bursts; b++) {
    for (const [i, g] of conversations.entries()) {
      const current = customerOf(chosen[i]!)!.attributes;
      const size = r.int(burstMin, burstMax);
      const keys = shuffled(POOL_KEYS, r);
      for (let k = 0; k < size; k++) {
        const key = keys[k % keys.length]!;
        const before = Object.hasOwn(g.attributes, key) ? g.attributes[key] : current[key];
        // A new value where the pool allows, so that each event is a change a sync would write.
        let value = ATTRIBUTE_POOL[key]!(r);
        for (let tries = 0; value === before && tries < 5; tries++) value = ATTRIBUTE_POOL[key]!(r);
        g.attributes[key] = value;
        g.events++;
        events.push({ conversationId: g.conversationId, participantId: g.participantId, key, value });
      }
    }
  }

  const id = randomUUID();
  const startedMs = Date.now();
  let emitted = 0;
  let failed = 0;
  let finishedMs: number | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let resolveDone!: (p: AttributeEventProgress) => void;
  const done = new Promise<AttributeEventProgress>((resolve) => {
    resolveDone = resolve;
  });

  const progress = (): AttributeEventProgress => {
    const elapsedMs = (finishedMs ?? Date.now()) - startedMs;
    return {
      id,
      planned: events.length,
      emitted,
      failed,
      conversations: conversations.length,
      ratePerSecond: rate,
      startedAt: new Date(startedMs).toISOString(),
      ...(finishedMs !== undefined ? { finishedAt: new Date(finishedMs).toISOString() } : {}),
      stopped,
      elapsedMs,
      eventsPerSecond: elapsedMs > 0 ? Math.round((emitted / elapsedMs) * 1000) : emitted,
    };
  };
  const finish = () => {
    if (finishedMs !== undefined) return;
    finishedMs = Date.now();
    if (timer) clearTimeout(timer);
    resolveDone(progress());
  };
  let next = 0;
  // Emits what is due by the clock (catching up after a late timer), at most a chunk per tick so
  // that the server keeps answering requests.
  const tick = () => {
    timer = undefined;
    if (stopped) return;
    const byClock =
      rate === Infinity ? events.length : Math.floor(((Date.now() - startedMs) * rate) / 1000) + 1;
    const due = Math.min(events.length, byClock, next + 2000);
    while (next < due) {
      const e = events[next++]!;
      try {
        state.patchParticipantAttributes(e.conversationId, e.participantId, { [e.key]: e.value });
        emitted++;
      } catch {
        failed++;
      }
    }
    if (next >= events.length) return finish();
    const wait = Math.max(0, startedMs + (next * 1000) / rate - Date.now());
    timer = setTimeout(tick, wait);
  };
  timer = setTimeout(tick, 0);

  return {
    id,
    planned: events.length,
    conversations,
    done,
    progress,
    stop: () => {
      if (finishedMs !== undefined) return;
      stopped = true;
      finish();
    },
  };
}

function shuffled<T>(items: readonly T[], r: SeededRandom): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
