import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Fault } from '../../common/faults.js';
import { type GenesysEvent, toNotificationFrame, topicPattern } from './envelope.js';
import type { GenesysEventOptions } from './options.js';

/** A channel as `POST /api/v2/notifications/channels` answers it. */
export interface ChannelAnswer {
  id: string;
  connectUri: string;
  expires: string;
}

/** A channel as the admin routes show it. */
export interface ChannelView extends ChannelAnswer {
  clientId: string;
  topics: string[];
  connected: boolean;
  createdAt: string;
  lastUsedAt: string;
}

export interface NotificationCounters {
  channelsCreated: number;
  /** Channels removed to make room for a client's 21st. */
  evicted: number;
  expired: number;
  /** Event frames sent. */
  frames: number;
  heartbeats: number;
  pongs: number;
  /** Event frames for a subscribed topic while its channel had no open socket: lost, as on Genesys. */
  dropped: number;
  socketClosings: number;
}

interface Channel {
  id: string;
  clientId: string;
  /** The token that created it (`GET …/channels` lists those of the caller's token by default). */
  token: string;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
  topics: Set<string>;
  socket?: WebSocket;
  heartbeat?: NodeJS.Timeout;
  expiry?: NodeJS.Timeout;
  closing?: NodeJS.Timeout;
}

/** What a subscription change answers: the topics now, or why it was refused (nothing changed). */
export type SubscriptionResult =
  | { ok: true; topics: string[] }
  | { ok: false; status: 400 | 404; message: string };

const emptyCounters = (): NotificationCounters => ({
  channelsCreated: 0,
  evicted: 0,
  expired: 0,
  frames: 0,
  heartbeats: 0,
  pongs: 0,
  dropped: 0,
  socketClosings: 0,
});

/**
 * Close codes (assumed: Genesys documents the `socket_closing` warning, not the codes it closes
 * with): a normal close for expiry, eviction and a newer socket on the channel; "going away" after
 * `socket_closing`.
 */
export const CLOSE_NORMAL = 1000;
export const CLOSE_GOING_AWAY = 1001;

/**
 * The Notifications API: channels, their subscriptions, and one WebSocket per channel at its
 * `connectUri`. Frames go only to an open socket: nothing is kept while a channel is disconnected.
 */
export class NotificationChannels {
  private readonly channels = new Map<string, Channel>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  readonly counters: NotificationCounters = emptyCounters();
  /** The topic patterns some channel subscribes to, rebuilt after a change. */
  private patterns: Set<string> | undefined;

  constructor(
    private readonly options: GenesysEventOptions,
    /** The emulator's base URL once it listens (`http://host:port`), for `connectUri`. */
    private readonly baseUrl: () => string | undefined,
  ) {}

  /**
   * A new channel for an OAuth client. The client's 21st evicts one: a channel without a socket
   * first, else the least recently used (as the SDK's documentation says).
   */
  create(clientId: string, token: string, host?: string): ChannelAnswer {
    const own = [...this.channels.values()].filter((c) => c.clientId === clientId);
    while (own.length >= this.options.channelsPerClient) {
      own.sort((a, b) => Number(!!a.socket) - Number(!!b.socket) || a.lastUsedAt - b.lastUsedAt);
      const victim = own.shift()!;
      this.remove(victim, 'channel removed: more than the channels allowed per client');
      this.counters.evicted++;
    }
    const now = Date.now();
    // Genesys' ids look like "streaming-0-…" (assumed form beyond that).
    const id = `streaming-0-${randomBytes(16).toString('hex')}`;
    const c: Channel = {
      id,
      clientId,
      token,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: now,
      topics: new Set(),
    };
    this.channels.set(id, c);
    this.renew(c);
    this.counters.channelsCreated++;
    return this.answer(c, host);
  }

  has(id: string): boolean {
    return this.channels.has(id);
  }

  /** The OAuth client a channel belongs to: other clients do not see it. */
  clientOf(id: string): string | undefined {
    return this.channels.get(id)?.clientId;
  }

  /** The channels of a token (default) or of its whole OAuth client. */
  list(filter: { token?: string; clientId?: string } = {}, host?: string): ChannelAnswer[] {
    return [...this.channels.values()]
      .filter(
        (c) =>
          (!filter.token || c.token === filter.token) && (!filter.clientId || c.clientId === filter.clientId),
      )
      .map((c) => this.answer(c, host));
  }

