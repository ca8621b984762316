import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ConfigurationError,
  NotFoundError,
  RateLimitedError,
  UpstreamError,
  ValidationError,
} from '../../errors/errors.js';
import type { HttpRequest, HttpResponse } from '../../http/types.js';
import {
  buildGetContactSchemasRequest,
  buildGetConversationRequest,
  buildGetExternalContactRequest,
  buildJobResultsRequest,
  buildJobStatusRequest,
  buildJwtBearerTokenRequest,
  buildPatchParticipantAttributesRequest,
  buildSubmitConversationJobRequest,
  buildTokenRequest,
  buildTokensMeRequest,
  formatInterval,
  JWT_BEARER_GRANT_TYPE,
  readContactSchemas,
  readConversation,
  readExternalContact,
  readJobResults,
  readJobStatus,
  readJobSubmitted,
  readParticipantAttributesPatched,
  readTokenResponse,
  readTokensMe,
} from './requests.js';

const api = { apiUrl: 'https://api.mypurecloud.ie', accessToken: 'tok-SECRET' };
const ok = (body: unknown, status = 200): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json', 'inin-correlation-id': 'corr-1' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const genesysError = (status: number, code: string, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { 'inin-correlation-id': 'corr-9', ...headers },
  body: JSON.stringify({
    message: `failed: ${code}`,
    code,
    status,
    messageParams: {},
    contextId: 'corr-9',
    details: [],
    errors: [],
  }),
});
const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
};
const ownValue = (o: object, key: string) => Object.getOwnPropertyDescriptor(o, key)?.value;

function expectApiRequest(r: HttpRequest, method: string, url: string, operation: string, idempotent = true) {
  expect(r.method).toBe(method);
  expect(r.url).toBe(url);
  expect(r.operation).toBe(operation);
  expect(r.platform).toBe('genesys');
  expect(r.idempotent).toBe(idempotent);
  expect(r.headers.authorization).toBe('Bearer tok-SECRET');
  expect(r.headers.accept).toBe('application/json');
}

