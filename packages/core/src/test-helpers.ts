// Test helpers (excluded from the build).
import type { HttpRequest, HttpResponse } from './http/types.js';

/** The smallest transport for protocol tests: Node's fetch, answers as plain data with lower-case header names. */
export async function fetchSend(request: HttpRequest): Promise<HttpResponse> {
  const res = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  return { status: res.status, headers, body: await res.text() };
}

/** Sends a request and reads its answer with the protocol's reader. */
export async function exchange<T>(
  request: HttpRequest,
  read: (req: HttpRequest, res: HttpResponse) => T,
): Promise<T> {
  return read(request, await fetchSend(request));
}
