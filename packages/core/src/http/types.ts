import type { Platform } from '../platforms.js';

/**
 * Requests and answers as plain data. Protocol modules build `HttpRequest`s and read `HttpResponse`s
 * without doing any I/O; a transport (axios here, n8n's helpers in the node) carries them.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Absolute URL, query included. */
  url: string;
  headers: Record<string, string>;
  /** Already encoded: JSON text or a form-encoded string. */
  body?: string;
  /** Safe to send again after a failure that may have reached the server (GET, PUT, DELETE, PATCH-merge). */
  idempotent: boolean;
  /** Which platform and which operation, for errors, logs and rate limits. */
  platform: Platform;
  operation: string;
}

export interface HttpResponse {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** The raw body text (may be empty). */
  body: string;
}

/** Carries one request; throws only for network failures (no answer at all). */
export interface Transport {
  send(request: HttpRequest, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<HttpResponse>;
}

/** Joins a base URL and a path, keeping any path prefix of the base. */
export function joinUrl(
  base: string,
  path: string,
  query?: Record<string, string | number | undefined>,
): string {
  const url = new URL(base.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`));
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}

export function jsonBody(value: unknown): { body: string; headers: Record<string, string> } {
  return { body: JSON.stringify(value), headers: { 'content-type': 'application/json' } };
}

export function formBody(fields: Record<string, string>): { body: string; headers: Record<string, string> } {
  return {
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}

/** HTTP Basic with RFC 6749 §2.3.1 form-encoding of id and secret (CXone secrets end in "="). */
export function basicAuth(id: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${btoa(`${enc(id)}:${enc(secret)}`)}`;
}
