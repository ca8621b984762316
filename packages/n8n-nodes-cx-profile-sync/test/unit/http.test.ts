import type { HttpRequest } from '@cx-profile-sync/core/pure';
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_HOST, fromN8nResponse, toN8nRequest } from '../../transport/http';

const request = (url: string, headers: Record<string, string>, body?: string): HttpRequest => ({
  method: 'POST',
  url,
  headers,
  ...(body !== undefined ? { body } : {}),
  idempotent: false,
  platform: 'cognigy',
  operation: 'create profile',
});

describe('toN8nRequest', () => {
  it('sends a request built for the credential with a path only and without its auth headers', () => {
    const options = toN8nRequest(
      request(
        `${CREDENTIAL_HOST}/new/v2.0/profiles?limit=1`,
        {
          'x-api-key': '',
          Authorization: 'Bearer ',
          accept: 'application/json',
          'content-type': 'application/json',
        },
        '{"a":1}',
      ),
    );
    expect(options).toMatchObject({
      method: 'POST',
      url: '/new/v2.0/profiles?limit=1',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: '{"a":1}',
      json: false,
      encoding: 'text',
      returnFullResponse: true,
      ignoreHttpStatusErrors: true,
      disableFollowRedirect: true,
    });
    expect(Object.keys(options.headers ?? {})).toEqual(['accept', 'content-type']);
  });

  it('keeps an absolute URL and its headers (logins, discovery)', () => {
    const options = toN8nRequest(
      request('https://login.mypurecloud.ie/oauth/token', { authorization: 'Basic abc' }, 'grant_type=x'),
    );
    expect(options.url).toBe('https://login.mypurecloud.ie/oauth/token');
    expect(options.headers).toEqual({ authorization: 'Basic abc' });
  });

  it('does not mistake a host that merely starts like the placeholder', () => {
    const options = toN8nRequest(request(`${CREDENTIAL_HOST}.evil.example/x`, { authorization: 'Bearer t' }));
    expect(options.url).toBe(`${CREDENTIAL_HOST}.evil.example/x`);
    expect(options.body).toBeUndefined();
  });
});

describe('fromN8nResponse', () => {
  it('lower-cases header names, joins repeated headers and keeps a text body', () => {
    expect(
      fromN8nResponse({
        statusCode: 429,
        headers: { 'Retry-After': '3', 'Set-Cookie': ['a=1', 'b=2'], Skipped: undefined },
        body: '{"message":"slow down"}',
      }),
    ).toEqual({
      status: 429,
      headers: { 'retry-after': '3', 'set-cookie': 'a=1, b=2' },
      body: '{"message":"slow down"}',
    });
  });

  it('turns a parsed or binary body back into text, and nothing into ""', () => {
    expect(fromN8nResponse({ statusCode: 200, headers: {}, body: { a: 1 } }).body).toBe('{"a":1}');
    expect(fromN8nResponse({ statusCode: 200, headers: {}, body: Buffer.from('é') }).body).toBe('é');
    expect(fromN8nResponse({ statusCode: 204, headers: {}, body: null }).body).toBe('');
    expect(fromN8nResponse(undefined)).toEqual({ status: 0, headers: {}, body: '' });
  });
});
