/**
 * One error taxonomy for the CLI, the worker and the n8n node. Every error says which platform
 * answered, the HTTP status, the platform's own code and correlation id, and what the user should
 * check. Messages never contain secrets: they are built from fixed text and ids, never from tokens,
 * secrets or request bodies.
 */

import type { Platform } from '../platforms.js';

export type { Platform };

export type ErrorKind =
  | 'configuration'
  | 'authentication'
  | 'permission'
  | 'not-found'
  | 'validation'
  | 'rate-limited'
  | 'transient'
  | 'upstream';

/** Every kind, for hosts that read a kind back from plain data (Temporal failures, n8n errors). */
export const ERROR_KINDS: readonly ErrorKind[] = [
  'configuration',
  'authentication',
  'permission',
  'not-found',
  'validation',
  'rate-limited',
  'transient',
  'upstream',
];

export function isErrorKind(value: unknown): value is ErrorKind {
  return ERROR_KINDS.includes(value as ErrorKind);
}

/** One field a platform (or our own pre-check) refused, and why. */
export interface FieldProblem {
  field: string;
  message: string;
  value?: string;
}

export interface SyncErrorDetails {
  platform?: Platform;
  status?: number;
  code?: string;
  correlationId?: string;
  cause?: unknown;
}

export abstract class SyncError extends Error {
  abstract readonly kind: ErrorKind;
  /** Whether repeating the same request later may succeed. */
  abstract readonly retryable: boolean;
  readonly platform?: Platform;
  readonly status?: number;
  readonly code?: string;
  readonly correlationId?: string;

  constructor(message: string, details: SyncErrorDetails = {}) {
    super(message, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = new.target.name;
    if (details.platform) this.platform = details.platform;
    if (details.status !== undefined) this.status = details.status;
    if (details.code) this.code = details.code;
    if (details.correlationId) this.correlationId = details.correlationId;
  }

  /** A plain object for JSON output, logs and Temporal failure details. */
  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      message: this.message,
      ...(this.platform ? { platform: this.platform } : {}),
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.code ? { code: this.code } : {}),
      ...(this.correlationId ? { correlationId: this.correlationId } : {}),
    };
  }
}

/** Bad or missing settings, a bad mapping file, a URL that is not allowed. Fix the input. */
export class ConfigurationError extends SyncError {
  readonly kind = 'configuration';
  readonly retryable = false;
}

/** Credentials refused (401, invalid_client, unsupported_grant_type). */
export class AuthenticationError extends SyncError {
  readonly kind = 'authentication';
  readonly retryable = false;
}

/** Authenticated but not allowed (403): roles or permissions. */
export class PermissionError extends SyncError {
  readonly kind = 'permission';
  readonly retryable = false;
}

/** The conversation, contact, customer or profile does not exist (404). */
export class NotFoundError extends SyncError {
  readonly kind = 'not-found';
  readonly retryable = false;
}

/** The platform refused the data (400/413/422), field by field where it said which. */
export class ValidationError extends SyncError {
  readonly kind = 'validation';
  readonly retryable = false;
  readonly fields: FieldProblem[];
  constructor(message: string, details: SyncErrorDetails & { fields?: FieldProblem[] } = {}) {
    super(message, details);
    this.fields = details.fields ?? [];
  }
  override toJSON() {
    return { ...super.toJSON(), fields: this.fields };
  }
}

/** 429: wait at least `retryAfterMs` (from Retry-After) before the next try. */
export class RateLimitedError extends SyncError {
  readonly kind = 'rate-limited';
  readonly retryable = true;
  readonly retryAfterMs?: number;
  constructor(message: string, details: SyncErrorDetails & { retryAfterMs?: number } = {}) {
    super(message, details);
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
  override toJSON() {
    return {
      ...super.toJSON(),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
    };
  }
}

/** 5xx, 408, timeouts, dropped connections: may work if tried again. */
export class TransientError extends SyncError {
  readonly kind = 'transient';
  readonly retryable = true;
}

/** The platform answered something we cannot use (malformed JSON, an unexpected shape or status). */
export class UpstreamError extends SyncError {
  readonly kind = 'upstream';
  readonly retryable = false;
}

export function isSyncError(e: unknown): e is SyncError {
  return e instanceof SyncError;
}

/** Rebuilds an error from its `toJSON()` form (for example after crossing a Temporal boundary). */
export function syncErrorFromJSON(o: Record<string, unknown>): SyncError {
  const details: SyncErrorDetails & { retryAfterMs?: number; fields?: FieldProblem[] } = {};
  if (typeof o.platform === 'string') details.platform = o.platform as Platform;
  if (typeof o.status === 'number') details.status = o.status;
  if (typeof o.code === 'string') details.code = o.code;
  if (typeof o.correlationId === 'string') details.correlationId = o.correlationId;
  if (typeof o.retryAfterMs === 'number') details.retryAfterMs = o.retryAfterMs;
  if (Array.isArray(o.fields)) details.fields = o.fields as FieldProblem[];
  const message = String(o.message ?? 'unknown error');
  const Ctor = isErrorKind(o.kind) ? ERROR_CLASSES[o.kind] : UpstreamError;
  return new Ctor(message, details);
}

type ErrorClass = new (
  message: string,
  details?: SyncErrorDetails & { retryAfterMs?: number; fields?: FieldProblem[] },
) => SyncError;

/**
 * Each kind's class: the one list that turns a kind or a class name (a Temporal failure's type, an
 * n8n error's cause) back into the taxonomy.
 */
export const ERROR_CLASSES: Readonly<Record<ErrorKind, ErrorClass>> = {
  configuration: ConfigurationError,
  authentication: AuthenticationError,
  permission: PermissionError,
  'not-found': NotFoundError,
  validation: ValidationError,
  'rate-limited': RateLimitedError,
  transient: TransientError,
  upstream: UpstreamError,
};

/** The kind of an error class's name (`NotFoundError` → `not-found`), if it is one of the taxonomy's. */
export function errorKindOfClassName(name: string | undefined): ErrorKind | undefined {
  return ERROR_KINDS.find((k) => ERROR_CLASSES[k].name === name);
}

/** The names of the classes whose errors repeating cannot cure (`retryable` false). */
export function nonRetryableClassNames(): string[] {
  return ERROR_KINDS.map((k) => ERROR_CLASSES[k])
    .filter((C) => !new C('').retryable)
    .map((C) => C.name);
}

/** Whether errors of a kind may succeed when tried again (a rate limit, an outage), as its class says. */
export function isRetryableKind(kind: ErrorKind): boolean {
  return new ERROR_CLASSES[kind]('').retryable;
}
