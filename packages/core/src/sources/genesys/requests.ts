import { ConfigurationError, ValidationError } from '../../errors/errors.js';
import { isObject, readEmpty, readJson } from '../../http/read.js';
import {
  basicAuth,
  formBody,
  type HttpMethod,
  type HttpRequest,
  type HttpResponse,
  joinUrl,
  jsonBody,
} from '../../http/types.js';
import { type AttributeValue, attributeMap } from '../types.js';
import {
  GENESYS_JOB_STATES,
  type GenesysAccessToken,
  type GenesysAnalyticsConversation,
  type GenesysAnalyticsParticipant,
  type GenesysAnalyticsSession,
  type GenesysApiTarget,
  type GenesysContactSchema,
  type GenesysConversation,
  type GenesysDataAvailability,
  type GenesysExternalContact,
  type GenesysInterval,
  type GenesysJobResults,
  type GenesysJobState,
  type GenesysJobStatus,
  type GenesysParticipant,
  type GenesysPhoneNumber,
  type GenesysTokenInfo,
  type ParticipantAttributes,
} from './types.js';

/**
 * The Genesys Cloud calls a sync makes, as plain requests and answers (no I/O). Builders take the
 * API URL and a token; readers turn an answer into typed data, or throw the taxonomy's error
 * (a non-2xx status through `classifyResponse`, an unusable body as an UpstreamError).
 */

const JSON_ACCEPT = { accept: 'application/json' };
const segment = (s: string) => encodeURIComponent(s);

function apiRequest(
  target: GenesysApiTarget,
  method: HttpMethod,
  path: string,
  operation: string,
  extra: { query?: Record<string, string | number | undefined>; body?: unknown; idempotent?: boolean } = {},
): HttpRequest {
  const body = extra.body !== undefined ? jsonBody(extra.body) : undefined;
  return {
    method,
    url: joinUrl(target.apiUrl, path, extra.query),
    headers: { ...JSON_ACCEPT, authorization: `Bearer ${target.accessToken}`, ...(body ? body.headers : {}) },
    ...(body ? { body: body.body } : {}),
    idempotent: extra.idempotent ?? true,
    platform: 'genesys',
    operation,
  };
}

// ---- small shape helpers: pick a field only when it has the expected type ----

const str = (o: Record<string, unknown>, key: string): string | undefined =>
  typeof o[key] === 'string' ? (o[key] as string) : undefined;

const num = (o: Record<string, unknown>, key: string): number | undefined =>
  typeof o[key] === 'number' && Number.isFinite(o[key]) ? (o[key] as number) : undefined;

/** Copies the string fields named in `keys` that are present. */
function pickStrings<K extends string>(
  o: Record<string, unknown>,
  keys: readonly K[],
): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) {
    const v = str(o, k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Why a participant-data map is not string → string, or undefined when it is (or is absent). */
function attributesProblem(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) return `${where}: attributes is not an object`;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') return `${where}: attribute "${k}" is not a string`;
  }
  return undefined;
}

/** Participant data as a null-prototype map: "__proto__" and "constructor" stay plain keys. */
function toAttributes(value: unknown): ParticipantAttributes {
  return attributeMap(
    isObject(value) ? Object.entries(value as Record<string, string>) : [],
  ) as ParticipantAttributes;
}

// ---- login ----

/** Client credentials at `POST {loginUrl}/oauth/token`: id and secret in a Basic header, a form body. */
export function buildTokenRequest(params: {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
}): HttpRequest {
  const form = formBody({ grant_type: 'client_credentials' });
  return {
    method: 'POST',
    url: joinUrl(params.loginUrl, '/oauth/token'),
    headers: {
      ...JSON_ACCEPT,
      authorization: basicAuth(params.clientId, params.clientSecret),
      ...form.headers,
    },
    body: form.body,
    // Asking again only yields another token.
    idempotent: true,
    platform: 'genesys',
    operation: 'login',
  };
}

/** The RFC 7523 grant type. Genesys Cloud's own login does not offer it (it answers unsupported_grant_type). */
export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * An RFC 7523 §2.1 token request (`grant_type`, `assertion`, optional `scope`) for a token server
 * that accepts signed assertions. The assertion is signed elsewhere (auth/jwt-bearer.ts). Genesys
 * Cloud itself answers `unsupported_grant_type`, which the error taxonomy explains.
 */
