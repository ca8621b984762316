import type { HttpRequest, HttpResponse } from '@cx-profile-sync/core/pure';
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

/**
 * The API host the core's request builders are given inside a node. The node never knows the real
 * host or token: the credential's `authenticate` puts both on the request (see shared/hosts.ts), so a
 * request whose URL starts here is sent with a path only. `.invalid` never resolves (RFC 6761), so a
 * request that escaped this rule could not leave the machine.
 */
export const CREDENTIAL_HOST = 'https://credential-host.invalid';

/** Headers that carry credentials; the credential adds its own. */
const AUTH_HEADERS = new Set(['authorization', 'x-api-key']);

/**
 * A core request as n8n request options: the raw status, headers and text body come back whatever the
 * status (the core's readers classify them), and the body goes out exactly as the core encoded it.
 */
export function toN8nRequest(request: HttpRequest): IHttpRequestOptions {
  const viaCredential = request.url.startsWith(`${CREDENTIAL_HOST}/`);
  const headers: IDataObject = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (viaCredential && AUTH_HEADERS.has(name.toLowerCase())) continue;
    headers[name] = value;
  }
  return {
    method: request.method,
    url: viaCredential ? request.url.slice(CREDENTIAL_HOST.length) : request.url,
    headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
    json: false,
    encoding: 'text',
    returnFullResponse: true,
    ignoreHttpStatusErrors: true,
    // Redirects would carry the token elsewhere; none of these APIs answers with one.
    disableFollowRedirect: true,
  };
}

/** n8n's full response as the core's `HttpResponse`: lower-case string headers, the body as text. */
export function fromN8nResponse(raw: unknown): HttpResponse {
  const r = (raw ?? {}) as { statusCode?: unknown; headers?: unknown; body?: unknown };
  const headers: Record<string, string> = {};
  if (r.headers && typeof r.headers === 'object') {
    for (const [name, value] of Object.entries(r.headers as Record<string, unknown>)) {
      if (value === undefined || value === null) continue;
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    }
  }
  return { status: Number(r.statusCode) || 0, headers, body: bodyText(r.body) };
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  if (body instanceof ArrayBuffer) return new TextDecoder().decode(new Uint8Array(body));
  // A body n8n already parsed as JSON: the core reads text, so give it back as such.
  return JSON.stringify(body);
}
