import {
  type HttpRequest,
  type HttpResponse,
  isErrorKind,
  isSyncError,
  networkFailure,
  type PlainSend,
  type Send,
  type SyncError,
  syncErrorFromJSON,
  UpstreamError,
  type Waiting,
} from '@cx-profile-sync/core/pure';
import {
  type IExecuteFunctions,
  type IHttpRequestOptions,
  type ILoadOptionsFunctions,
  sleep,
} from 'n8n-workflow';
import { fromN8nResponse, toN8nRequest } from './http';

/**
 * The package's only I/O: the core's flows (CxoneApi, CognigyApi, GenesysApi, cxoneLogin…) build
 * requests and read answers; the `send` made here carries them over n8n's request helpers, with a
 * credential or, for logins, without one.
 */

export { CREDENTIAL_HOST } from './http';

/** What the transport needs of n8n: a node's execute or load-options context. */
export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

/** A credential type of this package. */
export type CredentialType = 'genesysCloudApi' | 'niceCxoneApi' | 'cognigyAiApi';

/** n8n's `helpers.httpRequest` (of a node, or of a credential's `preAuthentication`). */
export type N8nHttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

/**
 * A core `Send` over a credential. The flows build their requests for `connection`, a placeholder
 * (the CREDENTIAL_HOST and an empty secret): the credential's `authenticate` puts the real host and
 * token on each request, so the node never holds either.
 */
export function credentialSend<Connection>(
  ctx: RequestContext,
  credentialType: CredentialType,
  connection: Connection,
): Send<Connection> {
  return async (build, read) => {
    const request = build(connection);
    return read(request, await sendWithCredential(ctx, credentialType, request));
  };
}

/** A core `PlainSend` (logins, discovery: the request goes as built), for a credential's `preAuthentication`. */
export function plainSend(httpRequest: N8nHttpRequest): PlainSend {
  return async (request, read) => {
    let response: HttpResponse;
    try {
      response = fromN8nResponse(await httpRequest(toN8nRequest(request)));
    } catch (e) {
      throw toSyncError(e, request);
    }
    return read(request, response);
  };
}

/** How a node waits while Genesys Cloud runs a job: n8n's `sleep` and the wall clock. */
export const n8nWaiting: Waiting = { now: () => Date.now(), sleep };

/**
 * Sends a core request through n8n with a credential, which adds the host and the token (fetching the
 * token first through its `preAuthentication` when it has none). A 401 is taken as an expired token:
 * the request goes once more with n8n watching for 401, which makes n8n log in again and repeat it.
 * Throws the core's errors only (see `toSyncError`); HTTP error statuses come back as answers.
 */
async function sendWithCredential(
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
