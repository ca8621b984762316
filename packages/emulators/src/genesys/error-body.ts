import type { FastifyReply, FastifyRequest } from 'fastify';

/** The ErrorBody's optional fields, where an error has them. */
export interface GenesysErrorExtras {
  entityId?: string;
  entityName?: string;
  /** The message with `{name}` placeholders for `messageParams`. */
  messageWithParams?: string;
  messageParams?: Record<string, string>;
  details?: { errorCode?: string; fieldName?: string; entityId?: string; entityName?: string }[];
  /** The limit a 429 (or a 400 over a size limit) ran into. */
  limit?: { key: string; namespace: string; value: number };
}

/**
 * Genesys Cloud's documented ErrorBody: message, code, status, messageParams, contextId, details,
 * errors, and where they apply entityId, entityName, messageWithParams and limit.
 */
export function genesysErrorBody(
  status: number,
  code: string,
  message: string,
  correlationId: string,
  extras: GenesysErrorExtras = {},
) {
  return {
    message,
    code,
    status,
    messageParams: {},
    contextId: correlationId,
    details: [],
    errors: [],
    ...extras,
  };
}

/**
 * The codes the Platform API sends with these statuses (assumed messages: the documentation lists the
 * codes, not the wording). A 429 names the retry in its code only when it sends Retry-After.
 */
export function genesysStatusError(
  status: number,
  retryAfter?: string | number,
): { code: string; message: string } | undefined {
  switch (status) {
    case 401:
      return { code: 'bad.credentials', message: 'Invalid login credentials.' };
    case 408:
      return {
        code: 'client.timeout',
        message: 'The client did not produce a request within the time that the server was prepared to wait.',
      };
    case 413:
      return {
        code: 'request.entity.too.large',
        message: 'The request is larger than the server will accept.',
      };
    case 429:
      return retryAfter === undefined
        ? { code: 'too.many.requests', message: 'Rate limit exceeded the maximum.' }
        : {
            code: 'too.many.requests.retry.after',
            message: `Rate limit exceeded the maximum. Retry the request in [${retryAfter}] seconds`,
          };
    case 503:
      return {
        code: 'service.unavailable',
        message: 'The service is currently unavailable; it may be overloaded or down for maintenance.',
      };
    case 504:
      return { code: 'request.timeout', message: 'The request timed out.' };
    default:
      return undefined;
  }
}

/** The documented limit a client-credentials token runs into: requests a minute per token. */
export const GENESYS_TOKEN_RATE_LIMIT = {
  key: 'client.credentials.token.rate.per.minute',
  namespace: 'platform.api',
};

/** Sends a Genesys ErrorBody with its optional fields (the shared `sendError` sends the plain body). */
export function sendGenesysError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  extras: GenesysErrorExtras,
): FastifyReply {
  return reply.code(status).send(genesysErrorBody(status, code, message, request.correlationId, extras));
}
