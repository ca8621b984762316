import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { type EventBridgeEvent, topicPattern } from './envelope.js';
import { type DeliveryOptions, resolveDelivery } from './options.js';

/** What registers an EventBridge API destination (a rule's target and its connection's API key). */
export interface DestinationInput extends Partial<DeliveryOptions> {
  /** Where events are POSTed (http or https). */
  url: string;
  /** The header the API key travels in (default `x-api-key`). */
  headerName?: string;
  apiKey: string;
  /**
   * Which events the rule lets through, by topic pattern (`v2.detail.events.conversation.{id}.attributes`)
   * or concrete topic. Default: the two detail topics (attributes and customer.end); add
   * `v2.routing.queues.{id}.conversations` to receive queue snapshots too.
   */
  topics?: string[];
}

/** Counters of deliveries: one delivery is one event (or one duplicate of it) to one destination. */
export interface DeliveryStats {
  /** Answered 2xx. */
  delivered: number;
  /** Attempts after the first. */
  retried: number;
  /** Given up (see the undeliverable list). */
  failed: number;
  /** Scheduled, in flight or waiting for a retry. */
  pending: number;
  /** POSTs made. */
  attempts: number;
  /** Extra copies scheduled by the `duplicates` option. */
  duplicates: number;
}

/** A destination as the admin routes show it (the API key masked). */
export interface DestinationView {
  id: string;
  url: string;
  headerName: string;
  apiKey: string;
  topics: string[];
  delivery: DeliveryOptions;
  createdAt: string;
  stats: DeliveryStats;
}

/** An event given up on, as EventBridge would send it to a dead-letter queue. */
export interface UndeliverableEvent {
  destinationId: string;
  eventId: string;
  topicName: string;
  attempts: number;
  /** The last answer's status, or the connection error. */
  reason: string;
  publishedAt: string;
  gaveUpAt: string;
  event: EventBridgeEvent;
}

interface Destination {
  id: string;
  url: string;
  headerName: string;
  apiKey: string;
  topics: Set<string>;
  delivery: DeliveryOptions;
  createdAt: number;
  stats: DeliveryStats;
  /** The next free slot under `rateLimitPerSecond` (ms since the epoch). */
  nextSlotMs: number;
  /** Keep-alive connections, at most `maxConnections`. */
  agent: http.Agent;
  /** Attempts in flight, and those waiting for a connection (the attempt timeout starts after). */
  inFlight: number;
  waiting: { x: Delivery; resolve: () => void }[];
}

type Outcome = { ok: true } | { ok: false; retryable: boolean; reason: string; retryAfterMs?: number };

/** One delivery in progress: what cancelling it must stop. */
interface Delivery {
  destination: Destination;
  cancelled: boolean;
  /** No longer pending: delivered, given up or cancelled. */
  settled: boolean;
  timer?: NodeJS.Timeout;
  wake?: () => void;
  /** Ends the attempt in flight. */
  abort?: () => void;
  /** Holds one of the destination's connection slots. */
  holding: boolean;
}

const DEFAULT_TOPICS = [
  'v2.detail.events.conversation.{id}.attributes',
  'v2.detail.events.conversation.{id}.customer.end',
];
/** The undeliverable list keeps the most recent ones only. */
const UNDELIVERABLE_KEPT = 10_000;
/** RFC 7230 token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const emptyStats = (): DeliveryStats => ({
  delivered: 0,
  retried: 0,
  failed: 0,
  pending: 0,
  attempts: 0,
  duplicates: 0,
});

/**
 * Statuses EventBridge retries at an API destination: 401, 407, 409, 429 and 5xx, and timeouts and
 * connection errors; other answers (a 400, a 404, a redirect) fail the event at once.
 */
export const isRetryableStatus = (s: number) => s === 401 || s === 407 || s === 409 || s === 429 || s >= 500;

/** Retry-After in seconds or as an HTTP date, in ms from now; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * EventBridge API destinations: events are POSTed to each registered destination whose topics they
 * match, after EventBridge's own latency, never blocking the request that caused them; failures are
 * retried with exponential backoff and jitter (Retry-After honoured on 429 and 503, assumed) until
 * the maximum time or attempts, then kept in `undeliverable`.
 */
export class EventDestinations {
  private readonly destinations = new Map<string, Destination>();
  private readonly active = new Set<Delivery>();
  private readonly undeliverableList: UndeliverableEvent[] = [];
  /** Totals over every destination, removed ones included, since the last reset. */
  readonly totals: DeliveryStats = emptyStats();
  private idleWaiters: (() => void)[] = [];

  constructor(
    private defaults: DeliveryOptions,
    private readonly random: () => number,
  ) {}

