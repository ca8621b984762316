/**
 * The life of one Notifications API channel as a state machine without I/O (in the manner of h11):
 * a host tells it what happened (a channel was created, a socket opened, a frame arrived, a timer
 * fired, a step failed) and carries out the actions it answers with. It keeps the channel alive
 * (renews it before its 24 h are up), notices a dead socket (no frame, not even a heartbeat, for
 * twice the heartbeat interval) and the server's `socket_closing`, reconnects, and, as a channel keeps
 * nothing while no socket is open, reports each outage as a `gap` for a reconciling sweep.
 *
 * Times are epoch milliseconds of the host's clock (`Date.now()`), as a channel's `expires` is a
 * date. A host's loop:
 *
 * ```ts
 * const session = new NotificationsSession({ topics });
 * run(session.start(Date.now()));
 * // create-channel → POST, then run(session.channelCreated(channel, Date.now())) (or session.failed)
 * // subscribe      → PUT,  then run(session.subscribed(Date.now()))            (or session.failed)
 * // connect / reconnect → close any socket, open connectUri, then session.opened / session.failed
 * // renew          → PUT the same topics, then session.renewed(…) (or session.renewFailed)
 * // socket: on message run(session.frame(text, Date.now())), on close run(session.closed(Date.now()))
 * // timer: at session.nextDeadline(), run(session.tick(Date.now()))
 * ```
 */
import { ConfigurationError, ValidationError } from '../../../errors/errors.js';
import {
  channelTopics,
  type GenesysNotificationChannel,
  NOTIFICATION_CHANNEL_LIFE_MS,
  NOTIFICATION_PING,
  readNotificationFrame,
} from './notifications.js';
import type { GenesysEvent } from './types.js';

export interface NotificationsPolicy {
  /** How often the server sends a heartbeat (`channel.metadata`): about every 30 s. */
  heartbeatIntervalMs: number;
  /** No frame for this long: the socket is dead; reconnect. Twice the interval by default. */
  heartbeatTimeoutMs: number;
  /** No frame for this long: send a ping (the answer proves the socket). 1.5 intervals by default. */
  pingAfterMs: number;
  /** Renew this long before the channel expires: at 23 h of a 24 h channel by default. */
  renewMarginMs: number;
  /** A channel's life when its answer gives no `expires`, and after a renewal. */
  channelLifeMs: number;
  /** A step (create, subscribe, connect) the host has not reported on after this long has failed. */
  stepTimeoutMs: number;
  /** Back-off after a failed step: doubling from this… */
  retryBaseMs: number;
  /** …up to this. */
  retryMaxMs: number;
}

export const DEFAULT_NOTIFICATIONS_POLICY: NotificationsPolicy = {
  heartbeatIntervalMs: 30_000,
  heartbeatTimeoutMs: 60_000,
  pingAfterMs: 45_000,
  renewMarginMs: 60 * 60 * 1000,
  channelLifeMs: NOTIFICATION_CHANNEL_LIFE_MS,
  stepTimeoutMs: 30_000,
  retryBaseMs: 1_000,
  retryMaxMs: 60_000,
};

/** Why the socket was replaced. */
export type ReconnectReason = 'socket-closing' | 'heartbeat-timeout' | 'socket-closed' | 'channel-expired';

export type SessionAction =
  /** `POST /api/v2/notifications/channels`, then `channelCreated` (or `failed`). */
  | { type: 'create-channel' }
  /** `PUT …/channels/{channelId}/subscriptions`, then `subscribed` (or `failed`). */
  | { type: 'subscribe'; channelId: string; topics: string[] }
  /** Open a socket to `connectUri`, then `opened` (or `failed`). */
  | { type: 'connect'; connectUri: string }
  /** Close the socket (if still open) and open a new one to `connectUri`, then `opened` (or `failed`). */
  | { type: 'reconnect'; connectUri: string; reason: ReconnectReason }
  /** Close the socket, if one is open. */
  | { type: 'close' }
  /** Keep the channel: `PUT` the same topics again, then `renewed` (or `renewFailed`). */
  | { type: 'renew'; channelId: string; topics: string[] }
  /** Send this text on the socket. */
  | { type: 'send'; text: string }
  /** An event arrived (`ignored` ones included, for the counts). */
  | { type: 'event'; event: GenesysEvent }
  /** A frame that could not be read (counted and logged; the socket stays). */
  | { type: 'invalid-frame'; error: ValidationError }
  /**
   * No socket listened from `since` (the last frame before the outage) to `until` (the new socket
   * opened): events of that time are lost; sweep it.
   */
  | { type: 'gap'; since: string; until: string; sinceMs: number; untilMs: number; reason: ReconnectReason };

export type NotificationsPhase =
  | 'idle'
  | 'creating'
  | 'subscribing'
  | 'connecting'
  | 'open'
  | 'waiting'
  | 'stopped';

interface ChannelState {
  id: string;
  connectUri: string;
  expiresMs: number;
}