export function buildJwtBearerTokenRequest(params: {
  tokenUrl: string;
  assertion: string;
  scope?: string;
}): HttpRequest {
  const form = formBody({
    grant_type: JWT_BEARER_GRANT_TYPE,
    assertion: params.assertion,
    ...(params.scope ? { scope: params.scope } : {}),
  });
  return {
    method: 'POST',
    url: params.tokenUrl,
    headers: { ...JSON_ACCEPT, ...form.headers },
    body: form.body,
    idempotent: true,
    platform: 'genesys',
    operation: 'login (JWT bearer)',
  };
}

/** `{access_token, token_type, expires_in}` → the token and its lifetime. */
export function readTokenResponse(request: HttpRequest, response: HttpResponse): GenesysAccessToken {
  const body = readJson<Record<string, unknown>>(request, response, (b) => {
    if (!isObject(b)) return 'the token answer is not an object';
    if (typeof b.access_token !== 'string' || b.access_token === '')
      return 'the token answer has no access_token';
    if (!(Number(b.expires_in) > 0)) return 'the token answer has no positive expires_in';
    return undefined;
  });
  return { accessToken: body.access_token as string, expiresInSeconds: Number(body.expires_in) };
}

/** `GET /api/v2/tokens/me`: checks a token and says whose it is. */
export function buildTokensMeRequest(target: GenesysApiTarget): HttpRequest {
  return apiRequest(target, 'GET', '/api/v2/tokens/me', 'token check');
}

export function readTokensMe(request: HttpRequest, response: HttpResponse): GenesysTokenInfo {
  const body = readJson<Record<string, unknown>>(request, response, (b) =>
    isObject(b) ? undefined : 'the token information is not an object',
  );
  const obj = (v: unknown): Record<string, unknown> => (isObject(v) ? v : {});
  const org = obj(body.organization);
  const home = obj(body.homeOrganization);
  const client = obj(body.OAuthClient);
  const scopes = Array.isArray(body.authorizedScope) ? body.authorizedScope : [];
  const info: GenesysTokenInfo = {
    authorizedScope: scopes.filter((s): s is string => typeof s === 'string'),
  };
  if (typeof org.id === 'string') info.organizationId = org.id;
  if (typeof org.name === 'string') info.organizationName = org.name;
  if (typeof home.id === 'string') info.homeOrganizationId = home.id;
  if (typeof home.name === 'string') info.homeOrganizationName = home.name;
  if (typeof client.id === 'string') info.clientId = client.id;
  if (typeof client.name === 'string') info.clientName = client.name;
  const clientOrg = obj(client.organization);
  if (typeof clientOrg.name === 'string') info.clientOrganizationName = clientOrg.name;
  if (isObject(body.clonedUser)) {
    const cloned = body.clonedUser;
    const clonedOrg = obj(cloned.organization);
    info.clonedUser = {
      ...(typeof cloned.id === 'string' ? { id: cloned.id } : {}),
      ...(typeof clonedOrg.id === 'string' ? { organizationId: clonedOrg.id } : {}),
    };
  }
  const idles = str(body, 'dateTokenIdles');
  if (idles !== undefined && !Number.isNaN(Date.parse(idles))) info.dateTokenIdles = idles;
  return info;
}

// ---- conversations ----

export function buildGetConversationRequest(
  params: GenesysApiTarget & { conversationId: string },
): HttpRequest {
  return apiRequest(
    params,
    'GET',
    `/api/v2/conversations/${segment(params.conversationId)}`,
    'get conversation',
  );
}

const PARTICIPANT_STRINGS = [
  'name',
  'ani',
  'dnis',
  'address',
  'externalContactId',
  'externalOrganizationId',
  'queueId',
  'userId',
  'startTime',
  'endTime',
] as const;

