import { signJwtBearerAssertion } from '../../auth/jwt-bearer.js';
import type { GenesysConfig } from '../../config.js';
import { NotFoundError, UpstreamError } from '../../errors/errors.js';
import { type Authenticator, call } from '../../http/execute.js';
import type { HttpRequest, HttpResponse } from '../../http/types.js';
import { systemClock } from '../../retry/clock.js';
import type { Runtime } from '../../runtime.js';
import type { SourceCustomer } from '../types.js';
import { customerFromConversation, customerFromExternalContact } from './customer.js';
import {
  buildGetConversationRequest,
  buildGetExternalContactRequest,
  buildJobResultsRequest,
  buildJobStatusRequest,
  buildJwtBearerTokenRequest,
  buildSubmitConversationJobRequest,
  buildTokenRequest,
  buildTokensMeRequest,
  readConversation,
  readExternalContact,
  readJobResults,
  readJobStatus,
  readJobSubmitted,
  readTokenResponse,
  readTokensMe,
} from './requests.js';
import type {
  GenesysApiTarget,
  GenesysConversation,
  GenesysExternalContact,
  GenesysInterval,
  GenesysJobResults,
  GenesysJobStatus,
} from './types.js';

/**
 * Genesys Cloud over HTTP with client credentials. One token per OAuth client, reused until shortly
 * before it expires; every API call passes the client-side limiter of that token (300 a minute by
 * default, the documented limit).
 */
export class GenesysClient {
  private readonly tokenKey: string;
  readonly auth: Authenticator;

  constructor(
    readonly config: GenesysConfig,
    private readonly runtime: Runtime,
  ) {
    this.tokenKey = `genesys:${config.loginUrl}:${config.clientId}`;
    this.auth = {
      refreshable: true,
      token: () => runtime.tokens.get(this.tokenKey, () => this.login()),
      invalidate: (t) => runtime.tokens.invalidate(this.tokenKey, t),
    };
  }

  /** Client credentials; or, when configured, an RFC 7523 assertion (which Genesys Cloud refuses). */
  private async login() {
    const { loginUrl, clientId, clientSecret, jwtBearer } = this.config;
    if (jwtBearer) {
      const assertion = await signJwtBearerAssertion({
        clientId,
        audience: jwtBearer.tokenUrl,
        privateKeyPem: jwtBearer.privateKeyPem,
      });
      return call(this.runtime, {
        build: () => buildJwtBearerTokenRequest({ tokenUrl: jwtBearer.tokenUrl, assertion }),
        read: readTokenResponse,
      });
    }
    return call(this.runtime, {
      build: () => buildTokenRequest({ loginUrl, clientId, clientSecret: clientSecret ?? '' }),
      read: readTokenResponse,
    });
  }

  private api<T>(
    build: (target: GenesysApiTarget) => HttpRequest,
    read: (q: HttpRequest, r: HttpResponse) => T,
  ): Promise<T> {
    const limiter = this.runtime.limiters.get(this.tokenKey, this.runtime.limits.genesys);
    return call(this.runtime, {
      auth: this.auth,
      limiters: [limiter],
      build: (token) => build({ apiUrl: this.config.apiUrl, accessToken: token! }),
      read,
    });
  }

  getConversation(conversationId: string): Promise<GenesysConversation> {
    return this.api((t) => buildGetConversationRequest({ ...t, conversationId }), readConversation);
  }

  getExternalContact(contactId: string): Promise<GenesysExternalContact> {
    return this.api((t) => buildGetExternalContactRequest({ ...t, contactId }), readExternalContact);
  }

  /** The customer participant of a conversation: attributes and identity. */
  async customerFromConversation(conversationId: string): Promise<SourceCustomer> {
    return customerFromConversation(await this.getConversation(conversationId));
  }

  async customerFromContact(contactId: string): Promise<SourceCustomer> {
    return customerFromExternalContact(await this.getExternalContact(contactId));
  }

  /** Submits an analytics conversation-detail job for an interval (the bulk read with attributes). */
  async submitConversationJob(interval: GenesysInterval): Promise<string> {
    const { jobId } = await this.api(
      (t) => buildSubmitConversationJobRequest({ ...t, interval, order: 'asc' }),
      readJobSubmitted,
    );
    return jobId;
  }

  jobStatus(jobId: string): Promise<GenesysJobStatus> {
    return this.api((t) => buildJobStatusRequest({ ...t, jobId }), readJobStatus);
  }

  /** Polls a job until FULFILLED; FAILED, CANCELLED or EXPIRED end with an UpstreamError. */
  async waitForJob(jobId: string, options: { pollMs?: number; timeoutMs?: number } = {}): Promise<void> {
    const clock = this.runtime.clock ?? systemClock;
    const deadline = clock.now() + (options.timeoutMs ?? 30 * 60_000);
    let pollMs = options.pollMs ?? 250;
    for (;;) {
      const status = await this.jobStatus(jobId);
      if (status.state === 'FULFILLED') return;
      if (status.state === 'FAILED' || status.state === 'CANCELLED' || status.state === 'EXPIRED')
        throw new UpstreamError(
          `Genesys Cloud analytics job ${jobId} ended ${status.state}${status.errorMessage ? `: ${status.errorMessage}` : ''}; submit it again`,
          { platform: 'genesys' },
        );
      if (clock.now() > deadline)
        throw new UpstreamError(
          `Genesys Cloud analytics job ${jobId} is still ${status.state} after the timeout`,
          {
            platform: 'genesys',
          },
        );
      await clock.sleep(pollMs, this.runtime.signal);
      pollMs = Math.min(pollMs * 2, 5000);
    }
  }

  /** One page (up to 1,000 conversations) of a fulfilled job. */
  jobResults(jobId: string, cursor?: string, pageSize = 1000): Promise<GenesysJobResults> {
    return this.api(
      (t) => buildJobResultsRequest({ ...t, jobId, pageSize, ...(cursor ? { cursor } : {}) }),
      readJobResults,
    );
  }

  /** Checks the login, the token, and read access to conversations. */
  async check(): Promise<string> {
    const me = await this.api((t) => buildTokensMeRequest(t), readTokensMe);
    try {
      // A conversation that cannot exist: 404 proves the read permission, 403 its absence.
      await this.getConversation('00000000-0000-4000-8000-000000000000');
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
    return `token for OAuth client ${me.clientName ?? me.clientId ?? this.config.clientId}${me.organizationName ? ` of ${me.organizationName}` : ''}; conversations readable`;
  }
}
