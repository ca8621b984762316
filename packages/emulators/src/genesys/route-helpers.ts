import type { PlatformServer } from '../common/platform-server.js';
import type { ResolvedOptions } from '../options.js';
import type { GenesysState } from './state.js';

/** What each group of Genesys routes is given. */
export interface GenesysRouteContext {
  state: GenesysState;
  sendError: PlatformServer['sendError'];
  options: ResolvedOptions;
}

/**
 * An error the shared error handler turns into a 400 ErrorBody with code `bad.request`; handlers
 * throw it from deep inside parameter checks.
 */
export function badRequest(message: string): Error & { statusCode: number } {
  return Object.assign(new Error(message), { statusCode: 400 });
}

/** An integer query parameter, or undefined when absent; anything else is a 400. */
export function intParam(query: Record<string, string | undefined>, name: string): number | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw badRequest(`${name} must be an integer, got "${raw}"`);
  return Number(raw);
}

/** Cursors are opaque to clients; inside they are an offset. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: string, max: number): number {
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const offset = m ? Number(m[1]) : Number.NaN;
  if (!(offset >= 0 && offset <= max)) throw badRequest('cursor is not valid');
  return offset;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets a key as own data, even "__proto__" (a plain `obj[key] =` would change the prototype). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A query string for the `…Uri` fields of paged answers (undefined values left out). */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
