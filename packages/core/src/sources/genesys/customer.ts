import { NotFoundError } from '../../errors/errors.js';
import { type AttributeMap, attributeMap, type CustomerIdentity, type SourceCustomer } from '../types.js';
import type {
  GenesysAnalyticsConversation,
  GenesysAnalyticsSession,
  GenesysConversation,
  GenesysExternalContact,
} from './types.js';

/**
 * From Genesys data to the source-neutral `SourceCustomer`: the customer participant's attributes
 * (never the IVR's or the agent's), or an external contact's fields, plus how to find the same person
 * on a target (E.164 phone, e-mail, external contact id, name).
 */

/** E.164: a plus, a non-zero digit, 7 to 15 digits in all. */
const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A phone number in E.164 from a Genesys address (`tel:+44…`, `sip:+44…@host;user=phone`, `+44 79…`),
 * or undefined when it is not one. Numbers without a country code are not guessed at.
 */
export function phoneFromAddress(address: string | undefined): string | undefined {
  if (!address) return undefined;
  let v = address.trim().replace(/^(tel|sips?):/i, '');
  v = v.split(';')[0]!;
  const at = v.indexOf('@');
  if (at >= 0) v = v.slice(0, at);
  v = v.replace(/[\s().-]/g, '');
  return E164.test(v) ? v : undefined;
}

/** An e-mail address from a Genesys address (`mailto:` allowed), or undefined. SIP URIs are not e-mails. */
export function emailFromAddress(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const v = address.trim();
  if (/^(tel|sips?):/i.test(v)) return undefined;
  const email = v.replace(/^mailto:/i, '');
  return EMAIL.test(email) ? email : undefined;
}

/** Fills phone and e-mail from the first candidate addresses that hold one. */
function identityFrom(candidates: (string | undefined)[], identity: CustomerIdentity): CustomerIdentity {
  for (const c of candidates) {
    if (!identity.phone) {
      const phone = phoneFromAddress(c);
      if (phone) identity.phone = phone;
    }
    if (!identity.email) {
      const email = emailFromAddress(c);
      if (email) identity.email = email;
    }
  }
  return identity;
}

/**
 * The purpose of the participant whose data is the customer's. Other purposes (`external`, `ivr`,
 * `acd`, `agent`, `user`, `workflow`, `voicemail`, `dialer`, `api`, and any the platform adds) are
 * never read as the customer: an `external` party is someone an agent called or consulted.
 */
export const CUSTOMER_PURPOSE = 'customer';

function noCustomer(conversationId: string, purposes: string[]): NotFoundError {
  const distinct = [...new Set(purposes)];
  const external = distinct.includes('external')
    ? '; its "external" participant is an outside party (an agent\'s call out, a consult), not read as the customer'
    : '';
  return new NotFoundError(
    `Genesys Cloud conversation ${conversationId} has no participant with purpose "customer" (it has: ${distinct.join(', ') || 'no participants'}), so it holds no customer attributes${external}`,
    { platform: 'genesys' },
  );
}

/**
 * The customer of `GET /api/v2/conversations/{id}`: the first participant with purpose `customer`.
 * Its `address` comes first for the phone (it is the customer's number whichever way the call went),
 * then `ani`.
 */
export function customerFromConversation(conversation: GenesysConversation): SourceCustomer {
  const p = conversation.participants.find((x) => x.purpose === CUSTOMER_PURPOSE);
  if (!p)
    throw noCustomer(
      conversation.id,
      conversation.participants.map((x) => x.purpose),
    );
  const identity = identityFrom([p.address, p.ani], {});
  if (p.externalContactId) identity.externalContactId = p.externalContactId;
  if (p.name) identity.name = p.name;
  const at = conversation.startTime ?? p.startTime;
  return {
    source: { kind: 'conversation', id: conversation.id, participantId: p.id, ...(at ? { at } : {}) },
    identity,
    attributes: attributeMap(Object.entries(p.attributes)),
  };
}

