import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../http/types.js';
import { classifyResponse, parseRetryAfter } from './classify.js';

const req = (platform: HttpRequest['platform'], headers: Record<string, string> = {}): HttpRequest => ({
  method: 'POST',
  url: 'https://login.mypurecloud.ie/oauth/token',
  headers: { authorization: 'Basic c2VjcmV0OnNlY3JldA==', ...headers },
  body: 'grant_type=client_credentials&client_secret=hunter2',
  idempotent: false,
  platform,
  operation: 'token request',
});

describe('classifyResponse', () => {
  it('says Genesys needs client credentials when the JWT-bearer grant is refused', () => {
    const e = classifyResponse(req('genesys'), {
      status: 400,
      headers: {},
      body: JSON.stringify({ error: 'unsupported_grant_type', description: 'grant type not supported' }),
    });
    expect(e.kind).toBe('authentication');
    expect(e.message).toMatch(/Client Credentials/);
    expect(e.code).toBe('unsupported_grant_type');
  });

  it('points at region and credentials on 401, with the correlation id', () => {
    const e = classifyResponse(req('genesys'), {
      status: 401,
      headers: { 'inin-correlation-id': 'corr-1' },
      body: JSON.stringify({ message: 'bad', code: 'bad.credentials', status: 401 }),
    });
    expect(e.kind).toBe('authentication');
    expect(e.message).toMatch(/GENESYS_REGION/);
    expect(e.correlationId).toBe('corr-1');
    expect(e.status).toBe(401);
  });

  it('points at roles on 403', () => {
    const e = classifyResponse(req('genesys'), {
      status: 403,
      headers: {},
      body: JSON.stringify({ code: 'missing.permissions', message: 'no' }),
    });
    expect(e.kind).toBe('permission');
    expect(e.message).toMatch(/roles/);
  });

  it('lists CXone field problems on 400', () => {
    const e = classifyResponse(req('cxone', {}), {
      status: 400,
      headers: { correlationid: 'c-9' },
      body: JSON.stringify({ errors: [{ field: 'loyalty_tier', message: 'value not allowed' }] }),
    });
    expect(e.kind).toBe('validation');
    expect(e.message).toContain('loyalty_tier: value not allowed');
    expect(e.correlationId).toBe('c-9');
    expect((e as unknown as { fields: unknown[] }).fields).toEqual([
      { field: 'loyalty_tier', message: 'value not allowed' },
    ]);
  });

  it('reads 429 Retry-After into retryAfterMs', () => {
    const e = classifyResponse(req('cognigy'), { status: 429, headers: { 'retry-after': '12' }, body: '' });
    expect(e.kind).toBe('rate-limited');
    expect((e as unknown as { retryAfterMs: number }).retryAfterMs).toBe(12_000);
  });

  it('classifies 5xx and 408 as transient, other statuses as upstream', () => {
    expect(classifyResponse(req('cxone'), { status: 503, headers: {}, body: '' }).kind).toBe('transient');
    expect(classifyResponse(req('cxone'), { status: 408, headers: {}, body: '' }).kind).toBe('transient');
    expect(classifyResponse(req('cxone'), { status: 302, headers: {}, body: '' }).kind).toBe('upstream');
  });

  it('never puts the request secrets in the message', () => {
    for (const status of [400, 401, 403, 404, 429, 500, 418]) {
      const e = classifyResponse(req('genesys'), { status, headers: {}, body: '{}' });
      expect(e.message).not.toMatch(/hunter2|c2VjcmV0/);
      expect(JSON.stringify(e.toJSON())).not.toMatch(/hunter2|c2VjcmV0/);
    }
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('classifyResponse: Genesys Cloud error bodies', () => {
  const genesys = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    classifyResponse(req('genesys'), {
      status,
      headers: { 'inin-correlation-id': 'corr-7', ...headers },
      body: JSON.stringify({ status, messageParams: {}, details: [], errors: [], ...body }),
    });

  it('names the limit a 429 ran into, with the code and the wait', () => {
    const e = genesys(
      429,
      {
        code: 'too.many.requests.retry.after',
        message: 'Rate limit exceeded the maximum. Retry the request in [3] seconds',
        limit: { key: 'client.credentials.token.rate.per.minute', namespace: 'platform.api', value: 300 },
      },
      { 'retry-after': '3' },
    );
    expect(e.kind).toBe('rate-limited');
    expect(e.code).toBe('too.many.requests.retry.after');
    expect(e.message).toContain(
      '(HTTP 429 too.many.requests.retry.after; limit platform.api client.credentials.token.rate.per.minute = 300)',
    );
    expect(e.message).toContain('retry after 3 s');
    expect(e.correlationId).toBe('corr-7');
  });

  it('fills messageWithParams from messageParams when the message is missing', () => {
    const e = genesys(503, {
      code: 'service.unavailable',
      message: '',
      messageWithParams: 'The {service} service is unavailable',
      messageParams: { service: 'analytics' },
    });
    expect(e.kind).toBe('transient');
    expect(e.message).toContain(
      'failed with HTTP 503 service.unavailable: The analytics service is unavailable',
    );
  });

  it('lists details[] of {errorCode, fieldName, entityId, entityName} as field problems', () => {
    const e = genesys(400, {
      code: 'bad.request',
      message: 'The request could not be understood by the server due to malformed syntax.',
      details: [
        {
          errorCode: 'invalid.value',
          fieldName: 'attributes.tier',
          entityId: 'p-1',
          entityName: 'participant',
        },
      ],
    });
    expect(e.kind).toBe('validation');
    expect((e as unknown as { fields: unknown[] }).fields).toEqual([
      { field: 'attributes.tier', message: 'invalid.value (participant p-1)' },
    ]);
    expect(e.message).toContain(
      'refused the data (HTTP 400): attributes.tier: invalid.value (participant p-1) [bad.request]',
    );
  });

  it('says the code of a 408, a 413 and a 504', () => {
    expect(genesys(408, { code: 'client.timeout', message: 'x' }).message).toContain(
      'HTTP 408 client.timeout',
    );
    expect(genesys(504, { code: 'request.timeout', message: 'x' }).message).toContain(
      'HTTP 504 request.timeout',
    );
    const big = genesys(413, { code: 'request.entity.too.large', message: 'too big' });
    expect(big.kind).toBe('validation');
    expect(big.message).toContain('[request.entity.too.large]');
  });
});
