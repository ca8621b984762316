import type { HttpRequest, HttpResponse } from '../http/types.js';
import { findPlatform, platformLabel } from '../registry.js';
import {
  AuthenticationError,
  type FieldProblem,
  NotFoundError,
  PermissionError,
  type Platform,
  RateLimitedError,
  type SyncError,
  TransientError,
  UpstreamError,
  ValidationError,
} from './errors.js';

/** What to check when a platform refuses credentials or permissions: its descriptor's hints. */
function hintsOf(p: Platform): { auth: string; permission: string; unsupportedGrant?: string } {
  return (
    findPlatform(p)?.hints ?? {
      auth: `check the ${p} credentials`,
      permission: `check the permissions of the ${p} credentials`,
    }
  );
}

/** Milliseconds to wait from a Retry-After header: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v) * 1000);
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The platform's correlation id for an answer: the header where there is one, else the body's id. */
export function correlationIdOf(response: HttpResponse, body?: Record<string, unknown>): string | undefined {
  const h = response.headers;
  return (
    h['inin-correlation-id'] ??
    h.correlationid ??
    h['x-correlation-id'] ??
    h['x-request-id'] ??
    (typeof body?.traceId === 'string' ? body.traceId : undefined) ??
    (typeof body?.contextId === 'string' ? body.contextId : undefined) ??
    (typeof body?.uid === 'string' ? body.uid : undefined)
  );
}

export function tryParseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A limit an answer says it ran into (Genesys Cloud: `limit: {key, namespace, value}`). */
interface ErrorLimit {
  key: string;
  namespace?: string;
  value?: number;
}

/** Genesys Cloud's `messageWithParams` with its `{name}` placeholders filled from `messageParams`. */
function withParams(template: string, params: unknown): string {
  const values = params && typeof params === 'object' ? (params as Record<string, unknown>) : {};
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    typeof values[name] === 'string' || typeof values[name] === 'number' ? String(values[name]) : whole,
  );
}

function readLimit(value: unknown): ErrorLimit | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const l = value as Record<string, unknown>;
  if (typeof l.key !== 'string' || l.key === '') return undefined;
  return {
    key: l.key,
    ...(typeof l.namespace === 'string' && l.namespace ? { namespace: l.namespace } : {}),
    ...(typeof l.value === 'number' && Number.isFinite(l.value) ? { value: l.value } : {}),
  };
}

/** "limit platform.api client.credentials.token.rate.per.minute = 300" */
function describeLimit(l: ErrorLimit): string {
  return `limit ${l.namespace ? `${l.namespace} ` : ''}${l.key}${l.value !== undefined ? ` = ${l.value}` : ''}`;
}

/** The platform's code and message from any of the three error shapes (or an OAuth error). */
function readErrorBody(body: unknown): {
  code?: string;
  message?: string;
  fields: FieldProblem[];
  limit?: ErrorLimit;
} {
  const fields: FieldProblem[] = [];
  if (!body || typeof body !== 'object') return { fields };
  const b = body as Record<string, unknown>;
  // OAuth servers: {error, error_description}
  if (typeof b.error === 'string') {
    const d = b.error_description ?? b.description;
    return { code: b.error, ...(typeof d === 'string' ? { message: d } : {}), fields };
  }
  // CXone DFO: {errors:[{field?, message, errorCode?}]}; Genesys also has errors[] of ErrorBody.
  if (Array.isArray(b.errors)) {
    for (const e of b.errors as Record<string, unknown>[]) {
      if (e && typeof e.message === 'string') {
        fields.push({
          field: typeof e.field === 'string' ? e.field : typeof e.code === 'string' ? e.code : '',
          message: e.message,
        });
      }
    }
  }
  // Cognigy: {type, title, status, detail, code, details}; Genesys Cloud: details[] of
  // {errorCode, fieldName, entityId, entityName}.
  if (Array.isArray(b.details)) {
    for (const d of b.details as Record<string, unknown>[]) {
      if (!d || typeof d !== 'object') continue;
      if (typeof d.message === 'string') {
        const field = d.field ?? d.path ?? d.property;
        fields.push({ field: typeof field === 'string' ? field : '', message: d.message });
      } else if (typeof d.errorCode === 'string' || typeof d.fieldName === 'string') {
        const entity = [d.entityName, d.entityId].filter((v) => typeof v === 'string' && v).join(' ');
        fields.push({
          field: typeof d.fieldName === 'string' ? d.fieldName : '',
          message: `${typeof d.errorCode === 'string' ? d.errorCode : 'refused'}${entity ? ` (${entity})` : ''}`,
        });
      }
    }
  }
  const firstErrorCode = Array.isArray(b.errors)
    ? (b.errors as { errorCode?: unknown }[]).find((e) => e && typeof e.errorCode === 'string')?.errorCode
    : undefined;
  const code =
    typeof b.code === 'string'
      ? b.code
      : typeof b.code === 'number'
        ? String(b.code)
        : (fields[0] && (firstErrorCode as string | undefined)) || undefined;
  // Genesys Cloud: `message` is filled in; `messageWithParams` is its template, used when it is not.
  const message =
    typeof b.message === 'string' && b.message !== ''
      ? b.message
      : typeof b.messageWithParams === 'string' && b.messageWithParams !== ''
        ? withParams(b.messageWithParams, b.messageParams)
        : typeof b.detail === 'string'
          ? b.detail
          : typeof b.title === 'string'
            ? b.title
            : fields[0]?.message;
  const limit = readLimit(b.limit);
  return { ...(code ? { code } : {}), ...(message ? { message } : {}), fields, ...(limit ? { limit } : {}) };
}