export class NotificationsSession {
  readonly policy: NotificationsPolicy;
  readonly topics: string[];
  #phase: NotificationsPhase = 'idle';
  #channel: ChannelState | undefined;
  #lastFrameAt = 0;
  #pingSentAt: number | undefined;
  #renewing = false;
  #renewRetryAt: number | undefined;
  #renewAttempts = 0;
  #downSince: number | undefined;
  #downReason: ReconnectReason = 'socket-closed';
  #attempts = 0;
  #retryAt = 0;
  #retryStep: 'create' | 'connect' = 'create';
  #stepStartedAt = 0;

  constructor(options: { topics: readonly string[]; policy?: Partial<NotificationsPolicy> }) {
    this.topics = channelTopics(options.topics);
    const given = options.policy ?? {};
    const interval = given.heartbeatIntervalMs ?? DEFAULT_NOTIFICATIONS_POLICY.heartbeatIntervalMs;
    this.policy = {
      ...DEFAULT_NOTIFICATIONS_POLICY,
      heartbeatTimeoutMs: 2 * interval,
      pingAfterMs: 1.5 * interval,
      ...definedOnly(given),
    };
    for (const [k, v] of Object.entries(this.policy)) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
        throw new ConfigurationError(`notifications ${k} must be a positive number of milliseconds`);
    }
  }

  get phase(): NotificationsPhase {
    return this.#phase;
  }

  /** The channel in use: its id, socket URI and expiry (epoch ms). */
  get channel(): Readonly<ChannelState> | undefined {
    return this.#channel;
  }

  start(nowMs: number): SessionAction[] {
    if (this.#phase !== 'idle') return [];
    this.#step('creating', nowMs);
    return [{ type: 'create-channel' }];
  }

  channelCreated(channel: GenesysNotificationChannel, nowMs: number): SessionAction[] {
    if (this.#phase !== 'creating') return [];
    const expires = channel.expires !== undefined ? Date.parse(channel.expires) : Number.NaN;
    this.#channel = {
      id: channel.id,
      connectUri: channel.connectUri,
      expiresMs: Number.isFinite(expires) ? expires : nowMs + this.policy.channelLifeMs,
    };
    this.#renewing = false;
    this.#renewRetryAt = undefined;
    this.#renewAttempts = 0;
    this.#step('subscribing', nowMs);
    return [{ type: 'subscribe', channelId: channel.id, topics: [...this.topics] }];
  }

  subscribed(nowMs: number): SessionAction[] {
    if (this.#phase !== 'subscribing' || !this.#channel) return [];
    this.#step('connecting', nowMs);
    return [{ type: 'connect', connectUri: this.#channel.connectUri }];
  }

  opened(nowMs: number): SessionAction[] {
    // A socket that opened after its step timed out: not wanted any more.
    if (this.#phase === 'waiting') return [{ type: 'close' }];
    if (this.#phase !== 'connecting') return [];
    this.#phase = 'open';
    this.#lastFrameAt = nowMs;
    this.#pingSentAt = undefined;
    this.#attempts = 0;
    if (this.#downSince === undefined) return [];
    const since = Math.min(this.#downSince, nowMs);
    this.#downSince = undefined;
    return [
      {
        type: 'gap',
        since: new Date(since).toISOString(),
        until: new Date(nowMs).toISOString(),
        sinceMs: since,
        untilMs: nowMs,
        reason: this.#downReason,
      },
    ];
  }

  /** A frame's text. Frames of a socket being replaced still count as events. */
  frame(text: string, nowMs: number): SessionAction[] {
    if (this.#phase === 'stopped') return [];
    if (this.#phase === 'open') {
      this.#lastFrameAt = nowMs;
      this.#pingSentAt = undefined;
    }
    let frame: ReturnType<typeof readNotificationFrame>;
    try {
      frame = readNotificationFrame(text);
    } catch (e) {
      if (e instanceof ValidationError) return [{ type: 'invalid-frame', error: e }];
      throw e;
    }
    switch (frame.kind) {
      case 'heartbeat':
        return [];
      case 'socket-closing':
        return this.#phase === 'open' ? this.#lose(nowMs, 'socket-closing') : [];
      default:
        return [{ type: 'event', event: frame }];
    }
  }

  /**
   * The open socket closed without being asked to (the server, the network). A socket that failed
   * to open is `failed`.
   */
  closed(nowMs: number): SessionAction[] {
    return this.#phase === 'open' ? this.#lose(nowMs, 'socket-closed') : [];
  }

  /** The step last asked for (create, subscribe, connect) failed: try again after a back-off. */
  failed(nowMs: number): SessionAction[] {
    const phase = this.#phase;
    if (phase !== 'creating' && phase !== 'subscribing' && phase !== 'connecting') return [];
    this.#attempts += 1;
    this.#retryAt = nowMs + this.#backoff(this.#attempts);
    // A socket that would not open once may be worth a second try on the same channel; after that
    // the channel itself may be gone (expired, or evicted by a 21st), so make a new one.
    const channel = this.#channel;
    this.#retryStep =
      phase === 'connecting' && this.#attempts === 1 && channel && nowMs < channel.expiresMs
        ? 'connect'
        : 'create';
    this.#phase = 'waiting';
    return [];
  }

  renewed(nowMs: number, expires?: string): SessionAction[] {
    this.#renewing = false;
    this.#renewAttempts = 0;
    this.#renewRetryAt = undefined;
    if (this.#channel) {
      const at = expires !== undefined ? Date.parse(expires) : Number.NaN;
      this.#channel.expiresMs = Number.isFinite(at) ? at : nowMs + this.policy.channelLifeMs;
    }
    return [];
  }

  renewFailed(nowMs: number): SessionAction[] {
    if (!this.#renewing) return [];
    this.#renewing = false;
    this.#renewAttempts += 1;
    this.#renewRetryAt = nowMs + this.#backoff(this.#renewAttempts);
    return [];
  }

  /** The timer: call at `nextDeadline()` (calling earlier or more often is harmless). */
  tick(nowMs: number): SessionAction[] {
    if (this.#phase === 'waiting') {
      if (nowMs < this.#retryAt) return [];
      if (this.#retryStep === 'connect' && this.#channel) {
        this.#step('connecting', nowMs);
        return [{ type: 'connect', connectUri: this.#channel.connectUri }];
      }
      this.#channel = undefined;
      this.#step('creating', nowMs);
      return [{ type: 'create-channel' }];
    }
    if (this.#phase === 'creating' || this.#phase === 'subscribing' || this.#phase === 'connecting') {
      if (nowMs - this.#stepStartedAt < this.policy.stepTimeoutMs) return [];
      const connecting = this.#phase === 'connecting';
      this.failed(nowMs);
      return connecting ? [{ type: 'close' }] : [];
    }
    if (this.#phase !== 'open' || !this.#channel) return [];
    const channel = this.#channel;
    if (nowMs >= channel.expiresMs) return this.#lose(nowMs, 'channel-expired');
    if (nowMs - this.#lastFrameAt >= this.policy.heartbeatTimeoutMs)
      return this.#lose(nowMs, 'heartbeat-timeout');
    const actions: SessionAction[] = [];
    const renewAt = this.#renewAt();
    if (renewAt !== undefined && nowMs >= renewAt) {
      this.#renewing = true;
      this.#renewRetryAt = undefined;
      actions.push({ type: 'renew', channelId: channel.id, topics: [...this.topics] });
    }
    if (this.#pingSentAt === undefined && nowMs - this.#lastFrameAt >= this.policy.pingAfterMs) {
      this.#pingSentAt = nowMs;
      actions.push({ type: 'send', text: NOTIFICATION_PING });
    }
    return actions;
  }

  /** When `tick` next has something to do, or undefined when only an input can move the session. */
  nextDeadline(): number | undefined {
    if (this.#phase === 'waiting') return this.#retryAt;
    if (this.#phase === 'creating' || this.#phase === 'subscribing' || this.#phase === 'connecting')
      return this.#stepStartedAt + this.policy.stepTimeoutMs;
    if (this.#phase !== 'open' || !this.#channel) return undefined;
    const times = [this.#channel.expiresMs, this.#lastFrameAt + this.policy.heartbeatTimeoutMs];
    if (this.#pingSentAt === undefined) times.push(this.#lastFrameAt + this.policy.pingAfterMs);
    const renewAt = this.#renewAt();
    if (renewAt !== undefined) times.push(renewAt);
    return Math.min(...times);
  }

  stop(_nowMs: number): SessionAction[] {
    const wasOpen = this.#phase === 'open' || this.#phase === 'connecting';
    this.#phase = 'stopped';
    return wasOpen ? [{ type: 'close' }] : [];
  }

  #step(phase: 'creating' | 'subscribing' | 'connecting', nowMs: number): void {
    this.#phase = phase;
    this.#stepStartedAt = nowMs;
  }

  #renewAt(): number | undefined {
    if (this.#renewing || !this.#channel) return undefined;
    const at = this.#channel.expiresMs - this.policy.renewMarginMs;
    return this.#renewRetryAt !== undefined ? Math.max(at, this.#renewRetryAt) : at;
  }

  /** The open socket is lost: reconnect on the same channel, or make a new one if it has expired. */
  #lose(nowMs: number, reason: ReconnectReason): SessionAction[] {
    if (this.#downSince === undefined) {
      this.#downSince = Math.min(this.#lastFrameAt, nowMs);
      this.#downReason = reason;
    }
    this.#pingSentAt = undefined;
    this.#renewing = false;
    const channel = this.#channel;
    if (!channel || nowMs >= channel.expiresMs) {
      this.#channel = undefined;
      this.#step('creating', nowMs);
      return [{ type: 'close' }, { type: 'create-channel' }];
    }
    this.#step('connecting', nowMs);
    return [{ type: 'reconnect', connectUri: channel.connectUri, reason }];
  }

  #backoff(attempt: number): number {
    return Math.min(this.policy.retryMaxMs, this.policy.retryBaseMs * 2 ** Math.min(attempt - 1, 30));
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
