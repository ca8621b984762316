import { SeededRandom } from '../../common/random.js';
import { EventDestinations } from './destinations.js';
import {
  type EventBridgeEvent,
  type EventSource,
  type GenesysEvent,
  toEventBridge,
  topicPattern,
} from './envelope.js';
import type { AttributeEventRun } from './generator.js';
import { NotificationChannels } from './notifications.js';
import { type GenesysEventOptions, type GenesysEventSettings, resolveEventOptions } from './options.js';

export interface GenesysEventsInit {
  /** The organization the EventBridge source names. */
  orgId: string;
  options?: GenesysEventSettings;
  /** The random source of delivery latency and jitter (default: seeded with 42). */
  random?: () => number;
  /** The emulator's base URL once it listens, for the channels' `connectUri`. */
  baseUrl?: () => string | undefined;
}

/** The most recent events kept for `GET /__admin/events`. */
const RECENT_KEPT = 200;

/**
 * Where the Genesys emulator's events go: every EventBridge API destination registered and every
 * notification channel subscribed. `state.events` on the emulator; changes made through the API or
 * the state's methods publish here.
 */
export class GenesysEvents {
  readonly options: GenesysEventOptions;
  readonly destinations: EventDestinations;
  readonly notifications: NotificationChannels;
  /** Events published since the last reset, in all and by topic pattern. */
  readonly counters: { published: number; byTopic: Record<string, number> } = { published: 0, byTopic: {} };
  /** Generator runs by id (`state.generateAttributeEvents`, `POST /__admin/events/generate`). */
  readonly runs = new Map<string, AttributeEventRun>();
  private readonly source: EventSource;
  private readonly recentEvents: GenesysEvent[] = [];

  constructor(init: GenesysEventsInit) {
    this.options = resolveEventOptions(init.options);
    const fallback = new SeededRandom(42);
    const random = init.random ?? (() => fallback.next());
    this.destinations = new EventDestinations(this.options.delivery, random);
    this.notifications = new NotificationChannels(this.options, init.baseUrl ?? (() => undefined));
    this.source = {
      orgId: init.orgId,
      suffix: this.options.eventSourceSuffix,
      account: this.options.awsAccountId,
      region: this.options.awsRegion,
    };
  }

  /** An event as EventBridge would deliver it from this org (tests post it themselves; `id` for repeats). */
  asEventBridge(e: GenesysEvent, id?: string): EventBridgeEvent {
    const wrapped = toEventBridge(e, this.source);
    return id ? { ...wrapped, id } : wrapped;
  }

  /**
   * Whether anyone takes events of this topic pattern: the state builds the queue snapshots (a copy
   * of the whole conversation) only then.
   */
  wants(pattern: string): boolean {
    return this.destinations.wants(pattern) || this.notifications.wants(pattern);
  }

  /** Hands the events to the destinations (deliveries run later) and to the open sockets. */
  publish(events: readonly GenesysEvent[]): void {
    const now = Date.now();
    for (const e of events) {
      this.counters.published++;
      const pattern = topicPattern(e.topicName) ?? e.topicName;
      this.counters.byTopic[pattern] = (this.counters.byTopic[pattern] ?? 0) + 1;
      this.recentEvents.push(e);
      if (this.recentEvents.length > RECENT_KEPT) this.recentEvents.shift();
      this.destinations.publish(toEventBridge(e, this.source), now);
      this.notifications.publish(e);
    }
  }

  /** The most recent events, oldest first. */
  recent(): GenesysEvent[] {
    return [...this.recentEvents];
  }

  /** What `GET /__admin/events/stats` shows. */
  stats() {
    return {
      published: this.counters.published,
      byTopic: { ...this.counters.byTopic },
      delivery: { ...this.destinations.totals },
      destinations: this.destinations.list().length,
      notifications: {
        ...this.notifications.counters,
        channels: this.notifications.views().length,
        connected: this.notifications.views().filter((c) => c.connected).length,
      },
      generators: [...this.runs.values()].map((r) => r.progress()),
    };
  }

  /** Back to nothing: destinations, channels, generator runs, counters and recent events. */
  reset(): void {
    for (const r of this.runs.values()) r.stop();
    this.runs.clear();
    this.destinations.clear();
    this.notifications.reset();
    this.counters.published = 0;
    this.counters.byTopic = {};
    this.recentEvents.length = 0;
  }

  /** The emulator stops: runs stop, deliveries are cancelled, sockets end. */
  close(): void {
    for (const r of this.runs.values()) r.stop();
    this.destinations.clear();
    this.notifications.close();
  }
}
