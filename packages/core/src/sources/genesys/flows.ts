/**
 * Genesys Cloud's reads over an injected `send` (see flow/send.ts): a conversation's or an external
 * contact's customer, and the analytics conversation-detail job (submit, poll until fulfilled, read
 * page by page, customers merged per page). The core's `GenesysClient` drives them over axios, the
 * worker's activities over the same client, the n8n nodes over n8n's helpers.
 */

import { UpstreamError } from '../../errors/errors.js';
import type { Send, Waiting } from '../../flow/send.js';
import { customersOfConversations, type PageCustomers } from '../../sync/group.js';
import type { SourceCustomer } from '../types.js';
import { customerFromConversation, customerFromExternalContact } from './customer.js';
import {
  buildCreateChannelRequest,
  buildSubscribeRequest,
  type GenesysNotificationChannel,
  readNotificationChannel,
  readSubscriptions,
} from './events/notifications.js';
import {
  buildDataAvailabilityRequest,
  buildGetContactSchemasRequest,
  buildGetConversationRequest,
  buildGetExternalContactRequest,
  buildJobResultsRequest,
  buildJobStatusRequest,
  buildSubmitConversationJobRequest,
  buildTokensMeRequest,
  readContactSchemas,
  readConversation,
  readDataAvailability,
  readExternalContact,
  readJobResults,
  readJobStatus,
  readJobSubmitted,
  readTokensMe,
} from './requests.js';
import type {
  GenesysApiTarget,
  GenesysContactSchema,
  GenesysConversation,
  GenesysDataAvailability,
  GenesysExternalContact,
  GenesysInterval,
  GenesysJobResults,
  GenesysJobStatus,
  GenesysTokenInfo,
} from './types.js';

/** The largest page of job results Genesys Cloud serves. */
export const MAX_JOB_PAGE_SIZE = 1000;

export interface JobWaitOptions {
  /** The first pause between status checks; it doubles up to 5 s (default 250 ms). */
  pollMs?: number;
  /** Give up after this long (default: never). */
  timeoutMs?: number;
  /** What the user should do after a job that failed or timed out, in the host's words. */
  whatToDo?: { failed?: string; timedOut?: string };
}

/** One page of job results as customers: a customer with several conversations in it is one entry. */
export interface CustomerPage extends PageCustomers {
  /** Conversations on the page. */
  conversations: number;
  /** The next page's cursor; none after the last page. */
  cursor?: string;
  /** The analytics watermark the job ran against, when the page says it. */
  dataAvailabilityDate?: string;
}

/** The Genesys Cloud reads of the sync over one `send`. */
export class GenesysApi {
  constructor(readonly send: Send<GenesysApiTarget>) {}

  tokenInfo(): Promise<GenesysTokenInfo> {
    return this.send(buildTokensMeRequest, readTokensMe);
  }

  getConversation(conversationId: string): Promise<GenesysConversation> {
    return this.send((t) => buildGetConversationRequest({ ...t, conversationId }), readConversation);
  }

  /** The external contacts' custom-field schemas (what `check` reads to prove the permission). */
  contactSchemas(): Promise<GenesysContactSchema[]> {
    return this.send(buildGetContactSchemasRequest, readContactSchemas);
  }

  getExternalContact(contactId: string): Promise<GenesysExternalContact> {
    return this.send((t) => buildGetExternalContactRequest({ ...t, contactId }), readExternalContact);
  }

  /** The customer participant of a conversation: attributes and identity. */
  async customerFromConversation(conversationId: string): Promise<SourceCustomer> {
    return customerFromConversation(await this.getConversation(conversationId));
  }

  async customerFromContact(contactId: string): Promise<SourceCustomer> {
    return customerFromExternalContact(await this.getExternalContact(contactId));
  }

  /** How far the analytics data reaches: jobs hold no conversation that started after it (yet). */
  availability(): Promise<GenesysDataAvailability> {
    return this.send(buildDataAvailabilityRequest, readDataAvailability);
  }

  /** Submits an analytics conversation-detail job for an interval (the bulk read with attributes). */
  async submitConversationJob(interval: GenesysInterval): Promise<string> {
    const { jobId } = await this.send(
      (t) => buildSubmitConversationJobRequest({ ...t, interval, order: 'asc' }),
      readJobSubmitted,
    );
    return jobId;
  }

