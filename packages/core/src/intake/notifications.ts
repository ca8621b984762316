/**
 * The Notifications API as an event source (orgs without AWS): a channel, its subscriptions to the
 * configured queues' conversations, and its WebSocket, driven by the core's NotificationsSession (the
 * protocol's whole state: renewals, heartbeats, reconnects). Events go to the same sink as the
 * HTTP intake's; a time the socket was down is reported as a gap, to be swept (nothing is kept by
 * Genesys Cloud while disconnected).
 */
import type { InboxEvent } from '../ledger/inbox.js';
import {
  type NotificationsPolicy,
  NotificationsSession,
  queueConversationsTopic,
  type SessionAction,
  subjectKey,
} from '../sources/genesys/events/index.js';
import type { GenesysApi } from '../sources/genesys/flows.js';
import type { IntakeMetrics } from './metrics.js';
import type { EventSink } from './server.js';

export interface NotificationsListenerOptions {
  genesys: Pick<GenesysApi, 'createNotificationChannel' | 'subscribe'>;
  queues: readonly string[];
  sink: EventSink;
  metrics: IntakeMetrics;
  policy?: Partial<NotificationsPolicy>;
  /** The socket was down from `since` to `until`: events of that time were lost. */
  onGap?: (gap: { since: string; until: string; reason: string }) => void;
  onError?: (message: string) => void;
}

export interface NotificationsListener {
  stop(): Promise<void>;
}

export function startNotificationsListener(options: NotificationsListenerOptions): NotificationsListener {
  const { genesys, sink, metrics } = options;
  const session = new NotificationsSession({
    topics: options.queues.map(queueConversationsTopic),
    ...(options.policy ? { policy: options.policy } : {}),
  });
  let socket: WebSocket | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const report = (e: unknown) => options.onError?.((e as Error).message ?? String(e));

  function open(uri: string): void {
    socket?.close();
    const ws = new WebSocket(uri);
    socket = ws;
    ws.addEventListener('open', () => socket === ws && run(session.opened(Date.now())));
    ws.addEventListener('message', (m) => socket === ws && run(session.frame(String(m.data), Date.now())));
    ws.addEventListener('close', () => socket === ws && !stopped && run(session.closed(Date.now())));
    ws.addEventListener('error', () => socket === ws && !stopped && run(session.failed(Date.now())));
  }

  async function accept(event: InboxEvent): Promise<void> {
    try {
      const { duplicates } = await sink.accept([event]);
      if (duplicates) metrics.duplicates.inc({}, duplicates);
    } catch (e) {
      report(e);
    }
  }

  function act(a: SessionAction): void {
    switch (a.type) {
      case 'create-channel':
        genesys.createNotificationChannel().then(
          (channel) => run(session.channelCreated(channel, Date.now())),
          (e) => {
            report(e);
            run(session.failed(Date.now()));
          },
        );
        return;
      case 'subscribe':
        genesys.subscribe(a.channelId, a.topics).then(
          () => run(session.subscribed(Date.now())),
          (e) => {
            report(e);
            run(session.failed(Date.now()));
          },
        );
        return;
      case 'renew':
        genesys.subscribe(a.channelId, a.topics).then(
          () => run(session.renewed(Date.now())),
          (e) => {
            report(e);
            run(session.renewFailed(Date.now()));
          },
        );
        return;
      case 'connect':
      case 'reconnect':
        open(a.connectUri);
        return;
      case 'close':
        socket?.close();
        socket = undefined;
        return;
      case 'send':
        socket?.send(a.text);
        return;
      case 'event': {
        const e = a.event;
        metrics.received.inc({ topic: e.topicPattern });
        if (e.kind === 'ignored') {
          metrics.ignored.inc({ topic: e.topicPattern });
          return;
        }
        const receivedAt = new Date().toISOString();
        void accept({
          id: e.id ?? `ws:${crypto.randomUUID()}`,
          subjectKey: subjectKey(e.subject),
          topic: e.topic,
          kind: e.kind,
          eventTime: e.eventTime ?? receivedAt,
          receivedAt,
        });
        return;
      }
      case 'invalid-frame':
        report(a.error);
        return;
      case 'gap':
        options.onGap?.({ since: a.since, until: a.until, reason: a.reason });
        return;
    }
  }

  function run(actions: SessionAction[]): void {
    if (stopped) return;
    for (const a of actions) act(a);
    if (timer) clearTimeout(timer);
    const next = session.nextDeadline();
    if (next !== undefined)
      timer = setTimeout(() => run(session.tick(Date.now())), Math.max(0, next - Date.now()));
  }

  run(session.start(Date.now()));
  return {
    async stop() {
      session.stop(Date.now());
      stopped = true;
      if (timer) clearTimeout(timer);
      socket?.close();
    },
  };
}
