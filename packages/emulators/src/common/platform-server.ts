import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { type FaultInjector, validateFaultRule } from './faults.js';
import type { RequestLog } from './request-log.js';

/** What each platform tells the shared server: how its errors look and where its correlation id goes. */
export interface PlatformShape {
  /** The emulated platform's name (its descriptor's, see platforms.ts). */
  name: string;
  /** Header carrying the request's correlation id on every answer, if the platform has one. */
  correlationHeader?: string;
  /** The platform's own error body. */
  errorBody(status: number, code: string, message: string, correlationId: string): unknown;
  /** Largest accepted request body in bytes (Cognigy: 60 kB). */
  bodyLimit?: number;
  /**
   * The platform's own code and message for an error status (an injected fault without its own code,
   * a body too large), where it has one; the shared defaults otherwise.
   */
  statusError?(status: number, retryAfter?: string | number): { code: string; message: string } | undefined;
}

/** Counters that benchmarks and tests read: requests by route and by status. */
export interface RequestStats {
  total: number;
  byStatus: Record<string, number>;
  byRoute: Record<string, number>;
}

export interface LatencyOptions {
  minMs: number;
  maxMs: number;
}

export interface PlatformServerOptions {
  shape: PlatformShape;
  faults: FaultInjector;
  log: RequestLog;
  random: () => number;
  latency?: LatencyOptions;
  /** Hooks the admin routes call. */
  admin: {
    state(): unknown;
    reset(): void;
    revokeTokens(): void;
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    correlationId: string;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface PlatformServer {
  app: FastifyInstance;
  stats: RequestStats;
  /** Sends an error in the platform's shape, with its correlation header. */
  sendError(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    code: string,
    message: string,
    headers?: Record<string, string>,
  ): FastifyReply;
  setLatency(latency: LatencyOptions | undefined): void;
}

/**
 * One Fastify server for one platform, with what every emulated platform shares: correlation ids,
 * optional latency, fault injection, the request log, counters, and the `/__admin/…` routes that no
 * real platform has.
 */
export function createPlatformServer(options: PlatformServerOptions): PlatformServer {
  const { shape, faults, log } = options;
  let latency = options.latency;
  const app = Fastify({
    logger: false,
    bodyLimit: shape.bodyLimit ?? 1024 * 1024,
    keepAliveTimeout: 65_000,
    // Real platforms store keys such as "__proto__" as ordinary data; so does the emulator.
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
    // Paths are matched as sent; Genesys ids are UUIDs and CXone idents are plain.
    routerOptions: { ignoreTrailingSlash: true },
  });
  const stats: RequestStats = { total: 0, byStatus: {}, byRoute: {} };

  app.decorateRequest('correlationId', '');

  // OAuth token endpoints take form bodies; keep them as plain objects (last value wins).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const sendError: PlatformServer['sendError'] = (request, reply, status, code, message, headers = {}) => {
    reply.code(status).headers(headers);
    return reply.send(shape.errorBody(status, code, message, request.correlationId));
  };

  app.addHook('onRequest', async (request, reply) => {
    request.correlationId = randomUUID();
    if (shape.correlationHeader) reply.header(shape.correlationHeader, request.correlationId);
    if (latency && !request.url.startsWith('/__admin')) {
      const { minMs, maxMs } = latency;
      await sleep(minMs + options.random() * (maxMs - minMs));
    }
  });

  app.addHook('preHandler', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (path.startsWith('/__admin')) return;
    const fault = faults.match(request.method, path);
    if (!fault) return;
    switch (fault.kind) {
      case 'delay':
        await sleep(fault.ms);
        return;
      case 'status': {
        const headers: Record<string, string> = {};
        if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
        const own = shape.statusError?.(fault.status, fault.retryAfter);
        const code = fault.code ?? own?.code ?? defaultCode(fault.status);
        const message = fault.message ?? own?.message ?? defaultMessage(fault.status, fault.retryAfter);
        return sendError(request, reply, fault.status, code, message, headers);
      }
      case 'malformed-json':
        reply.code(200).header('content-type', 'application/json; charset=utf-8');
        return reply.send('{"entities":[{"id":');
      case 'drop':
        record(request, 0);
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
    }
  });

