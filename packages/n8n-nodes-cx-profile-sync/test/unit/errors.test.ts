import {
  AuthenticationError,
  ConfigurationError,
  type HttpRequest,
  NotFoundError,
  TransientError,
  UpstreamError,
  ValidationError,
} from '@cx-profile-sync/core/pure';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { asSyncError, errorJson, ItemFailure, toNodeError } from '../../shared/errors';
import { toSyncError } from '../../transport';
import { NODE } from './fake-n8n';

const request: HttpRequest = {
  method: 'GET',
  url: 'https://api.example/api/v2/conversations/c1',
  headers: {},
  idempotent: true,
  platform: 'genesys',
  operation: 'get conversation',
};

describe('toNodeError', () => {
  it("makes an error with an HTTP answer a NodeApiError: the core's message, the status, the correlation id", () => {
    const e = toNodeError(
      NODE,
      new NotFoundError(
        'Genesys Cloud get conversation: not found (HTTP 404 not.found) (correlation id abc-1)',
        {
          platform: 'genesys',
          status: 404,
          code: 'not.found',
          correlationId: 'abc-1',
        },
      ),
      2,
    );
    expect(e).toBeInstanceOf(NodeApiError);
    expect(e.message).toBe(
      'Genesys Cloud get conversation: not found (HTTP 404 not.found) (correlation id abc-1)',
    );
    expect((e as NodeApiError).httpCode).toBe('404');
    expect(e.description).toBe(
      'Kind: not-found, platform: genesys, HTTP 404, code: not.found, correlation id: abc-1.',
    );
    expect(e.context.itemIndex).toBe(2);
  });

  it('makes an error without an answer a NodeOperationError, listing refused fields', () => {
    const e = toNodeError(
      NODE,
      new ValidationError('refused before sending', {
        platform: 'cxone',
        fields: [{ field: 'loyalty_tier', message: 'is not one of its values' }],
      }),
    );
    expect(e).toBeInstanceOf(NodeOperationError);
    expect(e.message).toBe('refused before sending');
    expect(e.description).toBe(
      'Kind: validation, platform: cxone. Fields: loyalty_tier: is not one of its values.',
    );
  });

  it("keeps n8n's own errors and uses an ItemFailure's error", () => {
    const own = new NodeOperationError(NODE, 'already an n8n error');
    expect(toNodeError(NODE, own)).toBe(own);
    const failure = new ItemFailure(
      new AuthenticationError('refused', { platform: 'cxone', status: 401 }),
      {},
    );
    expect(toNodeError(NODE, failure)).toBeInstanceOf(NodeApiError);
    expect(toNodeError(NODE, new Error('plain')).message).toBe('plain');
  });
});

describe('errorJson (continue on fail)', () => {
  it("holds the message and the core's details, plus what an ItemFailure kept", () => {
    const error = new TransientError('Cognigy.AI update profile failed with HTTP 503', {
      platform: 'cognigy',
      status: 503,
      correlationId: 't-9',
    });
    expect(errorJson(error)).toEqual({
      error: 'Cognigy.AI update profile failed with HTTP 503',
      details: {
        kind: 'transient',
        message: error.message,
        platform: 'cognigy',
        status: 503,
        correlationId: 't-9',
      },
    });
    expect(errorJson(new ItemFailure(error, { targets: [{ target: 'cxone' }] }))).toMatchObject({
      targets: [{ target: 'cxone' }],
      error: error.message,
      details: { kind: 'transient' },
    });
    expect(errorJson(new NodeOperationError(NODE, 'Could not get parameter'))).toEqual({
      error: 'Could not get parameter',
    });
  });

  it('asSyncError keeps taxonomy errors and wraps others', () => {
    const e = new ConfigurationError('x');
    expect(asSyncError(e)).toBe(e);
    expect(asSyncError('boom')).toBeInstanceOf(UpstreamError);
  });
});

describe('toSyncError (what n8n threw → the core error)', () => {
  it('finds a core error thrown in a credential (another bundle) inside the NodeApiError n8n wraps it in', () => {
    // As the credential's bundle makes it: same shape, another class.
    const foreign = Object.assign(
      new Error('Genesys Cloud login refused the credentials (HTTP 401 invalid_client)'),
      {
        kind: 'authentication',
        retryable: false,
        toJSON: () => ({
          kind: 'authentication',
          message: 'Genesys Cloud login refused the credentials (HTTP 401 invalid_client)',
          platform: 'genesys',
          status: 401,
          code: 'invalid_client',
        }),
      },
    );
    const e = toSyncError(new NodeApiError(NODE, foreign as never), request);
    expect(e).toBeInstanceOf(AuthenticationError);
    expect(e).toMatchObject({ status: 401, code: 'invalid_client', platform: 'genesys' });
    expect(e.message).toBe('Genesys Cloud login refused the credentials (HTTP 401 invalid_client)');
  });

  it('returns a core error of this bundle as it is', () => {
    const own = new NotFoundError('nf');
    expect(toSyncError(own, request)).toBe(own);
  });

  it('makes a request that got no answer a TransientError naming the host, never the headers', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const e = toSyncError(new NodeApiError(NODE, refused as never), request);
    expect(e).toBeInstanceOf(TransientError);
    expect(e.message).toBe(
      'Genesys Cloud get conversation: no answer from api.example (ECONNREFUSED); check the host and the network',
    );
  });

  it('makes anything else an UpstreamError with the operation', () => {
    expect(toSyncError(new Error('odd'), request)).toMatchObject({
      kind: 'upstream',
      message: 'get conversation: odd',
    });
  });
});