export function readConversation(request: HttpRequest, response: HttpResponse): GenesysConversation {
  const body = readJson<Record<string, unknown>>(request, response, (b) => {
    if (!isObject(b) || typeof b.id !== 'string') return 'the conversation has no id';
    if (!Array.isArray(b.participants)) return 'the conversation has no participants array';
    for (const [i, p] of (b.participants as unknown[]).entries()) {
      if (!isObject(p) || typeof p.id !== 'string') return `participant ${i} has no id`;
      if (typeof p.purpose !== 'string') return `participant ${p.id} has no purpose`;
      const problem = attributesProblem(p.attributes, `participant ${p.id}`);
      if (problem) return problem;
    }
    return undefined;
  });
  const participants = (body.participants as Record<string, unknown>[]).map(
    (p): GenesysParticipant => ({
      id: p.id as string,
      purpose: p.purpose as string,
      ...pickStrings(p, PARTICIPANT_STRINGS),
      attributes: toAttributes(p.attributes),
    }),
  );
  return { id: body.id as string, ...pickStrings(body, ['startTime', 'endTime'] as const), participants };
}

/**
 * `PATCH …/participants/{participantId}/attributes` with `{"attributes":{…}}`: a merge (keys not sent
 * keep their values), so sending it twice is harmless. Values must be strings: anything else is
 * refused here, before a request is made.
 */
export function buildPatchParticipantAttributesRequest(
  params: GenesysApiTarget & {
    conversationId: string;
    participantId: string;
    attributes: ParticipantAttributes;
  },
): HttpRequest {
  const wrong = Object.entries(params.attributes).filter(([, v]) => typeof v !== 'string');
  if (wrong.length > 0) {
    throw new ValidationError(
      `Genesys Cloud participant data takes string values only: ${wrong.map(([k]) => k).join(', ')}`,
      {
        platform: 'genesys',
        fields: wrong.map(([field, v]) => ({
          field,
          message: `must be a string, not ${v === null ? 'null' : typeof v}`,
        })),
      },
    );
  }
  // A null-prototype copy: JSON.stringify writes "__proto__" as an ordinary key.
  const attributes = attributeMap(Object.entries(params.attributes));
  return apiRequest(
    params,
    'PATCH',
    `/api/v2/conversations/${segment(params.conversationId)}/participants/${segment(params.participantId)}/attributes`,
    'update participant attributes',
    { body: { attributes } },
  );
}

/** The PATCH answers 202 with no body; only the status matters. */
export function readParticipantAttributesPatched(request: HttpRequest, response: HttpResponse): void {
  readEmpty(request, response);
}

// ---- external contacts ----

export function buildGetExternalContactRequest(
  params: GenesysApiTarget & { contactId: string },
): HttpRequest {
  return apiRequest(
    params,
    'GET',
    `/api/v2/externalcontacts/contacts/${segment(params.contactId)}`,
    'get external contact',
  );
}

export function buildGetContactSchemasRequest(target: GenesysApiTarget): HttpRequest {
  return apiRequest(target, 'GET', '/api/v2/externalcontacts/contacts/schemas', 'get contact schemas');
}

const CONTACT_STRINGS = [
  'firstName',
  'middleName',
  'lastName',
  'salutation',
  'title',
  'workEmail',
  'personalEmail',
  'otherEmail',
  'modifyDate',
  'createDate',
  'type',
] as const;
const PHONES = ['workPhone', 'cellPhone', 'homePhone', 'otherPhone'] as const;

function contactProblem(c: unknown, where: string): string | undefined {
  if (!isObject(c) || typeof c.id !== 'string') return `${where} has no id`;
  if (c.customFields !== undefined && c.customFields !== null && !isObject(c.customFields))
    return `contact ${c.id}: customFields is not an object`;
  return undefined;
}

function toPhone(value: unknown): GenesysPhoneNumber | undefined {
  if (!isObject(value)) return undefined;
  const phone: GenesysPhoneNumber = pickStrings(value, [
    'display',
    'e164',
    'countryCode',
    'extension',
    'userInput',
    'normalizationCountryCode',
  ] as const);
  if (typeof value.acceptsSMS === 'boolean') phone.acceptsSMS = value.acceptsSMS;
  return phone;
}

function toContact(c: Record<string, unknown>): GenesysExternalContact {
  const contact: GenesysExternalContact = {
    id: c.id as string,
    ...pickStrings(c, CONTACT_STRINGS),
    customFields: attributeMap(
      isObject(c.customFields) ? Object.entries(c.customFields as Record<string, AttributeValue>) : [],
    ),
  };
  for (const k of PHONES) {
    const phone = toPhone(c[k]);
    if (phone) contact[k] = phone;
  }
  if (isObject(c.address)) {
    contact.address = pickStrings(c.address, [
      'address1',
      'address2',
      'city',
      'state',
      'postalCode',
      'countryCode',
    ] as const);
  }
  if (isObject(c.schema) && typeof c.schema.id === 'string') {
    contact.schema = {
      id: c.schema.id,
      ...(typeof c.schema.version === 'number' ? { version: c.schema.version } : {}),
    };
  }
  return contact;
}

