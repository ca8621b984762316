/**
 * Which Cognigy contact profile belongs to a customer. A profile is known by its `contactIds`; this
 * project gives a customer's profile their e-mail address and phone number as contact ids. The
 * list's `filter` also matches text inside profiles, so its answer is always checked here against
 * the contact ids themselves.
 */
import type { CustomerIdentity } from '../../sources/types.js';
import type { CognigyProfile } from './types.js';

export type ProfilePick =
  | { kind: 'found'; profile: CognigyProfile }
  /** No profile has the customer's contact ids: create one with `contactIdsFor(identity)`. */
  | { kind: 'missing' }
  /** More than one profile claims the customer: nothing should be written. */
  | { kind: 'ambiguous'; reason: string; profileIds: string[] }
  /** The customer has neither an e-mail address nor a phone number. */
  | { kind: 'no-identity'; reason: string };

/** E-mail addresses compare without case (and are stored lower-case); phone numbers exactly. */
const emailOf = (identity: CustomerIdentity) => identity.email?.trim().toLowerCase() || undefined;
const phoneOf = (identity: CustomerIdentity) => identity.phone?.trim() || undefined;

/** The contact ids a new profile gets: the e-mail address (lower-case), then the phone number. */
export function contactIdsFor(identity: CustomerIdentity): string[] {
  const ids: string[] = [];
  const email = emailOf(identity);
  const phone = phoneOf(identity);
  if (email) ids.push(email);
  if (phone) ids.push(phone);
  return ids;
}

/**
 * The one profile whose contact ids hold the customer's e-mail address (ignoring case) or phone
 * number (exactly). Reasons name profile ids, never the e-mail address or phone number: they are
 * personal data, and reasons end up in logs.
 */
export function pickProfileByContactIds(
  list: readonly CognigyProfile[],
  identity: CustomerIdentity,
): ProfilePick {
  const email = emailOf(identity);
  const phone = phoneOf(identity);
  if (!email && !phone) {
    return { kind: 'no-identity', reason: 'the customer has no e-mail address and no phone number' };
  }
  const byEmail = new Map<string, CognigyProfile>();
  const byPhone = new Map<string, CognigyProfile>();
  for (const p of list) {
    if (email && p.contactIds.some((c) => c.trim().toLowerCase() === email)) byEmail.set(p._id, p);
    if (phone && p.contactIds.some((c) => c.trim() === phone)) byPhone.set(p._id, p);
  }
  const all = new Map([...byEmail, ...byPhone]);
  if (all.size === 0) return { kind: 'missing' };
  if (all.size === 1) return { kind: 'found', profile: [...all.values()][0]! };

  const profileIds = [...all.keys()].sort();
  let reason: string;
  if (byEmail.size > 1) {
    reason = `${byEmail.size} profiles (${[...byEmail.keys()].sort().join(', ')}) have the customer's e-mail address as a contact id`;
  } else if (byPhone.size > 1) {
    reason = `${byPhone.size} profiles (${[...byPhone.keys()].sort().join(', ')}) have the customer's phone number as a contact id`;
  } else {
    reason = `the customer's e-mail address belongs to profile ${[...byEmail.keys()][0]} and their phone number to profile ${[...byPhone.keys()][0]}`;
  }
  return { kind: 'ambiguous', reason: `${reason}; merge them in Cognigy.AI, then sync again`, profileIds };
}

/**
 * The customer's profile by contact ids as every lookup finds it: the e-mail address first, then the
 * phone number, each contact id's candidates from `listFor` (the API's filtered listing, one request
 * each, or the back-fill's profile directory) checked by `pickProfileByContactIds`.
 */
export async function pickProfileByEachContactId(
  identity: CustomerIdentity,
  listFor: (contactId: string) => Promise<readonly CognigyProfile[]> | readonly CognigyProfile[],
): Promise<ProfilePick> {
  let pick: ProfilePick = {
    kind: 'no-identity',
    reason: 'the customer has no e-mail address and no phone number',
  };
  for (const contactId of contactIdsFor(identity)) {
    pick = pickProfileByContactIds(await listFor(contactId), identity);
    if (pick.kind !== 'missing') return pick;
  }
  return pick;
}