  /** Every channel, for the admin routes. */
  views(): ChannelView[] {
    return [...this.channels.values()].map((c) => ({
      ...this.answer(c),
      clientId: c.clientId,
      topics: [...c.topics],
      connected: !!c.socket,
      createdAt: new Date(c.createdAt).toISOString(),
      lastUsedAt: new Date(c.lastUsedAt).toISOString(),
    }));
  }

  topics(id: string): string[] | undefined {
    const c = this.channels.get(id);
    return c && [...c.topics];
  }

  /**
   * PUT replaces the topics, POST adds to them. Refused whole (nothing changes) when a topic is not
   * one the emulator publishes with a concrete id, or when the channel would exceed its topic limit.
   * A change renews the channel's life (Genesys: "to keep a channel past 24 hours, resubscribe").
   */
  subscribe(id: string, body: unknown, mode: 'replace' | 'add'): SubscriptionResult {
    const c = this.channels.get(id);
    if (!c) return { ok: false, status: 404, message: `Channel ${id} not found` };
    if (!Array.isArray(body))
      return { ok: false, status: 400, message: 'The body must be an array of {"id": topic}' };
    const wanted: string[] = [];
    for (const [i, item] of body.entries()) {
      const topic = (item as { id?: unknown } | null)?.id;
      if (typeof topic !== 'string')
        return { ok: false, status: 400, message: `[${i}].id must be a topic name` };
      if (!topicPattern(topic))
        return {
          ok: false,
          status: 400,
          // Assumed wording; the emulator knows only the topics it publishes.
          message: `${topic} is not a topic this emulator publishes with a concrete id (v2.detail.events.conversation.{id}.attributes, ….customer.end, v2.routing.queues.{id}.conversations)`,
        };
      wanted.push(topic);
    }
    const next = new Set(mode === 'add' ? [...c.topics, ...wanted] : wanted);
    const limit = this.options.topicsPerChannel;
    if (next.size > limit)
      return {
        ok: false,
        status: 400,
        message: `A channel may subscribe to at most ${limit} topics; this would make ${next.size}`,
      };
    c.topics = next;
    this.patterns = undefined;
    this.touch(c);
    this.renew(c);
    return { ok: true, topics: [...next] };
  }

  unsubscribeAll(id: string): boolean {
    const c = this.channels.get(id);
    if (!c) return false;
    c.topics.clear();
    this.patterns = undefined;
    this.touch(c);
    return true;
  }

  /** Whether some channel subscribes to a topic of this pattern (`v2.routing.queues.{id}.conversations`). */
  wants(pattern: string): boolean {
    if (!this.patterns) {
      this.patterns = new Set();
      for (const c of this.channels.values())
        for (const t of c.topics) this.patterns.add(topicPattern(t) ?? t);
    }
    return this.patterns.has(pattern);
  }

  /** Sends the event to every open socket subscribed to its topic; returns how many got it. */
  publish(e: GenesysEvent): number {
    let sent = 0;
    let frame: string | undefined;
    for (const c of this.channels.values()) {
      if (!c.topics.has(e.topicName)) continue;
      if (!c.socket || c.socket.readyState !== c.socket.OPEN) {
        this.counters.dropped++;
        continue;
      }
      frame ??= JSON.stringify(toNotificationFrame(e));
      c.socket.send(frame);
      this.counters.frames++;
      sent++;
    }
    return sent;
  }

  /**
   * Maintenance: sends `v2.system.socket_closing` on the channel's socket, then closes it after
   * `graceMs` (default the option). The channel and its topics stay (assumed): the client reconnects.
   */
  closeSocket(id: string, graceMs = this.options.socketClosingGraceMs): boolean {
    const c = this.channels.get(id);
    const ws = c?.socket;
    if (!c || !ws) return false;
    // Assumed body: Genesys documents the topic, not its eventBody.
    ws.send(
      JSON.stringify({
        topicName: 'v2.system.socket_closing',
        eventBody: { message: 'The socket is closing for maintenance; reconnect to the channel.' },
      }),
    );
    this.counters.socketClosings++;
    if (c.closing) clearTimeout(c.closing);
    c.closing = setTimeout(() => {
      c.closing = undefined;
      if (c.socket === ws) ws.close(CLOSE_GOING_AWAY, 'socket closing for maintenance');
    }, graceMs);
    return true;
  }