export function readExternalContact(request: HttpRequest, response: HttpResponse): GenesysExternalContact {
  const body = readJson<Record<string, unknown>>(request, response, (b) => contactProblem(b, 'the contact'));
  return toContact(body);
}

export function readContactSchemas(request: HttpRequest, response: HttpResponse): GenesysContactSchema[] {
  const body = readJson<Record<string, unknown>>(request, response, (b) => {
    if (!isObject(b) || !Array.isArray(b.entities)) return 'the schema list has no entities array';
    for (const [i, s] of (b.entities as unknown[]).entries()) {
      if (!isObject(s) || typeof s.id !== 'string') return `schema ${i} has no id`;
    }
    return undefined;
  });
  return (body.entities as Record<string, unknown>[]).map((s) => {
    const jsonSchema = isObject(s.jsonSchema) ? s.jsonSchema : {};
    const properties: Record<string, Record<string, unknown>> = Object.create(null);
    if (isObject(jsonSchema.properties)) {
      for (const [k, v] of Object.entries(jsonSchema.properties)) if (isObject(v)) properties[k] = v;
    }
    return {
      id: s.id as string,
      name: str(s, 'name') ?? (s.id as string),
      version: num(s, 'version') ?? 1,
      enabled: s.enabled !== false,
      properties,
    };
  });
}

// ---- analytics conversation-detail jobs ----

const JOBS = '/api/v2/analytics/conversations/details/jobs';

/** `<ISO start>/<ISO end>` from either form, checked: both ends dates, start before end. */
export function formatInterval(interval: GenesysInterval): string {
  const iso = (v: Date | string) => (v instanceof Date ? v.toISOString() : v);
  const text = typeof interval === 'string' ? interval : `${iso(interval.start)}/${iso(interval.end)}`;
  const parts = text.split('/');
  const start = Date.parse(parts[0] ?? '');
  const end = Date.parse(parts[1] ?? '');
  if (parts.length !== 2 || Number.isNaN(start) || Number.isNaN(end) || start >= end) {
    throw new ConfigurationError(
      `an analytics interval must be "<ISO start>/<ISO end>" with the start first, got "${text}"`,
      { platform: 'genesys' },
    );
  }
  return text;
}

/**
 * Submits a conversation-detail job (the only bulk read that includes participant attributes). Not
 * idempotent: sending it twice makes two jobs.
 */
export function buildSubmitConversationJobRequest(
  params: GenesysApiTarget & {
    interval: GenesysInterval;
    order?: 'asc' | 'desc';
    orderBy?: string;
    conversationFilters?: unknown[];
    segmentFilters?: unknown[];
  },
): HttpRequest {
  const body = {
    interval: formatInterval(params.interval),
    ...(params.order ? { order: params.order } : {}),
    ...(params.orderBy ? { orderBy: params.orderBy } : {}),
    ...(params.conversationFilters ? { conversationFilters: params.conversationFilters } : {}),
    ...(params.segmentFilters ? { segmentFilters: params.segmentFilters } : {}),
  };
  return apiRequest(params, 'POST', JOBS, 'submit analytics job', { body, idempotent: false });
}

export function readJobSubmitted(request: HttpRequest, response: HttpResponse): { jobId: string } {
  const body = readJson<Record<string, unknown>>(request, response, (b) =>
    isObject(b) && typeof b.jobId === 'string' && b.jobId !== '' ? undefined : 'the answer has no jobId',
  );
  return { jobId: body.jobId as string };
}

export function buildJobStatusRequest(params: GenesysApiTarget & { jobId: string }): HttpRequest {
  return apiRequest(params, 'GET', `${JOBS}/${segment(params.jobId)}`, 'get analytics job status');
}

