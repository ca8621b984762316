import type { CxoneCustomerSearch } from './requests.js';
import type { CxoneCustomer } from './types.js';

/**
 * The customer search's `query` for one identity value. DFO's `query` is an expression whose grammar
 * NICE does not publish; NICE's own Digital SDK sends `identityIdOnExternalPlatform IN ("…")`, the
 * default here. CXONE_SEARCH_QUERY replaces it; `{value}` stands for the value with `\` and `"`
 * escaped by a backslash. Whatever the search matches, `pickCustomerByIdentity` checks again.
 */
export const DEFAULT_CXONE_SEARCH_QUERY = 'identityIdOnExternalPlatform IN ("{value}")';
export const CXONE_SEARCH_PLACEHOLDER = '{value}';

export function cxoneSearchQuery(value: string, template: string = DEFAULT_CXONE_SEARCH_QUERY): string {
  const escaped = value.replace(/[\\"]/g, (c) => `\\${c}`);
  return template.split(CXONE_SEARCH_PLACEHOLDER).join(escaped);
}

/** How to recognise the customer among search hits. */
export interface CxoneIdentityQuery {
  /** E.164, compared exactly. */
  phone?: string;
  /** Compared without regard to case. */
  email?: string;
}

/** The one customer whose identity matches, or why none can be chosen safely. */
export type CxoneIdentityMatch =
  | { kind: 'found'; customer: CxoneCustomer }
  | { kind: 'ambiguous'; customerIds: string[]; reason: string };

/**
 * Chooses, from search hits, the customer whose identities include the phone (exact E.164) or the
 * e-mail (any case). A search also matches names, so every hit is checked again here. No match →
 * undefined; two or more different customers → `ambiguous` (writing to one of them could be wrong).
 */
export function pickCustomerByIdentity(
  search: Pick<CxoneCustomerSearch, 'customers'>,
  identity: CxoneIdentityQuery,
): CxoneIdentityMatch | undefined {
  const phone = identity.phone?.trim() || undefined;
  const email = identity.email?.trim().toLowerCase() || undefined;
  if (!phone && !email) return undefined;
  const matched = new Map<string, { customer: CxoneCustomer; by: Set<'phone' | 'email'> }>();
  for (const customer of search.customers) {
    for (const { idOnExternalPlatform: id } of customer.identities) {
      const by =
        phone !== undefined && id === phone
          ? 'phone'
          : email !== undefined && id.toLowerCase() === email
            ? 'email'
            : undefined;
      if (!by) continue;
      const entry = matched.get(customer.id) ?? { customer, by: new Set() };
      entry.by.add(by);
      matched.set(customer.id, entry);
    }
  }
  if (matched.size === 0) return undefined;
  const entries = [...matched.values()];
  if (entries.length === 1) return { kind: 'found', customer: entries[0]!.customer };
  const customerIds = [...matched.keys()];
  // Ids and which identity matched; the phone number and address themselves stay out of the message.
  const how = entries.map((e) => `${e.customer.id} (by ${[...e.by].sort().join(' and ')})`).join(', ');
  return {
    kind: 'ambiguous',
    customerIds,
    reason: `${customerIds.length} different CXone customers match this customer's identity: ${how}; merge or correct them in CXone so that one customer holds the phone and e-mail`,
  };
}
