import type { FastifyReply, FastifyRequest } from 'fastify';

/** One problem in a request body, as listed in an error's `details`. */
export interface CognigyDetail {
  field: string;
  message: string;
}

/** The API's own error codes (the official client maps them to its error classes). */
export const ERROR_CODES = {
  badRequest: 400,
  unauthorized: 401,
  forbidden: 403,
  payloadTooLarge: 413,
  tooManyRequests: 429,
  missingArgument: 1000,
  notFound: 1002,
  conflict: 1004,
  invalidArgument: 1005,
  internal: 1008,
  timeout: 8001,
} as const;

const STATUS_TEXT: Record<number, [type: string, title: string, code: number]> = {
  400: ['Bad Request', 'Bad Request Error', ERROR_CODES.invalidArgument],
  401: ['Unauthorized', 'Unauthorized Error', ERROR_CODES.unauthorized],
  403: ['Forbidden', 'Forbidden Error', ERROR_CODES.forbidden],
  404: ['Not Found', 'Resource Not Found Error', ERROR_CODES.notFound],
  408: ['Request Timeout', 'Timeout Error', ERROR_CODES.timeout],
  409: ['Conflict', 'Conflict Error', ERROR_CODES.conflict],
  413: ['Payload Too Large', 'Payload Too Large Error', ERROR_CODES.payloadTooLarge],
  415: ['Unsupported Media Type', 'Bad Request Error', ERROR_CODES.badRequest],
  429: ['Too Many Requests', 'Too Many Requests Error', ERROR_CODES.tooManyRequests],
  500: ['Internal Server Error', 'Internal Server Error', ERROR_CODES.internal],
  502: ['Bad Gateway', 'Bad Gateway Error', 502],
  503: ['Service Unavailable', 'Service Unavailable Error', 503],
  504: ['Gateway Timeout', 'Gateway Timeout Error', 504],
};

/**
 * Cognigy.AI's error body (RFC 7807-like): `{type, title, status, detail, instance, code, traceId,
 * details}`. `code` is the API's numeric error code; a numeric `code` argument (from a fault rule) is
 * kept, any other is replaced by the status's usual code. No correlation header is documented, so
 * the correlation id travels as `traceId` only.
 */
export function cognigyErrorBody(
  status: number,
  code: string,
  message: string,
  correlationId: string,
  extra: { instance?: string; details?: CognigyDetail[] } = {},
) {
  const [type, title, usual] = STATUS_TEXT[status] ?? ['Error', 'Error', status];
  return {
    type,
    title,
    status,
    detail: message,
    instance: extra.instance ?? '',
    code: /^\d+$/.test(code) ? Number(code) : usual,
    traceId: correlationId,
    details: extra.details ?? {},
  };
}

/** Answers an error with the request's path as `instance` and, for validation, the offending fields. */
export function sendCognigyError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  message: string,
  more: { code?: number; details?: CognigyDetail[]; headers?: Record<string, string> } = {},
) {
  const body = cognigyErrorBody(
    status,
    more.code !== undefined ? String(more.code) : '',
    message,
    request.correlationId,
    { instance: request.url.split('?')[0]!, ...(more.details ? { details: more.details } : {}) },
  );
  return reply
    .code(status)
    .headers(more.headers ?? {})
    .send(body);
}

/** "Validation failed." and every problem, for the error's `detail`. */
export function validationMessage(problems: CognigyDetail[]): string {
  return `Validation failed. ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`;
}