describe('login', () => {
  it('builds a client-credentials request with a Basic header and a form body', () => {
    const r = buildTokenRequest({
      loginUrl: 'https://login.mypurecloud.ie/',
      clientId: 'id-1',
      clientSecret: 's e=c',
    });
    expect(r.method).toBe('POST');
    expect(r.url).toBe('https://login.mypurecloud.ie/oauth/token');
    expect(r.body).toBe('grant_type=client_credentials');
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const decoded = atob(r.headers.authorization!.replace(/^Basic /, ''));
    expect(decoded).toBe('id-1:s+e%3Dc');
    expect(r.body).not.toContain('s e=c');
    expect(r).toMatchObject({ platform: 'genesys', operation: 'login', idempotent: true });
  });

  it('reads the token and its lifetime', () => {
    const r = buildTokenRequest({ loginUrl: 'https://login.x', clientId: 'a', clientSecret: 'b' });
    expect(
      readTokenResponse(r, ok({ access_token: 'abc', token_type: 'bearer', expires_in: 86400 })),
    ).toEqual({
      accessToken: 'abc',
      expiresInSeconds: 86400,
    });
  });

  it('turns invalid_client into an AuthenticationError that hides the secret', () => {
    const r = buildTokenRequest({ loginUrl: 'https://login.x', clientId: 'a', clientSecret: 'hunter2' });
    const e = thrown(() =>
      readTokenResponse(r, {
        status: 401,
        headers: {},
        body: JSON.stringify({ error: 'invalid_client', description: 'bad', error_description: 'bad' }),
      }),
    );
    expect(e).toBeInstanceOf(AuthenticationError);
    expect(e.message).not.toContain('hunter2');
    expect(e.message).toContain('Genesys Cloud login');
  });

  it('refuses a token answer without access_token or expires_in', () => {
    const r = buildTokenRequest({ loginUrl: 'https://login.x', clientId: 'a', clientSecret: 'b' });
    expect(thrown(() => readTokenResponse(r, ok({ expires_in: 5 })))).toBeInstanceOf(UpstreamError);
    expect(thrown(() => readTokenResponse(r, ok({ access_token: 'x' })))).toBeInstanceOf(UpstreamError);
    expect(thrown(() => readTokenResponse(r, ok('<html>')))).toBeInstanceOf(UpstreamError);
  });

  it('builds an RFC 7523 JWT-bearer request with grant_type, assertion and scope', () => {
    const r = buildJwtBearerTokenRequest({
      tokenUrl: 'https://idp.example/token',
      assertion: 'h.p.s',
      scope: 'read',
    });
    const form = new URLSearchParams(r.body);
    expect(form.get('grant_type')).toBe(JWT_BEARER_GRANT_TYPE);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(form.get('assertion')).toBe('h.p.s');
    expect(form.get('scope')).toBe('read');
    expect(r.url).toBe('https://idp.example/token');
    expect(r.headers.authorization).toBeUndefined();
    expect(
      new URLSearchParams(buildJwtBearerTokenRequest({ tokenUrl: 'https://t', assertion: 'a' }).body).has(
        'scope',
      ),
    ).toBe(false);
  });

  it('checks a token at /api/v2/tokens/me', () => {
    const r = buildTokensMeRequest(api);
    expectApiRequest(r, 'GET', 'https://api.mypurecloud.ie/api/v2/tokens/me', 'token check');
    expect(
      readTokensMe(
        r,
        ok({ organization: { id: 'org', name: 'Org' }, OAuthClient: { id: 'cid', name: 'sync' } }),
      ),
    ).toEqual({
      organizationId: 'org',
      organizationName: 'Org',
      clientId: 'cid',
      clientName: 'sync',
      authorizedScope: [],
    });
  });

  it('reads every field of TokenInfo, a trustee clone included, and skips what has the wrong type', () => {
    const info = readTokensMe(
      buildTokensMeRequest(api),
      ok({
        organization: { id: 'trustor', name: 'Trustor Org' },
        homeOrganization: { id: 'trustee', name: 'Trustee Org' },
        OAuthClient: { id: 'cid', name: 'sync', organization: { id: 'trustee', name: 'Trustee Org' } },
        authorizedScope: ['conversations', 7, 'analytics:readonly'],
        clonedUser: { id: 'u-1', organization: { id: 'trustee' } },
        dateTokenIdles: '2026-11-02T10:00:00.000Z',
      }),
    );
    expect(info).toEqual({
      organizationId: 'trustor',
      organizationName: 'Trustor Org',
      homeOrganizationId: 'trustee',
      homeOrganizationName: 'Trustee Org',
      clientId: 'cid',
      clientName: 'sync',
      clientOrganizationName: 'Trustee Org',
      authorizedScope: ['conversations', 'analytics:readonly'],
      clonedUser: { id: 'u-1', organizationId: 'trustee' },
      dateTokenIdles: '2026-11-02T10:00:00.000Z',
    });
    expect(readTokensMe(buildTokensMeRequest(api), ok({ dateTokenIdles: 'soon' })).dateTokenIdles).toBe(
      undefined,
    );
  });
});