  /** Registers a destination; throws with a message when the input is wrong. */
  add(input: DestinationInput): DestinationView {
    if (typeof input !== 'object' || input === null) throw new Error('the destination must be an object');
    // A misspelt option would otherwise be ignored silently.
    const known = new Set(['url', 'headerName', 'apiKey', 'topics', ...Object.keys(this.defaults)]);
    const unknown = Object.keys(input).filter((k) => !known.has(k));
    if (unknown.length > 0)
      throw new Error(`unknown field(s): ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
    let url: URL;
    try {
      url = new URL(String(input.url));
    } catch {
      throw new Error('url must be an absolute http(s) URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('url must be http or https');
    const headerName = input.headerName ?? 'x-api-key';
    if (typeof headerName !== 'string' || !HEADER_NAME.test(headerName))
      throw new Error('headerName must be a header name');
    if (typeof input.apiKey !== 'string' || input.apiKey === '' || /[\r\n]/.test(input.apiKey))
      throw new Error('apiKey must be a non-empty string');
    const topics = input.topics ?? DEFAULT_TOPICS;
    if (!Array.isArray(topics) || topics.some((t) => typeof t !== 'string'))
      throw new Error('topics must be an array of strings');
    const { url: _u, headerName: _h, apiKey: _k, topics: _t, ...given } = input;
    const delivery = resolveDelivery(this.defaults, given);
    const Agent = url.protocol === 'https:' ? https.Agent : http.Agent;
    const d: Destination = {
      id: randomUUID(),
      url: url.toString(),
      headerName,
      apiKey: input.apiKey,
      topics: new Set(topics),
      delivery,
      createdAt: Date.now(),
      stats: emptyStats(),
      nextSlotMs: 0,
      agent: new Agent({ keepAlive: true, maxSockets: delivery.maxConnections }),
      inFlight: 0,
      waiting: [],
    };
    this.destinations.set(d.id, d);
    return this.view(d);
  }

  list(): DestinationView[] {
    return [...this.destinations.values()].map((d) => this.view(d));
  }

  get(id: string): DestinationView | undefined {
    const d = this.destinations.get(id);
    return d && this.view(d);
  }

  /** Removes a destination; its deliveries in progress stop (neither delivered nor failed). */
  remove(id: string): boolean {
    const d = this.destinations.get(id);
    if (!d) return false;
    this.destinations.delete(id);
    for (const x of this.active) if (x.destination === d) this.cancel(x);
    d.agent.destroy();
    return true;
  }

  /** Every destination removed, the counters and the undeliverable list cleared. */
  clear(): void {
    for (const x of this.active) this.cancel(x);
    for (const d of this.destinations.values()) d.agent.destroy();
    this.destinations.clear();
    this.undeliverableList.length = 0;
    Object.assign(this.totals, emptyStats());
  }

  undeliverable(): UndeliverableEvent[] {
    return [...this.undeliverableList];
  }

  /** Resolves once no delivery is pending (at once when none is). */
  idle(): Promise<void> {
    if (this.totals.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Whether some destination takes events of this topic pattern. */
  wants(pattern: string): boolean {
    for (const d of this.destinations.values()) if (d.topics.has(pattern)) return true;
    return false;
  }

  /** Schedules the event's delivery to every destination it matches; returns at once. */
  publish(envelope: EventBridgeEvent, publishedAt = Date.now()): void {
    if (this.destinations.size === 0) return;
    const pattern = topicPattern(envelope.detail.topicName);
    let body: Buffer | undefined;
    for (const d of this.destinations.values()) {
      if (!d.topics.has(envelope.detail.topicName) && !(pattern && d.topics.has(pattern))) continue;
      body ??= Buffer.from(JSON.stringify(envelope));
      const copies = d.delivery.duplicates ? 2 : 1;
      for (let i = 0; i < copies; i++) {
        if (i > 0) {
          d.stats.duplicates++;
          this.totals.duplicates++;
        }
        void this.run(d, envelope, body, publishedAt);
      }
    }
  }

  private view(d: Destination): DestinationView {
    return {
      id: d.id,
      url: d.url,
      headerName: d.headerName,
      apiKey: d.apiKey.length > 8 ? `***${d.apiKey.slice(-4)}` : '***',
      topics: [...d.topics],
      delivery: d.delivery,
      createdAt: new Date(d.createdAt).toISOString(),
      stats: { ...d.stats },
    };
  }

  private count(d: Destination, k: keyof DeliveryStats, n = 1): void {
    d.stats[k] += n;
    this.totals[k] += n;
  }

  private async run(d: Destination, envelope: EventBridgeEvent, body: Buffer, publishedAt: number) {
    const o = d.delivery;
    const x: Delivery = { destination: d, cancelled: false, settled: false, holding: false };
    this.active.add(x);
    this.count(d, 'pending');
    let attempts = 0;
    let reason = '';
    try {
      const hop = o.latency.minMs + this.random() * (o.latency.maxMs - o.latency.minMs);
      await this.sleep(x, hop + this.random() * o.shuffleMs);
      while (!x.cancelled) {
        await this.sleep(x, this.slot(d));
        if (x.cancelled) return;
        await this.acquire(x);
        if (x.cancelled) return;
        attempts++;
        this.count(d, 'attempts');
        if (attempts > 1) this.count(d, 'retried');
        const outcome = await this.post(x, body);
        this.release(x);
        if (x.cancelled) return;
        if (outcome.ok) {
          this.count(d, 'delivered');
          return;
        }
        reason = outcome.reason;
        if (!outcome.retryable) break;
        // Full doubling with "equal jitter": half the step fixed, half random, so waits grow.
        const step = Math.min(o.retryMaxDelayMs, o.retryBaseMs * 2 ** (attempts - 1));
        const wait = outcome.retryAfterMs ?? step / 2 + (this.random() * step) / 2;
        if (attempts >= o.maxAttempts || Date.now() + wait - publishedAt > o.maxRetryTimeMs) break;
        await this.sleep(x, wait);
      }
      if (x.cancelled) return;
      this.count(d, 'failed');
      this.undeliverableList.push({
        destinationId: d.id,
        eventId: envelope.id,
        topicName: envelope.detail.topicName,
        attempts,
        reason,
        publishedAt: new Date(publishedAt).toISOString(),
        gaveUpAt: new Date().toISOString(),
        event: envelope,
      });
      if (this.undeliverableList.length > UNDELIVERABLE_KEPT) this.undeliverableList.shift();
    } finally {
      this.settle(x);
    }
  }

  /** Once per delivery: it stops counting as pending; `idle()` waiters wake when none is left. */
  private settle(x: Delivery): void {
    if (x.settled) return;
    x.settled = true;
    this.release(x);
    this.active.delete(x);
    this.count(x.destination, 'pending', -1);
    if (this.totals.pending === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** How long until the destination's next attempt may start under its rate limit (0: now). */
  private slot(d: Destination): number {
    const rate = d.delivery.rateLimitPerSecond;
    if (!(rate > 0)) return 0;
    const now = Date.now();
    const at = Math.max(now, d.nextSlotMs);
    d.nextSlotMs = at + 1000 / rate;
    return at - now;
  }

  /** Waits for one of the destination's `maxConnections` slots (at once when one is free). */
  private acquire(x: Delivery): Promise<void> {
    const d = x.destination;
    if (d.inFlight < d.delivery.maxConnections) {
      d.inFlight++;
      x.holding = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      d.waiting.push({ x, resolve });
      x.wake = resolve;
    });
  }

  /** Hands the slot to the next delivery waiting (skipping cancelled ones), or frees it. */
  private release(x: Delivery): void {
    if (!x.holding) return;
    x.holding = false;
    const d = x.destination;
    for (let w = d.waiting.shift(); w; w = d.waiting.shift()) {
      if (w.x.cancelled) continue;
      w.x.holding = true;
      w.resolve();
      return;
    }
    d.inFlight--;
  }

  /** One POST; never rejects. The answer's body is drained so that the connection is reused. */
  private post(x: Delivery, body: Buffer): Promise<Outcome> {
    const d = x.destination;
    return new Promise<Outcome>((resolve) => {
      let finished = false;
      const finish = (o: Outcome) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        x.abort = undefined;
        resolve(o);
      };
      const failed = (why: string): Outcome => ({
        ok: false,
        retryable: true,
        reason: `connection error: ${why}`,
      });
      const request = d.url.startsWith('https:') ? https.request : http.request;
      const req = request(
        d.url,
        {
          method: 'POST',
          agent: d.agent,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'content-length': body.length,
            // What API destinations send (assumed from AWS samples).
            'user-agent': 'Amazon/EventBridge/ApiDestinations',
            [d.headerName]: d.apiKey,
          },
        },
        (res) => {
          res.resume();
          res.on('error', (e) => finish(failed(e.message)));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return finish({ ok: true });
            const header = res.headers['retry-after'];
            const after = status === 429 || status === 503 ? retryAfterMs(header ?? null) : undefined;
            finish({
              ok: false,
              retryable: isRetryableStatus(status),
              reason: `HTTP ${status}`,
              ...(after !== undefined ? { retryAfterMs: after } : {}),
            });
          });
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        finish(failed(`no answer within ${d.delivery.attemptTimeoutMs} ms`));
      }, d.delivery.attemptTimeoutMs);
      req.on('error', (e: NodeJS.ErrnoException) => finish(failed(e.code ?? e.message)));
      x.abort = () => {
        req.destroy();
        finish(failed('cancelled'));
      };
      req.end(body);
    });
  }

  private sleep(x: Delivery, ms: number): Promise<void> {
    if (x.cancelled) return Promise.resolve();
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      x.wake = resolve;
      x.timer = setTimeout(resolve, ms);
    });
  }

  private cancel(x: Delivery): void {
    x.cancelled = true;
    if (x.timer) clearTimeout(x.timer);
    x.abort?.();
    x.wake?.();
    this.settle(x);
  }
}
