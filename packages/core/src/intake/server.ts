/**
 * The intake's HTTP service: `POST /events/genesys` takes EventBridge events (one, or an array) or a
 * Genesys notification body and answers 202 only once its sink has them durably (the ledger's inbox,
 * or Temporal);
 * `GET /health`, `GET /metrics`. The sync of what it accepted is the processor's (processor.ts).
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError, isSyncError } from '../errors/errors.js';
import type { AcceptResult, InboxEvent } from '../ledger/inbox.js';
import { readIntakeJson, subjectKey } from '../sources/genesys/events/index.js';
import type { IntakeMetrics } from './metrics.js';

/**
 * Where accepted events go, durably before `accept` resolves: the ledger's inbox (`cli serve`), or
 * Temporal signals (the worker's `intake`).
 */
export interface EventSink {
  accept(events: readonly InboxEvent[]): Promise<AcceptResult>;
  /** Events accepted and not yet synced, when the sink can say (load shedding). */
  pendingEvents?(): Promise<number>;
}

export interface IntakeServerOptions {
  sink: EventSink;
  metrics: IntakeMetrics;
  /** Default 127.0.0.1. Another address needs a key. */
  host?: string;
  /** 0: any free port. */
  port?: number;
  /** The API key callers send (CX_INTAKE_KEY); none: no check (loopback only). */
  key?: string;
  /** The header that carries it (CX_INTAKE_HEADER, default x-api-key). */
  header?: string;
  /** The largest body taken (default 1 MiB; EventBridge sends at most 256 KB). */
  maxBodyBytes?: number;
  /** Above this many pending events the intake sheds load: 503 with Retry-After (default 100,000). */
  maxPendingEvents?: number;
  /** Health details (the inbox's depth) for `GET /health`. */
  health?: () => Promise<Record<string, unknown>>;
}

export interface IntakeServer {
  urls: { intakeUrl: string; healthUrl: string; metricsUrl: string };
  /** Stops taking requests; resolves once those in flight are answered. */
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * What an event id may not hold, as the inbox could not keep it as sent: an unpaired surrogate (a
 * `\ud800` escape in the JSON), stored by SQLite and PostgreSQL as U+FFFD (two events, one id: the
 * second a "duplicate"), or NUL, which PostgreSQL refuses (a 503 that EventBridge would retry for a day).
 */
const UNSTORABLE_ID = /[\0\uD800-\uDFFF]/u;

/** Refuses to listen beyond loopback without a key: anyone could then make it write to the targets. */
export function checkIntakeExposure(host: string, key: string | undefined): void {
  if (!key && !LOOPBACK.test(host))
    throw new ConfigurationError(
      `the intake listens on ${host}, beyond this machine, without a key: set CX_INTAKE_KEY (the API key of the EventBridge connection), or listen on 127.0.0.1`,
    );
}

export async function startIntakeServer(options: IntakeServerOptions): Promise<IntakeServer> {
  const host = options.host ?? '127.0.0.1';
  checkIntakeExposure(host, options.key);
  const header = (options.header ?? 'x-api-key').toLowerCase();
  const keyDigest = options.key ? digest(options.key) : undefined;
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const maxPending = options.maxPendingEvents ?? 100_000;
  const { sink, metrics } = options;
  // The sink's depth, read at most once a second (not once a request).
  let pending = { value: 0, at: 0 };
  const pendingEvents = async () => {
    if (sink.pendingEvents && Date.now() - pending.at > 1000)
      pending = { value: await sink.pendingEvents(), at: Date.now() };
    return pending.value;
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (status >= 400) metrics.refused.inc({ status: String(status) });
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const refuse = (res: ServerResponse, status: number, kind: string, message: string, headers = {}) =>
    send(res, status, { error: { kind, message } }, headers);

  async function events(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (keyDigest) {
      const given = req.headers[header];
      if (typeof given !== 'string' || !timingSafeEqual(digest(given), keyDigest))
        return refuse(res, 401, 'authentication', `missing or wrong API key in the ${header} header`);
    }
    const text = await readBody(req, maxBody);
    if (text === 'too-large') {
      res.setHeader('connection', 'close');
      return refuse(res, 413, 'validation', `the body is larger than ${maxBody} bytes`);
    }
    if (text === 'not-utf8') return refuse(res, 400, 'validation', 'the body is not UTF-8 text');
    let reading: ReturnType<typeof readIntakeJson>;
    try {
      reading = readIntakeJson(text);
    } catch (e) {
      if (isSyncError(e)) return refuse(res, 400, e.kind, e.message);
      throw e;
    }
    const unstorable = reading.events.findIndex(
      (e) => e.kind !== 'ignored' && e.id !== undefined && UNSTORABLE_ID.test(e.id),
    );
    if (unstorable >= 0)
      return refuse(
        res,
        400,
        'validation',
        `${reading.shape === 'batch' ? `body[${unstorable}]` : 'body'}: the event's id (id or metadata.CorrelationId) holds NUL or an unpaired surrogate`,
      );
    if ((await pendingEvents()) >= maxPending)
      return refuse(res, 503, 'rate-limited', 'the intake has too many events waiting; try again later', {
        'retry-after': '5',
      });
    const receivedAt = new Date().toISOString();
    const queued: InboxEvent[] = [];
    let ignored = 0;
    for (const e of reading.events) {
      metrics.received.inc({ topic: e.topicPattern });
      if (e.kind === 'ignored') {
        ignored++;
        metrics.ignored.inc({ topic: e.topicPattern });
        continue;
      }
      queued.push({
        // An event with no id of its own gets one: a repeat then costs one more read, never a wrong write.
        id: e.id ?? `intake:${randomUUID()}`,
        subjectKey: subjectKey(e.subject),
        topic: e.topic,
        kind: e.kind,
        eventTime: e.eventTime ?? receivedAt,
        receivedAt,
      });
    }
    let accepted = 0;
    let duplicates = 0;
    if (queued.length > 0) {
      try {
        ({ accepted, duplicates } = await sink.accept(queued));
      } catch (e) {
        // Not durable: not accepted. EventBridge retries a 503.
        return refuse(res, 503, 'transient', `the events could not be kept: ${(e as Error).message}`, {
          'retry-after': '5',
        });
      }
    }
    if (duplicates) metrics.duplicates.inc({}, duplicates);
    pending.value += accepted;
    send(res, 202, { accepted, duplicates, ignored });
  }

  const server: Server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    const handle = async () => {
      if (url === '/events/genesys') {
        if (req.method !== 'POST')
          return refuse(res, 405, 'validation', 'POST events here', { allow: 'POST' });
        return events(req, res);
      }
      if (url === '/health' && req.method === 'GET')
        return send(res, 200, { status: 'ok', ...(await options.health?.()) });
      if (url === '/metrics' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(await metrics.text());
        return;
      }
      return refuse(res, 404, 'not-found', `no route ${req.method} ${url}`);
    };
    handle().catch((e: unknown) => {
      if (!res.headersSent) refuse(res, 500, 'upstream', `the intake failed: ${(e as Error).message}`);
      else res.destroy();
    });
  });
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const base = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  return {
    urls: { intakeUrl: `${base}/events/genesys`, healthUrl: `${base}/health`, metricsUrl: `${base}/metrics` },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/** The body as text, or why not: larger than the limit, or not UTF-8. */
function readBody(req: IncomingMessage, limit: number): Promise<string | 'too-large' | 'not-utf8'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (over) return;
      try {
        resolve(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)));
      } catch {
        resolve('not-utf8');
      }
    });
    req.on('error', reject);
  });
}