export function readJobStatus(request: HttpRequest, response: HttpResponse): GenesysJobStatus {
  const body = readJson<Record<string, unknown>>(request, response, (b) => {
    if (!isObject(b)) return 'the job status is not an object';
    if (!GENESYS_JOB_STATES.includes(b.state as GenesysJobState))
      return `the job state ${JSON.stringify(b.state)} is not one of ${GENESYS_JOB_STATES.join(', ')}`;
    return undefined;
  });
  return {
    state: body.state as GenesysJobState,
    ...pickStrings(body, ['submissionDate', 'expirationDate', 'errorMessage'] as const),
  };
}

/**
 * How far the data that analytics jobs read reaches: a job over a window that ends later silently
 * holds only the conversations that started before `dataAvailabilityDate` (hours behind on real orgs).
 */
export function buildDataAvailabilityRequest(params: GenesysApiTarget): HttpRequest {
  return apiRequest(params, 'GET', `${JOBS}/availability`, 'get analytics data availability');
}

export function readDataAvailability(request: HttpRequest, response: HttpResponse): GenesysDataAvailability {
  const body = readJson<Record<string, unknown>>(request, response, (b) =>
    isObject(b) &&
    typeof b.dataAvailabilityDate === 'string' &&
    !Number.isNaN(Date.parse(b.dataAvailabilityDate))
      ? undefined
      : 'the answer has no dataAvailabilityDate',
  );
  return { dataAvailabilityDate: new Date(body.dataAvailabilityDate as string).toISOString() };
}

/** One page of a FULFILLED job: at most 1,000 conversations; pass the previous page's `cursor`. */
export function buildJobResultsRequest(
  params: GenesysApiTarget & { jobId: string; cursor?: string; pageSize?: number },
): HttpRequest {
  return apiRequest(params, 'GET', `${JOBS}/${segment(params.jobId)}/results`, 'get analytics job results', {
    query: { cursor: params.cursor, pageSize: params.pageSize },
  });
}

const SESSION_STRINGS = [
  'sessionId',
  'mediaType',
  'direction',
  'ani',
  'dnis',
  'addressFrom',
  'addressTo',
] as const;

export function readJobResults(request: HttpRequest, response: HttpResponse): GenesysJobResults {
  const body = readJson<Record<string, unknown>>(request, response, (b) => {
    if (!isObject(b)) return 'the job results are not an object';
    // An empty page may leave the list out.
    if (b.conversations === undefined) return undefined;
    if (!Array.isArray(b.conversations)) return 'conversations is not an array';
    for (const [i, c] of (b.conversations as unknown[]).entries()) {
      if (!isObject(c) || typeof c.conversationId !== 'string')
        return `conversation ${i} has no conversationId`;
      if (typeof c.conversationStart !== 'string')
        return `conversation ${c.conversationId} has no conversationStart`;
      if (c.participants !== undefined && !Array.isArray(c.participants))
        return `conversation ${c.conversationId}: participants is not an array`;
      for (const [j, p] of ((c.participants as unknown[] | undefined) ?? []).entries()) {
        const where = `conversation ${c.conversationId} participant ${j}`;
        if (!isObject(p) || typeof p.participantId !== 'string') return `${where} has no participantId`;
        const problem = attributesProblem(p.attributes, where);
        if (problem) return problem;
      }
    }
    return undefined;
  });
  const conversations = ((body.conversations as Record<string, unknown>[] | undefined) ?? []).map(
    (c): GenesysAnalyticsConversation => ({
      conversationId: c.conversationId as string,
      conversationStart: c.conversationStart as string,
      ...pickStrings(c, ['conversationEnd'] as const),
      participants: ((c.participants as Record<string, unknown>[] | undefined) ?? []).map(
        (p): GenesysAnalyticsParticipant => ({
          participantId: p.participantId as string,
          purpose: str(p, 'purpose') ?? '',
          ...pickStrings(p, ['participantName', 'externalContactId'] as const),
          attributes: toAttributes(p.attributes),
          sessions: (Array.isArray(p.sessions) ? (p.sessions as unknown[]) : [])
            .filter(isObject)
            .map((s): GenesysAnalyticsSession => pickStrings(s, SESSION_STRINGS)),
        }),
      ),
    }),
  );
  const cursor = str(body, 'cursor');
  const available = str(body, 'dataAvailabilityDate');
  return {
    conversations,
    ...(cursor ? { cursor } : {}),
    ...(available && !Number.isNaN(Date.parse(available))
      ? { dataAvailabilityDate: new Date(available).toISOString() }
      : {}),
  };
}