describe('conversations', () => {
  const conversationBody = `{
    "id": "c-1", "startTime": "2026-10-01T10:00:00Z",
    "participants": [
      {"id": "p-ivr", "purpose": "ivr", "attributes": {"loyalty_tier": "ivr-guess"}},
      {"id": "p-cust", "purpose": "customer", "name": "Ada", "ani": "tel:+447900000001", "queueId": 7,
       "attributes": {"loyalty_tier": "gold", "__proto__": "proto-1", "constructor": "ctor"}},
      {"id": "p-agent", "purpose": "agent"}
    ]
  }`;

  it('builds GET /api/v2/conversations/{id} with the id encoded', () => {
    expectApiRequest(
      buildGetConversationRequest({ ...api, conversationId: 'a/b' }),
      'GET',
      'https://api.mypurecloud.ie/api/v2/conversations/a%2Fb',
      'get conversation',
    );
  });

  it('reads participants with their attributes as null-prototype maps', () => {
    const r = buildGetConversationRequest({ ...api, conversationId: 'c-1' });
    const c = readConversation(r, ok(conversationBody));
    expect(c.id).toBe('c-1');
    expect(c.participants.map((p) => p.purpose)).toEqual(['ivr', 'customer', 'agent']);
    const customer = c.participants[1]!;
    expect(customer).toMatchObject({ id: 'p-cust', name: 'Ada', ani: 'tel:+447900000001' });
    // A field of the wrong type is left out rather than trusted.
    expect(customer.queueId).toBeUndefined();
    expect(Object.getPrototypeOf(customer.attributes)).toBeNull();
    expect(ownValue(customer.attributes, '__proto__')).toBe('proto-1');
    expect(customer.attributes.constructor).toBe('ctor');
    expect(c.participants[2]!.attributes).toEqual({});
  });

  it('refuses a conversation whose attributes are not all strings, naming the key', () => {
    const r = buildGetConversationRequest({ ...api, conversationId: 'c-1' });
    const body = { id: 'c-1', participants: [{ id: 'p', purpose: 'customer', attributes: { n: 1 } }] };
    const e = thrown(() => readConversation(r, ok(body)));
    expect(e).toBeInstanceOf(UpstreamError);
    expect(e.message).toContain('attribute "n" is not a string');
    expect(thrown(() => readConversation(r, ok({ id: 'c-1' })))).toBeInstanceOf(UpstreamError);
  });

  it('turns 404 into NotFoundError and 429 into RateLimitedError with the wait', () => {
    const r = buildGetConversationRequest({ ...api, conversationId: 'c-1' });
    const notFound = thrown(() => readConversation(r, genesysError(404, 'not.found')));
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound.message).toContain('Genesys Cloud get conversation');
    expect((notFound as NotFoundError).correlationId).toBe('corr-9');
    const limited = thrown(() =>
      readConversation(r, genesysError(429, 'too.many.requests.retry.after', { 'retry-after': '12' })),
    );
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterMs).toBe(12_000);
    expect(limited.message).not.toContain('tok-SECRET');
  });

  it('builds the attribute PATCH as an idempotent merge, "__proto__" written as a key', () => {
    const attributes: Record<string, string> = JSON.parse('{"loyalty_tier":"gold","__proto__":"data"}');
    const r = buildPatchParticipantAttributesRequest({
      ...api,
      conversationId: 'c 1',
      participantId: 'p/1',
      attributes,
    });
    expectApiRequest(
      r,
      'PATCH',
      'https://api.mypurecloud.ie/api/v2/conversations/c%201/participants/p%2F1/attributes',
      'update participant attributes',
    );
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.body).toBe('{"attributes":{"loyalty_tier":"gold","__proto__":"data"}}');
  });

  it('refuses non-string attribute values before sending, naming them', () => {
    const e = thrown(() =>
      buildPatchParticipantAttributesRequest({
        ...api,
        conversationId: 'c',
        participantId: 'p',
        attributes: { ok: 'x', n: 5, b: true } as unknown as Record<string, string>,
      }),
    );
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).fields.map((f) => f.field)).toEqual(['n', 'b']);
  });

  it('reads the 202 of the PATCH, and a 400 as a ValidationError', () => {
    const r = buildPatchParticipantAttributesRequest({
      ...api,
      conversationId: 'c',
      participantId: 'p',
      attributes: {},
    });
    expect(() => readParticipantAttributesPatched(r, { status: 202, headers: {}, body: '' })).not.toThrow();
    expect(
      thrown(() => readParticipantAttributesPatched(r, genesysError(400, 'invalid.value'))),
    ).toBeInstanceOf(ValidationError);
  });
});