/** The customer's own addresses in a session: where an inbound one came from, where an outbound one went. */
function sessionAddresses(s: GenesysAnalyticsSession): (string | undefined)[] {
  return s.direction === 'outbound' ? [s.addressTo, s.dnis, s.ani, s.addressFrom] : [s.ani, s.addressFrom];
}

/** The same from one conversation of an analytics job's results; identity from the customer's sessions. */
export function customerFromAnalyticsConversation(
  conversation: GenesysAnalyticsConversation,
): SourceCustomer {
  const p = conversation.participants.find((x) => x.purpose === CUSTOMER_PURPOSE);
  if (!p)
    throw noCustomer(
      conversation.conversationId,
      conversation.participants.map((x) => x.purpose),
    );
  const identity = identityFrom(p.sessions.flatMap(sessionAddresses), {});
  if (p.externalContactId) identity.externalContactId = p.externalContactId;
  if (p.participantName) identity.name = p.participantName;
  return {
    source: {
      kind: 'conversation',
      id: conversation.conversationId,
      participantId: p.participantId,
      at: conversation.conversationStart,
    },
    identity,
    attributes: attributeMap(Object.entries(p.attributes)),
  };
}

/**
 * The type suffixes Genesys puts on custom-field keys (`loyalty_tier_text`), one per field type of the
 * contact schema editor: Text, Text Area (longtext), URL, Identifier, Dropdown (enum), Date, Date Time,
 * Integer, Number (decimal), Checkbox, Tag, plus list. Longest first, so `_datetime` wins over `_date`.
 */
export const CUSTOM_FIELD_TYPE_SUFFIXES = [
  '_identifier',
  '_checkbox',
  '_datetime',
  '_longtext',
  '_integer',
  '_number',
  '_date',
  '_enum',
  '_list',
  '_text',
  '_url',
  '_tag',
] as const;

/** A custom-field key without its type suffix (`loyalty_tier_text` → `loyalty_tier`); others unchanged. */
export function stripCustomFieldSuffix(key: string): string {
  for (const suffix of CUSTOM_FIELD_TYPE_SUFFIXES) {
    if (key.length > suffix.length && key.endsWith(suffix)) return key.slice(0, -suffix.length);
  }
  return key;
}

/**
 * An external contact as a customer. Attributes: `firstname`, `lastname`, `email` (personal, else work,
 * else other), `phone` (cell, else work, home, other; E.164 only), then each custom field under its key
 * without the type suffix, its value kept typed (numbers, booleans, tag arrays). A custom field whose
 * short name is already taken keeps its full key (Genesys always adds the suffix, so that key is free).
 */
export function customerFromExternalContact(contact: GenesysExternalContact): SourceCustomer {
  const email = [contact.personalEmail, contact.workEmail, contact.otherEmail].find(
    (e) => e && e.trim() !== '',
  );
  const phone = [contact.cellPhone, contact.workPhone, contact.homePhone, contact.otherPhone]
    .map((p) => phoneFromAddress(p?.e164))
    .find((p) => p !== undefined);
  const attributes: AttributeMap = attributeMap();
  if (contact.firstName) attributes.firstname = contact.firstName;
  if (contact.lastName) attributes.lastname = contact.lastName;
  if (email) attributes.email = email;
  if (phone) attributes.phone = phone;
  for (const [key, value] of Object.entries(contact.customFields)) {
    const short = stripCustomFieldSuffix(key);
    if (!(short in attributes)) attributes[short] = value;
    else if (!(key in attributes)) attributes[key] = value;
  }
  const identity: CustomerIdentity = { externalContactId: contact.id };
  if (phone) identity.phone = phone;
  if (email) identity.email = email;
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
  if (name) identity.name = name;
  return {
    source: {
      kind: 'external-contact',
      id: contact.id,
      ...(contact.modifyDate ? { at: contact.modifyDate } : {}),
    },
    identity,
    attributes,
  };
}
