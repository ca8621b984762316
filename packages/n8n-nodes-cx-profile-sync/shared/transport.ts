import {
  type HttpRequest,
  type HttpResponse,
  isErrorKind,
  isSyncError,
  networkFailure,
  type SyncError,
  syncErrorFromJSON,
  UpstreamError,
} from '@cx-profile-sync/core/pure';
import type { IExecuteFunctions, IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';
import { fromN8nResponse, toN8nRequest } from './http';

/** What the transport needs of n8n: a node's execute or load-options context. */
export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

/** A credential type of this package. */
export type CredentialType = 'genesysCloudApi' | 'niceCxoneApi' | 'cognigyAiApi';

/**
 * Sends a core request through n8n with a credential, which adds the host and the token (fetching the
 * token first through its `preAuthentication` when it has none). A 401 is taken as an expired token:
 * the request goes once more with n8n watching for 401, which makes n8n log in again and repeat it.
 * Throws the core's errors only (see `toSyncError`); HTTP error statuses come back as answers.
 */
export async function sendWithCredential(
  ctx: RequestContext,
  credentialType: CredentialType,
  request: HttpRequest,
): Promise<HttpResponse> {
  const options = toN8nRequest(request);
  let first: HttpResponse;
  try {
    first = fromN8nResponse(
      await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, options),
    );
  } catch (e) {
    throw toSyncError(e, request);
  }
  if (first.status !== 401) return first;
  const again: IHttpRequestOptions = { ...options, ignoreHttpStatusErrors: { ignore: true, except: [401] } };
  try {
    return fromN8nResponse(await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, again));
  } catch (e) {
    // Still refused with a fresh token: the first answer says why.
    if (statusOf(e) === 401) return first;
    throw toSyncError(e, request);
  }
}

/** Sends without a credential (logins, discovery): `helpers.httpRequest` of any n8n context. */
export async function sendPlain(
  httpRequest: (options: IHttpRequestOptions) => Promise<unknown>,
  request: HttpRequest,
): Promise<HttpResponse> {
  try {
    return fromN8nResponse(await httpRequest(toN8nRequest(request)));
  } catch (e) {
    throw toSyncError(e, request);
  }
}

/** Sends with a credential and reads the answer with one of the core's readers. */
export async function callWithCredential<T>(
  ctx: RequestContext,
  credentialType: CredentialType,
  request: HttpRequest,
  read: (request: HttpRequest, response: HttpResponse) => T,
): Promise<T> {
  return read(request, await sendWithCredential(ctx, credentialType, request));
}

/**
 * The core's error behind whatever n8n threw. n8n wraps errors of a credential's `preAuthentication`
 * and `authenticate` in a NodeApiError whose `cause` is the original; those come from the
 * credential's own bundle of the core, so they are recognised by shape, not by class. An error
 * without an answer (connection refused, timeout) is the core's network failure.
 */
export function toSyncError(e: unknown, request: HttpRequest): SyncError {
  for (let c: unknown = e, depth = 0; c && depth < 5; c = (c as { cause?: unknown }).cause, depth++) {
    if (isSyncError(c)) return c;
    const o = c as { kind?: unknown; retryable?: unknown; toJSON?: unknown };
    if (isErrorKind(o.kind) && typeof o.retryable === 'boolean' && typeof o.toJSON === 'function') {
      return syncErrorFromJSON((o.toJSON as () => Record<string, unknown>)());
    }
  }
  const network = networkCause(e);
  if (network) return networkFailure(request, network);
  const message = (e as { message?: unknown })?.message;
  return new UpstreamError(
    `${request.operation}: ${typeof message === 'string' && message !== '' ? message : 'the request failed'}`,
    { platform: request.platform },
  );
}

/** The error with a system code (ECONNREFUSED, ETIMEDOUT…) in the cause chain, if any. */
function networkCause(e: unknown): { code: string; message?: string } | undefined {
  for (let c: unknown = e, depth = 0; c && depth < 5; c = (c as { cause?: unknown }).cause, depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code) && statusOf(c) === undefined) {
      return { code };
    }
  }
  return undefined;
}

/** The HTTP status of an error n8n threw for an answer, if it carries one. */
function statusOf(e: unknown): number | undefined {
  for (let c: unknown = e, depth = 0; c && depth < 5; c = (c as { cause?: unknown }).cause, depth++) {
    const o = c as { response?: { status?: unknown }; httpCode?: unknown };
    if (typeof o.response?.status === 'number') return o.response.status;
    if (typeof o.httpCode === 'string' && /^\d{3}$/.test(o.httpCode)) return Number(o.httpCode);
  }
  return undefined;
}