  /** A Notifications API channel (its WebSocket's address and expiry). Not idempotent. */
  createNotificationChannel(): Promise<GenesysNotificationChannel> {
    return this.send(buildCreateChannelRequest, readNotificationChannel);
  }

  /** Replaces a channel's topics (at most 1,000); doing it again also keeps the channel alive. */
  subscribe(channelId: string, topics: readonly string[]): Promise<{ topics: string[] }> {
    return this.send((t) => buildSubscribeRequest({ ...t, channelId, topics }), readSubscriptions);
  }

  jobStatus(jobId: string): Promise<GenesysJobStatus> {
    return this.send((t) => buildJobStatusRequest({ ...t, jobId }), readJobStatus);
  }

  /** One page (up to 1,000 conversations) of a fulfilled job. */
  jobResults(jobId: string, cursor?: string, pageSize = MAX_JOB_PAGE_SIZE): Promise<GenesysJobResults> {
    return this.send(
      (t) => buildJobResultsRequest({ ...t, jobId, pageSize, ...(cursor ? { cursor } : {}) }),
      readJobResults,
    );
  }

  /** One page of a fulfilled job as customers (see `CustomerPage`). */
  async customerPage(jobId: string, cursor?: string, pageSize = MAX_JOB_PAGE_SIZE): Promise<CustomerPage> {
    const page = await this.jobResults(jobId, cursor, pageSize);
    return {
      conversations: page.conversations.length,
      ...customersOfConversations(page.conversations),
      ...(page.cursor ? { cursor: page.cursor } : {}),
      ...(page.dataAvailabilityDate ? { dataAvailabilityDate: page.dataAvailabilityDate } : {}),
    };
  }
}

/** Polls a job until FULFILLED; FAILED, CANCELLED or EXPIRED (or the timeout) end with an UpstreamError. */
export async function waitForJob(
  api: GenesysApi,
  jobId: string,
  waiting: Waiting,
  options: JobWaitOptions = {},
): Promise<void> {
  const deadline =
    options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : waiting.now() + options.timeoutMs;
  let pollMs = options.pollMs ?? 250;
  for (;;) {
    const status = await api.jobStatus(jobId);
    waiting.onPoll?.(status.state);
    if (status.state === 'FULFILLED') return;
    if (status.state === 'FAILED' || status.state === 'CANCELLED' || status.state === 'EXPIRED')
      throw new UpstreamError(
        `Genesys Cloud analytics job ${jobId} ended ${status.state}${status.errorMessage ? `: ${status.errorMessage}` : ''}; ${options.whatToDo?.failed ?? 'submit it again'}`,
        { platform: 'genesys' },
      );
    if (waiting.now() > deadline)
      throw new UpstreamError(
        `Genesys Cloud analytics job ${jobId} is still ${status.state} after ${Math.round(options.timeoutMs! / 1000)} s${options.whatToDo?.timedOut ? `; ${options.whatToDo.timedOut}` : ''}`,
        { platform: 'genesys' },
      );
    await waiting.sleep(pollMs);
    pollMs = Math.min(pollMs * 2, 5000);
  }
}

/** Submits the job of an interval and waits for it: its id, ready to read. */
export async function runConversationJob(
  api: GenesysApi,
  interval: GenesysInterval,
  waiting: Waiting,
  options: JobWaitOptions = {},
): Promise<string> {
  const jobId = await api.submitConversationJob(interval);
  await waitForJob(api, jobId, waiting, options);
  return jobId;
}

/** Every page of a fulfilled job as customers, in time order (a later page's values win). */
export async function* customerPages(
  api: GenesysApi,
  jobId: string,
  pageSize = MAX_JOB_PAGE_SIZE,
  /** Where to start: the cursor of a page after the first (a resumed back-fill). */
  from?: string,
): AsyncGenerator<CustomerPage> {
  let cursor: string | undefined = from;
  do {
    const page = await api.customerPage(jobId, cursor, pageSize);
    yield page;
    cursor = page.cursor;
  } while (cursor);
}
