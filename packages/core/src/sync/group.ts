import { isSyncError } from '../errors/errors.js';
import { customerFromAnalyticsConversation } from '../sources/genesys/customer.js';
import type { GenesysAnalyticsConversation } from '../sources/genesys/types.js';
import { attributeMap, type SourceCustomer } from '../sources/types.js';

/** Which customer a source record is about: the external contact, else the phone, else the e-mail. */
export function customerKey(c: SourceCustomer): string {
  const { externalContactId, phone, email } = c.identity;
  if (externalContactId) return `contact:${externalContactId}`;
  if (phone) return `phone:${phone}`;
  if (email) return `email:${email.toLowerCase()}`;
  return `${c.source.kind}:${c.source.id}`;
}

export interface PageCustomers {
  /** One entry per customer, attributes of their conversations merged oldest first (later wins). */
  customers: SourceCustomer[];
  /** Conversations that hold no customer (no participant with purpose customer). */
  withoutCustomer: { conversationId: string; reason: string }[];
}

/**
 * The customers of one page of analytics results. A customer with several conversations in the page
 * is synced once, with the latest value of each attribute and the latest conversation as its source.
 */
export function customersOfConversations(
  conversations: readonly GenesysAnalyticsConversation[],
): PageCustomers {
  const byKey = new Map<string, SourceCustomer>();
  const withoutCustomer: PageCustomers['withoutCustomer'] = [];
  const ordered = [...conversations].sort((a, b) => a.conversationStart.localeCompare(b.conversationStart));
  for (const conversation of ordered) {
    let c: SourceCustomer;
    try {
      c = customerFromAnalyticsConversation(conversation);
    } catch (e) {
      if (!isSyncError(e)) throw e;
      withoutCustomer.push({ conversationId: conversation.conversationId, reason: e.message });
      continue;
    }
    const key = customerKey(c);
    const earlier = byKey.get(key);
    if (!earlier) {
      byKey.set(key, c);
      continue;
    }
    const attributes = attributeMap([...Object.entries(earlier.attributes), ...Object.entries(c.attributes)]);
    byKey.set(key, { source: c.source, identity: { ...earlier.identity, ...c.identity }, attributes });
  }
  return { customers: [...byKey.values()], withoutCustomer };
}