/**
 * Turns a non-2xx answer into the error taxonomy, with a message that says what to check. Nothing
 * from the request's headers or body goes into the message, so secrets cannot leak through it.
 */
export function classifyResponse(
  request: HttpRequest,
  response: HttpResponse,
  now: number = Date.now(),
): SyncError {
  const { platform, operation } = request;
  const body = tryParseJson(response.body) as Record<string, unknown> | undefined;
  const { code, message: platformMessage, fields, limit } = readErrorBody(body);
  const correlationId = correlationIdOf(response, body);
  const status = response.status;
  const details = {
    platform,
    status,
    ...(code ? { code } : {}),
    ...(correlationId ? { correlationId } : {}),
  };
  const name = platformLabel(platform);
  const said = platformMessage ? `: ${truncate(platformMessage)}` : '';
  const ref = correlationId ? ` (correlation id ${correlationId})` : '';
  const what = `${name} ${operation}`;
  // The status with the platform's code, and the limit it names: "HTTP 429 too.many.requests; limit …".
  const statusText = `HTTP ${status}${code ? ` ${code}` : ''}${limit ? `; ${describeLimit(limit)}` : ''}`;

  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], now);
    return new RateLimitedError(
      `${what} was rate limited (${statusText})${retryAfterMs !== undefined ? `; retry after ${Math.ceil(retryAfterMs / 1000)} s` : ''}${ref}`,
      { ...details, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
    );
  }
  if (
    status === 401 ||
    code === 'invalid_client' ||
    code === 'invalid_grant' ||
    code === 'unauthorized_client'
  ) {
    return new AuthenticationError(
      `${what} refused the credentials (HTTP ${status}${code ? ` ${code}` : ''})${said}; ${hintsOf(platform).auth}${ref}`,
      details,
    );
  }
  if (code === 'unsupported_grant_type') {
    const hint = hintsOf(platform).unsupportedGrant ?? 'the token server does not offer this grant';
    return new AuthenticationError(
      `${what}: the token server refused the grant type (unsupported_grant_type); ${hint}${ref}`,
      details,
    );
  }
  if (status === 403) {
    return new PermissionError(
      `${what} is not permitted (HTTP 403${code ? ` ${code}` : ''})${said}; ${hintsOf(platform).permission}${ref}`,
      details,
    );
  }
  if (status === 404) {
    return new NotFoundError(`${what}: not found (HTTP 404${code ? ` ${code}` : ''})${said}${ref}`, details);
  }
  if (status === 408 || status >= 500) {
    return new TransientError(
      `${what} failed with ${statusText}${said}; it may work if tried again${ref}`,
      details,
    );
  }
  if (status === 400 || status === 409 || status === 413 || status === 415 || status === 422) {
    const list = fields.length
      ? `: ${fields.map((f) => (f.field ? `${f.field}: ${truncate(f.message)}` : truncate(f.message))).join('; ')}`
      : said;
    const extra = status === 413 ? ' (the request body is too large for the platform)' : '';
    // The code after the list, in brackets: "(HTTP 400)" stays as hosts and tests know it.
    const codes = [code, limit && describeLimit(limit)].filter(Boolean).join('; ');
    const codeText = codes ? ` [${codes}]` : '';
    return new ValidationError(`${what} refused the data (HTTP ${status})${extra}${list}${codeText}${ref}`, {
      ...details,
      fields,
    });
  }
  return new UpstreamError(`${what} answered ${statusText} unexpectedly${said}${ref}`, details);
}

/** An answer that should be JSON but is not. */
export function malformedAnswer(request: HttpRequest, response: HttpResponse, why: string): UpstreamError {
  const body = tryParseJson(response.body) as Record<string, unknown> | undefined;
  const correlationId = correlationIdOf(response, body);
  return new UpstreamError(
    `${platformLabel(request.platform)} ${request.operation} answered something unusable (${why})${correlationId ? ` (correlation id ${correlationId})` : ''}`,
    { platform: request.platform, status: response.status, ...(correlationId ? { correlationId } : {}) },
  );
}

/** A request that got no answer at all (connection refused, reset, timeout). */
export function networkFailure(request: HttpRequest, cause: unknown): TransientError {
  const c = cause as { code?: string; message?: string } | undefined;
  const host = safeHost(request.url);
  return new TransientError(
    `${platformLabel(request.platform)} ${request.operation}: no answer from ${host} (${c?.code ?? c?.message ?? 'network error'}); check the host and the network`,
    // No `cause`: transport errors carry the request's headers, and with them its credentials.
    { platform: request.platform, ...(c?.code ? { code: c.code } : {}) },
  );
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the host';
  }
}

function truncate(s: string, max = 300): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
