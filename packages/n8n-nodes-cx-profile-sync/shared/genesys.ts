import {
  buildGetConversationRequest,
  buildGetExternalContactRequest,
  buildJobResultsRequest,
  buildJobStatusRequest,
  buildSubmitConversationJobRequest,
  customerFromAnalyticsConversation,
  customerFromConversation,
  type GenesysApiTarget,
  type GenesysExternalContact,
  type GenesysInterval,
  readConversation,
  readExternalContact,
  readJobResults,
  readJobStatus,
  readJobSubmitted,
  type SourceCustomer,
  UpstreamError,
} from '@cx-profile-sync/core/pure';
import { sleep } from 'n8n-workflow';
import { CREDENTIAL_HOST } from './http';
import { callWithCredential, type RequestContext } from './transport';

/** Genesys Cloud reads through the "Genesys Cloud API" credential: the core's requests and readers. */

export const GENESYS_CREDENTIAL = 'genesysCloudApi';

/** The builders' target: the credential supplies the real API host and token. */
const target: GenesysApiTarget = { apiUrl: CREDENTIAL_HOST, accessToken: '' };

/** The customer (participant with purpose "customer") of a conversation, with its attributes. */
export async function customerOfConversation(
  ctx: RequestContext,
  conversationId: string,
): Promise<SourceCustomer> {
  const conversation = await callWithCredential(
    ctx,
    GENESYS_CREDENTIAL,
    buildGetConversationRequest({ ...target, conversationId }),
    readConversation,
  );
  return customerFromConversation(conversation);
}

export function getExternalContact(ctx: RequestContext, contactId: string): Promise<GenesysExternalContact> {
  return callWithCredential(
    ctx,
    GENESYS_CREDENTIAL,
    buildGetExternalContactRequest({ ...target, contactId }),
    readExternalContact,
  );
}

export interface IntervalOptions {
  interval: GenesysInterval;
  /** Stop after this many customers (all when undefined). */
  limit?: number;
  /** How long to wait for the job, in milliseconds. */
  timeoutMs: number;
  /** The first pause between status checks; it doubles up to 5 s. */
  pollMs?: number;
  /** Results per page (Genesys allows up to 1,000). */
  pageSize?: number;
}

export interface IntervalCustomers {
  jobId: string;
  customers: SourceCustomer[];
  /** Conversations without a customer participant (no customer attributes to sync). */
  withoutCustomer: string[];
}

/**
 * The customers of the conversations that started in an interval, with their attributes: an
 * analytics conversation-detail job (the only bulk read that includes participant attributes),
 * polled until it is fulfilled, then read page by page.
 */
export async function customersOfInterval(
  ctx: RequestContext,
  options: IntervalOptions,
): Promise<IntervalCustomers> {
  const { jobId } = await callWithCredential(
    ctx,
    GENESYS_CREDENTIAL,
    buildSubmitConversationJobRequest({ ...target, interval: options.interval, order: 'asc' }),
    readJobSubmitted,
  );
  const deadline = Date.now() + options.timeoutMs;
  let pollMs = options.pollMs ?? 250;
  for (;;) {
    const status = await callWithCredential(
      ctx,
      GENESYS_CREDENTIAL,
      buildJobStatusRequest({ ...target, jobId }),
      readJobStatus,
    );
    if (status.state === 'FULFILLED') break;
    if (status.state === 'FAILED' || status.state === 'CANCELLED' || status.state === 'EXPIRED') {
      throw new UpstreamError(
        `Genesys Cloud analytics job ${jobId} ended ${status.state}${status.errorMessage ? `: ${status.errorMessage}` : ''}; run the node again`,
        { platform: 'genesys' },
      );
    }
    if (Date.now() > deadline) {
      throw new UpstreamError(
        `Genesys Cloud analytics job ${jobId} is still ${status.state} after ${Math.round(options.timeoutMs / 1000)} s; raise the node's "Job Timeout" or shorten the interval`,
        { platform: 'genesys' },
      );
    }
    await sleep(pollMs);
    pollMs = Math.min(pollMs * 2, 5000);
  }

  const result: IntervalCustomers = { jobId, customers: [], withoutCustomer: [] };
  let cursor: string | undefined;
  do {
    const page = await callWithCredential(
      ctx,
      GENESYS_CREDENTIAL,
      buildJobResultsRequest({
        ...target,
        jobId,
        pageSize: options.pageSize ?? 1000,
        ...(cursor ? { cursor } : {}),
      }),
      readJobResults,
    );
    for (const conversation of page.conversations) {
      if (!conversation.participants.some((p) => p.purpose === 'customer')) {
        result.withoutCustomer.push(conversation.conversationId);
        continue;
      }
      result.customers.push(customerFromAnalyticsConversation(conversation));
      if (options.limit !== undefined && result.customers.length >= options.limit) return result;
    }
    cursor = page.cursor;
  } while (cursor);
  return result;
}