describe('external contacts', () => {
  const contact = {
    id: 'ec-1',
    firstName: 'Ada',
    lastName: 'Lovelace',
    cellPhone: { display: '+44 7900 000001', e164: '+447900000001', countryCode: 'GB', acceptsSMS: true },
    workPhone: 'not a phone object',
    personalEmail: 'ada@example.com',
    address: { city: 'London', countryCode: 'GB', extra: 1 },
    schema: { id: 'schema-1', version: 3 },
    customFields: { loyalty_tier_text: 'gold', visits_integer: 12, opted_in_checkbox: true },
    modifyDate: '2026-10-01T00:00:00.000Z',
    selfUri: '/api/v2/externalcontacts/contacts/ec-1',
  };

  it('builds the two requests', () => {
    expectApiRequest(
      buildGetExternalContactRequest({ ...api, contactId: 'ec-1' }),
      'GET',
      'https://api.mypurecloud.ie/api/v2/externalcontacts/contacts/ec-1',
      'get external contact',
    );
    expectApiRequest(
      buildGetContactSchemasRequest(api),
      'GET',
      'https://api.mypurecloud.ie/api/v2/externalcontacts/contacts/schemas',
      'get contact schemas',
    );
  });

  it('reads a contact: phones, address, schema and typed custom fields', () => {
    const c = readExternalContact(buildGetExternalContactRequest({ ...api, contactId: 'ec-1' }), ok(contact));
    expect(c).toMatchObject({
      id: 'ec-1',
      firstName: 'Ada',
      cellPhone: { e164: '+447900000001', countryCode: 'GB', acceptsSMS: true },
      address: { city: 'London', countryCode: 'GB' },
      schema: { id: 'schema-1', version: 3 },
    });
    expect(c.workPhone).toBeUndefined();
    expect(c.customFields).toEqual({
      loyalty_tier_text: 'gold',
      visits_integer: 12,
      opted_in_checkbox: true,
    });
    expect(Object.getPrototypeOf(c.customFields)).toBeNull();
  });

  it('reads a missing contact as NotFoundError', () => {
    const r = buildGetExternalContactRequest({ ...api, contactId: 'nope' });
    expect(thrown(() => readExternalContact(r, genesysError(404, 'entity.not.found')))).toBeInstanceOf(
      NotFoundError,
    );
  });

  it('reads the custom-field schemas', () => {
    const schemas = readContactSchemas(
      buildGetContactSchemasRequest(api),
      ok({
        entities: [
          {
            id: 's-1',
            name: 'Customer',
            version: 2,
            enabled: true,
            jsonSchema: { properties: { loyalty_tier_text: { type: 'string', title: 'Loyalty tier' } } },
          },
        ],
      }),
    );
    expect(schemas).toEqual([
      {
        id: 's-1',
        name: 'Customer',
        version: 2,
        enabled: true,
        properties: { loyalty_tier_text: { type: 'string', title: 'Loyalty tier' } },
      },
    ]);
  });
});