  function record(request: FastifyRequest, status: number) {
    const path = request.url.split('?')[0]!;
    if (path.startsWith('/__admin')) return;
    stats.total++;
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    const route = `${request.method} ${request.routeOptions.url ?? path}`;
    stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
    log.record(
      request.method,
      path,
      request.query as Record<string, string>,
      request.headers,
      request.body,
    ).status = status;
  }

  app.addHook('onResponse', async (request, reply) => {
    record(request, reply.statusCode);
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      404,
      'not.found',
      `No route for ${request.method} ${request.url.split('?')[0]}`,
    ),
  );

  app.setErrorHandler((error: { statusCode?: number; message: string; code?: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) {
      const own = shape.statusError?.(413);
      return sendError(
        request,
        reply,
        413,
        own?.code ?? 'payload.too.large',
        own?.message ?? 'Request body too large',
      );
    }
    if (status === 415) return sendError(request, reply, 415, 'unsupported.media.type', error.message);
    if (status >= 400 && status < 500) return sendError(request, reply, status, 'bad.request', error.message);
    return sendError(request, reply, 500, 'internal.server.error', 'Internal server error');
  });

  // ---- admin routes: the emulator's own, never a real platform's ----
  app.get('/__admin/faults', async () => faults.list());
  app.post('/__admin/faults', async (request, reply) => {
    try {
      const rules = Array.isArray(request.body) ? request.body : [request.body];
      return rules.map((r) => faults.add(validateFaultRule(r)));
    } catch (e) {
      return reply.code(400).send({ error: (e as Error).message });
    }
  });
  app.delete('/__admin/faults', async (_req, reply) => {
    faults.clear();
    return reply.code(204).send();
  });
  app.get('/__admin/requests', async () => log.list());
  app.delete('/__admin/requests', async (_req, reply) => {
    log.clear();
    return reply.code(204).send();
  });
  app.get('/__admin/stats', async () => stats);
  app.delete('/__admin/stats', async (_req, reply) => {
    resetStats(stats);
    return reply.code(204).send();
  });
  app.get('/__admin/state', async () => options.admin.state());
  app.post('/__admin/reset', async (_req, reply) => {
    options.admin.reset();
    faults.clear();
    log.clear();
    resetStats(stats);
    return reply.code(204).send();
  });
  app.post('/__admin/revoke-tokens', async (_req, reply) => {
    options.admin.revokeTokens();
    return reply.code(204).send();
  });

  return {
    app,
    stats,
    sendError,
    setLatency: (l) => {
      latency = l;
    },
  };
}

export function resetStats(stats: RequestStats): void {
  stats.total = 0;
  stats.byStatus = {};
  stats.byRoute = {};
}

function defaultCode(status: number): string {
  switch (status) {
    case 429:
      return 'too.many.requests.retry.after';
    case 401:
      return 'authentication.required';
    case 403:
      return 'missing.permissions';
    case 408:
      return 'request.timeout';
    case 413:
      return 'payload.too.large';
    case 502:
      return 'bad.gateway';
    case 503:
      return 'service.unavailable';
    case 504:
      return 'gateway.timeout';
    default:
      return 'internal.server.error';
  }
}

function defaultMessage(status: number, retryAfter?: string | number): string {
  if (status === 429)
    return `Rate limit exceeded the maximum. Retry the request in [${retryAfter ?? 1}] seconds`;
  return `Injected fault: HTTP ${status}`;
}

/** The bearer token of a request, or undefined. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

/** The id and secret of an HTTP Basic header, or undefined. */
export function basicCredentials(request: FastifyRequest): { id: string; secret: string } | undefined {
  const h = request.headers.authorization;
  const m = h ? /^Basic\s+(\S+)$/i.exec(h) : null;
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
  const formDecode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}
