import type { AttributeMap } from '../types.js';

/** Where and as whom an API call goes: an API base URL (`https://api.{domain}`) and an access token. */
export interface GenesysApiTarget {
  apiUrl: string;
  accessToken: string;
}

/** A login answer: `{access_token, token_type, expires_in}`. Genesys issues no refresh token. */
export interface GenesysAccessToken {
  accessToken: string;
  expiresInSeconds: number;
}

/**
 * `GET /api/v2/tokens/me` (TokenInfo): what the token belongs to. The organization is the one the
 * token works in; the home organization differs for a trustee's clone (`clonedUser`).
 */
export interface GenesysTokenInfo {
  organizationId?: string;
  organizationName?: string;
  homeOrganizationId?: string;
  homeOrganizationName?: string;
  /** The OAuth client (`OAuthClient`: an OrgOAuthClient). */
  clientId?: string;
  clientName?: string;
  clientOrganizationName?: string;
  /** The scopes authorized for the OAuth client. */
  authorizedScope: string[];
  /** Present when the token is a clone of a trustee user in this (the trustor) organization. */
  clonedUser?: { id?: string; organizationId?: string };
  /** When the token is due to expire if unused (ISO). */
  dateTokenIdles?: string;
}

/** Participant data: a flat string → string map (null prototype, so "__proto__" is plain data). */
export type ParticipantAttributes = Record<string, string>;

/** One participant of `GET /api/v2/conversations/{id}`. */
export interface GenesysParticipant {
  id: string;
  /** customer, agent, acd, ivr, user, workflow, external, … */
  purpose: string;
  name?: string;
  ani?: string;
  dnis?: string;
  address?: string;
  externalContactId?: string;
  externalOrganizationId?: string;
  queueId?: string;
  userId?: string;
  startTime?: string;
  endTime?: string;
  attributes: ParticipantAttributes;
}

export interface GenesysConversation {
  id: string;
  startTime?: string;
  endTime?: string;
  participants: GenesysParticipant[];
}

export interface GenesysPhoneNumber {
  display?: string;
  e164?: string;
  countryCode?: string;
  extension?: string;
  acceptsSMS?: boolean;
  userInput?: string;
  normalizationCountryCode?: string;
}

export interface GenesysContactAddress {
  address1?: string;
  address2?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  countryCode?: string;
}

/** `GET /api/v2/externalcontacts/contacts/{contactId}` (the fields a sync uses). */
export interface GenesysExternalContact {
  id: string;
  firstName?: string;
  middleName?: string;
  lastName?: string;
  salutation?: string;
  title?: string;
  workPhone?: GenesysPhoneNumber;
  cellPhone?: GenesysPhoneNumber;
  homePhone?: GenesysPhoneNumber;
  otherPhone?: GenesysPhoneNumber;
  workEmail?: string;
  personalEmail?: string;
  otherEmail?: string;
  address?: GenesysContactAddress;
  modifyDate?: string;
  createDate?: string;
  schema?: { id: string; version?: number };
  /** Typed by the contact's schema; keys end in their type (`loyalty_tier_text`). Null prototype. */
  customFields: AttributeMap;
  type?: string;
}

export interface GenesysContactSchema {
  id: string;
  name: string;
  version: number;
  enabled: boolean;
  /** JSON-schema properties by field key (`loyalty_tier_text`), as the platform sent them. */
  properties: Record<string, Record<string, unknown>>;
}

export type GenesysJobState = 'QUEUED' | 'PENDING' | 'FULFILLED' | 'FAILED' | 'CANCELLED' | 'EXPIRED';

export const GENESYS_JOB_STATES: readonly GenesysJobState[] = [
  'QUEUED',
  'PENDING',
  'FULFILLED',
  'FAILED',
  'CANCELLED',
  'EXPIRED',
];

/** `GET /api/v2/analytics/conversations/details/jobs/{jobId}`. */
export interface GenesysJobStatus {
  state: GenesysJobState;
  submissionDate?: string;
  expirationDate?: string;
  errorMessage?: string;
}

/** An interval as Genesys writes it (`<ISO start>/<ISO end>`), or its two ends. */
export type GenesysInterval = string | { start: Date | string; end: Date | string };

export interface GenesysAnalyticsSession {
  sessionId?: string;
  mediaType?: string;
  direction?: string;
  ani?: string;
  dnis?: string;
  addressFrom?: string;
  addressTo?: string;
}

export interface GenesysAnalyticsParticipant {
  participantId: string;
  participantName?: string;
  purpose: string;
  externalContactId?: string;
  attributes: ParticipantAttributes;
  sessions: GenesysAnalyticsSession[];
}

/** One conversation of an analytics job's results. */
export interface GenesysAnalyticsConversation {
  conversationId: string;
  conversationStart: string;
  conversationEnd?: string;
  participants: GenesysAnalyticsParticipant[];
}

/** One page of `GET …/jobs/{jobId}/results`. */
export interface GenesysJobResults {
  conversations: GenesysAnalyticsConversation[];
  /** Pass back for the next page; absent on the last page. */
  cursor?: string;
  /** The analytics watermark the job ran against: it holds no conversation that started after it. */
  dataAvailabilityDate?: string;
}

/** `GET /api/v2/analytics/conversations/details/jobs/availability`: how far the analytics data reaches. */
export interface GenesysDataAvailability {
  /** Conversations that started before this instant are in the data that jobs read; later ones not yet. */
  dataAvailabilityDate: string;
}
