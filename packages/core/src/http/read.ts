import { classifyResponse, malformedAnswer, tryParseJson } from '../errors/classify.js';
import type { HttpRequest, HttpResponse } from './types.js';

/**
 * Reads a JSON answer: a non-2xx status becomes the matching error of the taxonomy, a body that is not
 * JSON (or fails `check`) an UpstreamError. `check` returns a reason when the shape is wrong.
 */
export function readJson<T>(
  request: HttpRequest,
  response: HttpResponse,
  check?: (body: unknown) => string | undefined,
): T {
  if (response.status < 200 || response.status >= 300) throw classifyResponse(request, response);
  const body = tryParseJson(response.body);
  if (body === undefined) throw malformedAnswer(request, response, 'the body is not JSON');
  const problem = check?.(body);
  if (problem) throw malformedAnswer(request, response, problem);
  return body as T;
}

/** Reads an answer whose body does not matter (202, 204, `{}`): only the status is checked. */
export function readEmpty(request: HttpRequest, response: HttpResponse): void {
  if (response.status < 200 || response.status >= 300) throw classifyResponse(request, response);
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