describe('analytics jobs', () => {
  it('submits a job with the interval and order; a POST is not idempotent', () => {
    const r = buildSubmitConversationJobRequest({
      ...api,
      interval: { start: new Date('2026-10-01T00:00:00Z'), end: '2026-11-01T00:00:00.000Z' },
      order: 'asc',
      orderBy: 'conversationStart',
    });
    expectApiRequest(
      r,
      'POST',
      'https://api.mypurecloud.ie/api/v2/analytics/conversations/details/jobs',
      'submit analytics job',
      false,
    );
    expect(JSON.parse(r.body!)).toEqual({
      interval: '2026-10-01T00:00:00.000Z/2026-11-01T00:00:00.000Z',
      order: 'asc',
      orderBy: 'conversationStart',
    });
    expect(readJobSubmitted(r, ok({ jobId: 'job-1' }, 202))).toEqual({ jobId: 'job-1' });
    expect(thrown(() => readJobSubmitted(r, ok({}, 202)))).toBeInstanceOf(UpstreamError);
  });

  it('refuses an interval that is not "<start>/<end>" in order', () => {
    for (const bad of [
      '2026-10-01',
      'a/b',
      '2026-11-01T00:00:00Z/2026-10-01T00:00:00Z',
      '2026-10-01/2026-10-02/x',
    ]) {
      expect(
        thrown(() => formatInterval(bad)),
        bad,
      ).toBeInstanceOf(ConfigurationError);
    }
    expect(formatInterval('2026-10-01T00:00:00Z/2026-10-02T00:00:00Z')).toBe(
      '2026-10-01T00:00:00Z/2026-10-02T00:00:00Z',
    );
  });

  it('reads the job state, and refuses a state it does not know', () => {
    const r = buildJobStatusRequest({ ...api, jobId: 'job-1' });
    expectApiRequest(
      r,
      'GET',
      'https://api.mypurecloud.ie/api/v2/analytics/conversations/details/jobs/job-1',
      'get analytics job status',
    );
    expect(readJobStatus(r, ok({ state: 'FAILED', errorMessage: 'too big', submissionDate: 'd' }))).toEqual({
      state: 'FAILED',
      errorMessage: 'too big',
      submissionDate: 'd',
    });
    expect(thrown(() => readJobStatus(r, ok({ state: 'DONE' })))).toBeInstanceOf(UpstreamError);
    expect(thrown(() => readJobStatus(r, genesysError(404, 'not.found')))).toBeInstanceOf(NotFoundError);
  });

  it('builds a results page request with cursor and page size', () => {
    expectApiRequest(
      buildJobResultsRequest({ ...api, jobId: 'job-1', cursor: 'c/1', pageSize: 1000 }),
      'GET',
      'https://api.mypurecloud.ie/api/v2/analytics/conversations/details/jobs/job-1/results?cursor=c%2F1&pageSize=1000',
      'get analytics job results',
    );
  });

  it('reads a results page: participants, attributes, sessions and the cursor', () => {
    const r = buildJobResultsRequest({ ...api, jobId: 'job-1' });
    const page = readJobResults(
      r,
      ok(`{
        "conversations": [{
          "conversationId": "c-1", "conversationStart": "2026-10-01T10:00:00Z", "conversationEnd": "2026-10-01T10:05:00Z",
          "participants": [
            {"participantId": "p-1", "participantName": "Ada", "purpose": "customer", "externalContactId": "ec-1",
             "attributes": {"tier": "gold", "__proto__": "x"},
             "sessions": [{"sessionId": "s-1", "mediaType": "voice", "direction": "inbound", "ani": "tel:+447900000001", "segments": []}]},
            {"participantId": "p-2", "purpose": "ivr"}
          ]
        }],
        "cursor": "next"
      }`),
    );
    expect(page.cursor).toBe('next');
    const [c] = page.conversations;
    expect(c).toMatchObject({ conversationId: 'c-1', conversationEnd: '2026-10-01T10:05:00Z' });
    expect(c!.participants[0]).toMatchObject({
      participantId: 'p-1',
      participantName: 'Ada',
      externalContactId: 'ec-1',
      sessions: [{ sessionId: 's-1', mediaType: 'voice', direction: 'inbound', ani: 'tel:+447900000001' }],
    });
    expect(ownValue(c!.participants[0]!.attributes, '__proto__')).toBe('x');
    expect(Object.getPrototypeOf(c!.participants[0]!.attributes)).toBeNull();
    expect(c!.participants[1]).toMatchObject({ attributes: {}, sessions: [] });

    expect(readJobResults(r, ok({}))).toEqual({ conversations: [] });
    expect(readJobResults(r, ok({ conversations: [] })).cursor).toBeUndefined();
    expect(thrown(() => readJobResults(r, ok({ conversations: [{ conversationId: 'c' }] })))).toBeInstanceOf(
      UpstreamError,
    );
    // Results of a job that is not FULFILLED yet: the 400 becomes a ValidationError.
    expect(thrown(() => readJobResults(r, genesysError(400, 'bad.request')))).toBeInstanceOf(ValidationError);
  });
});