  /**
   * The `upgrade` of the emulator's HTTP server: a socket at `/channels/<id>` joins its channel;
   * injected faults apply as to HTTP routes (status, delay, drop).
   */
  async handleUpgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    fault: (method: string, path: string) => Fault | undefined,
  ): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const m = /^\/channels\/([^/]+)\/?$/.exec(path);
    const refuse = (status: number, text: string, headers: Record<string, string> = {}) => {
      const extra = Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      socket.end(
        `HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(text)}\r\n${extra}\r\n${text}`,
      );
    };
    const f = fault(req.method ?? 'GET', path);
    if (f?.kind === 'drop') return void socket.destroy();
    if (f?.kind === 'delay') await new Promise((r) => setTimeout(r, f.ms));
    if (f?.kind === 'status' || f?.kind === 'malformed-json') {
      const status = f.kind === 'status' ? f.status : 500;
      const headers: Record<string, string> = {};
      if (f.kind === 'status' && f.retryAfter !== undefined) headers['retry-after'] = String(f.retryAfter);
      return refuse(status, `Injected fault: HTTP ${status}`, headers);
    }
    const c = m ? this.channels.get(decodeURIComponent(m[1]!)) : undefined;
    // An unknown or expired channel: refused before the upgrade (assumed status).
    if (!c) return refuse(404, 'channel not found');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(c, ws));
  }

  /** Every channel closed and forgotten, the counters cleared. */
  reset(): void {
    for (const c of [...this.channels.values()]) this.remove(c, 'emulator reset');
    Object.assign(this.counters, emptyCounters());
  }

  /** The emulator stops: every socket ends at once. */
  close(): void {
    for (const c of [...this.channels.values()]) {
      const ws = c.socket;
      this.clearTimers(c);
      ws?.terminate();
    }
    this.channels.clear();
    this.patterns = undefined;
    this.wss.close();
  }

  private attach(c: Channel, ws: WebSocket): void {
    if (!this.channels.has(c.id)) return void ws.terminate();
    // One socket a channel: a newer one replaces the older (assumed; Genesys says one, not which wins).
    if (c.socket) {
      const old = c.socket;
      this.detach(c);
      old.close(CLOSE_NORMAL, 'replaced by a newer connection to the channel');
    }
    c.socket = ws;
    this.touch(c);
    c.heartbeat = setInterval(() => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(
        JSON.stringify({ topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } }),
      );
      this.counters.heartbeats++;
    }, this.options.heartbeatMs);
    c.heartbeat.unref();
    ws.on('message', (data) => {
      this.touch(c);
      let msg: unknown;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return;
      }
      // The application-level ping Genesys answers (a WebSocket ping frame gets the protocol's pong).
      if ((msg as { message?: unknown } | null)?.message === 'ping') {
        ws.send(JSON.stringify({ topicName: 'channel.metadata', eventBody: { message: 'pong' } }));
        this.counters.pongs++;
      }
    });
    ws.on('close', () => {
      if (c.socket === ws) this.detach(c);
    });
    ws.on('error', () => {
      if (c.socket === ws) this.detach(c);
    });
  }

  private detach(c: Channel): void {
    if (c.heartbeat) clearInterval(c.heartbeat);
    if (c.closing) clearTimeout(c.closing);
    c.heartbeat = undefined;
    c.closing = undefined;
    c.socket = undefined;
  }

  private remove(c: Channel, reason: string): void {
    this.channels.delete(c.id);
    this.patterns = undefined;
    const ws = c.socket;
    this.clearTimers(c);
    this.detach(c);
    ws?.close(CLOSE_NORMAL, reason);
  }

  private clearTimers(c: Channel): void {
    if (c.expiry) clearTimeout(c.expiry);
    c.expiry = undefined;
    this.detach(c);
  }

  private touch(c: Channel): void {
    c.lastUsedAt = Date.now();
  }

  /** The channel lives `channelLifeMs` from now; then its socket closes and it is gone. */
  private renew(c: Channel): void {
    c.expiresAt = Date.now() + this.options.channelLifeMs;
    if (c.expiry) clearTimeout(c.expiry);
    // setTimeout takes at most 2^31-1 ms (about 24.8 days); longer lives are re-armed.
    const arm = () => {
      const left = c.expiresAt - Date.now();
      c.expiry = setTimeout(
        () => {
          if (c.expiresAt > Date.now()) return arm();
          this.remove(c, 'channel expired');
          this.counters.expired++;
        },
        Math.min(Math.max(0, left), 2 ** 31 - 1),
      );
      c.expiry.unref();
    };
    arm();
  }

  private answer(c: Channel, host?: string): ChannelAnswer {
    const base = this.baseUrl() ?? (host ? `http://${host}` : 'http://localhost');
    return {
      id: c.id,
      connectUri: `${base.replace(/^http/, 'ws')}/channels/${c.id}`,
      expires: new Date(c.expiresAt).toISOString(),
    };
  }
}
