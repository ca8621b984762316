import { SeededRandom } from '../common/random.js';
import { longText, TRICKY_VALUES } from './tricky-values.js';

// ---------------------------------------------------------------------------------------------
// Shapes of the seed. Each platform's emulator copies what it needs into its own state.
// ---------------------------------------------------------------------------------------------

export interface SeedOptions {
  seed?: number;
  /** How many customers (default 50). */
  customers?: number;
  /** Conversations per customer (default 1); later ones change some attributes. */
  conversationsPerCustomer?: number;
  /** End of the interval the conversations fall in (ISO, default 2026-11-01T00:00:00Z). */
  conversationsEnd?: string;
  /** Length of that interval in days (default 30). */
  days?: number;
  /**
   * Conversations with no customer participant (an agent's call to an outside number: only `agent`
   * and `external`), spread over the interval (default 0). A sync reports them, a back-fill counts them.
   */
  conversationsWithoutCustomer?: number;
}

export interface SeedCustomer {
  index: number;
  firstName: string;
  lastName: string;
  email: string;
  /** E.164 */
  phone: string;
  /** Genesys external contact id. */
  externalContactId: string;
  /** CXone Digital customer id, or undefined for a customer CXone does not know. */
  cxoneCustomerId?: string;
  /** Cognigy profile id, or undefined where no profile exists yet. */
  cognigyProfileId?: string;
  /** Conversation ids of this customer, oldest first. */
  conversationIds: string[];
}

/**
 * The participant purposes the emulator serves: a conversation's customer is the one with `customer`;
 * `external` is an outside party (an agent's outbound call, a consult), `workflow` an Architect flow
 * of a message or chat, `dialer` an outbound campaign, `api` a participant added through the API.
 */
export const GENESYS_PARTICIPANT_PURPOSES = [
  'customer',
  'external',
  'ivr',
  'acd',
  'agent',
  'user',
  'workflow',
  'voicemail',
  'dialer',
  'api',
] as const;

export type GenesysParticipantPurpose = (typeof GENESYS_PARTICIPANT_PURPOSES)[number];

export interface SeedParticipant {
  id: string;
  purpose: GenesysParticipantPurpose;
  name?: string;
  ani?: string;
  dnis?: string;
  address?: string;
  externalContactId?: string;
  queueId?: string;
  userId?: string;
  mediaType: 'voice' | 'chat' | 'email' | 'message';
  startTime: string;
  endTime: string;
  attributes: Record<string, string>;
}

export interface SeedConversation {
  id: string;
  customerIndex: number;
  startTime: string;
  endTime: string;
  participants: SeedParticipant[];
}

export interface SeedPhone {
  display: string;
  e164: string;
  countryCode: string;
}

export interface SeedExternalContact {
  id: string;
  firstName: string;
  lastName: string;
  cellPhone: SeedPhone;
  workPhone?: SeedPhone;
  personalEmail: string;
  workEmail?: string;
  address: { address1: string; city: string; postalCode: string; countryCode: string };
  createDate: string;
  modifyDate: string;
  schemaId: string;
  customFields: Record<string, string | number | boolean>;
}

export interface CxoneFieldDefinition {
  ident: string;
  label: string;
  /** The Digital SDK's types; a `tree` field's values name their parent (`parentId`, a parent's value). */
  type: 'text' | 'email' | 'list' | 'tree';
  isRequired: boolean;
  isEditable: boolean;
  values?: { name: string; value: string; parentId?: string }[];
}

export interface SeedCxoneCustomer {
  id: string;
  firstName: string;
  surname: string;
  identities: { idOnExternalPlatform: string; firstName: string; lastName: string }[];
  customFields: { ident: string; value: string }[];
}

export interface CognigySchemaEntry {
  field: string;
  internal: string;
  type: 'string' | 'number' | 'boolean' | 'object';
}

export interface SeedCognigyProfile {
  id: string;
  contactIds: string[];
  profile: Record<string, unknown>;
}

export interface SeedData {
  options: Required<SeedOptions>;
  customers: SeedCustomer[];
  genesys: {
    clientId: string;
    clientSecret: string;
    /** The organization the OAuth client belongs to (`GET /api/v2/tokens/me`). */
    organization: { id: string; name: string };
    /** The OAuth client's name, as the admin UI shows it. */
    clientName: string;
    conversations: SeedConversation[];
    /**
     * Where the analytics data lake's watermark starts (ISO): the start of the seed's most recent
     * conversations (one per 25, at most 3), which analytics jobs leave out until it moves; none
     * (nothing held back) when there are fewer than 25 conversations.
     */
    dataAvailabilityDate?: string;
    externalContacts: SeedExternalContact[];
    contactSchema: {
      id: string;
      name: string;
      version: number;
      properties: Record<string, { type: string; title: string }>;
    };
  };
  cxone: {
    clientId: string;
    clientSecret: string;
    accessKeyId: string;
    accessKeySecret: string;
    tenantId: string;
    businessUnitId: number;
    userId: string;
    definitions: CxoneFieldDefinition[];
    customers: SeedCxoneCustomer[];
  };
  cognigy: {
    apiKey: string;
    projectId: string;
    schema: CognigySchemaEntry[];
    profiles: SeedCognigyProfile[];
  };
}

// ---------------------------------------------------------------------------------------------
// Schemas on the targets: they cover some of the Genesys attribute keys and not others, on purpose.
// ---------------------------------------------------------------------------------------------

export const LOYALTY_TIERS = ['bronze', 'silver', 'gold', 'platinum'] as const;
export const CHANNELS = ['voice', 'email', 'chat', 'sms'] as const;

/** The values of the seed's CXone `tree` field: two roots and their children. */
export const CXONE_REGION_TREE: { name: string; value: string; parentId?: string }[] = [
  { name: 'Europe', value: 'europe' },
  { name: 'United Kingdom', value: 'europe-uk', parentId: 'europe' },
  { name: 'Germany', value: 'europe-de', parentId: 'europe' },
  { name: 'Americas', value: 'americas' },
  { name: 'United States', value: 'americas-us', parentId: 'americas' },
];

export const CXONE_FIELD_DEFINITIONS: CxoneFieldDefinition[] = [
  {
    ident: 'loyalty_tier',
    label: 'Loyalty tier',
    type: 'list',
    isRequired: false,
    isEditable: true,
    values: LOYALTY_TIERS.map((t) => ({ name: t[0]!.toUpperCase() + t.slice(1), value: t })),
  },
  { ident: 'annual_spend', label: 'Annual spend', type: 'text', isRequired: false, isEditable: true },
  {
    ident: 'preferred_channel',
    label: 'Preferred channel',
    type: 'list',
    isRequired: false,
    isEditable: true,
    values: CHANNELS.map((c) => ({ name: c, value: c })),
  },
  { ident: 'account_number', label: 'Account number', type: 'text', isRequired: false, isEditable: true },
  { ident: 'phone_ext', label: 'Phone extension', type: 'text', isRequired: false, isEditable: true },
  { ident: 'promo_code', label: 'Promo code', type: 'text', isRequired: false, isEditable: true },
  {
    ident: 'opted_in',
    label: 'Opted in',
    type: 'list',
    isRequired: false,
    isEditable: true,
    values: [
      { name: 'Yes', value: 'true' },
      { name: 'No', value: 'false' },
    ],
  },
  { ident: 'last_purchase_at', label: 'Last purchase', type: 'text', isRequired: false, isEditable: true },
  { ident: 'display_name', label: 'Display name', type: 'text', isRequired: false, isEditable: true },
  { ident: 'long_note', label: 'Note', type: 'text', isRequired: false, isEditable: true },
  { ident: 'notes', label: 'Notes', type: 'text', isRequired: false, isEditable: true },
  { ident: 'contact_email', label: 'Contact e-mail', type: 'email', isRequired: false, isEditable: true },
  { ident: 'risk_score', label: 'Risk score', type: 'text', isRequired: false, isEditable: true },
  { ident: 'crm_id', label: 'CRM id (read-only)', type: 'text', isRequired: false, isEditable: false },
  {
    // A tree: a value is any node, a root or a leaf; no Genesys attribute of the seed maps to it.
    ident: 'home_region',
    label: 'Home region',
    type: 'tree',
    isRequired: false,
    isEditable: true,
    values: CXONE_REGION_TREE.map((v) => ({ ...v })),
  },
];

export const COGNIGY_SCHEMA: CognigySchemaEntry[] = [
  { field: 'First name', internal: 'firstname', type: 'string' },
  { field: 'Last name', internal: 'lastname', type: 'string' },
  { field: 'E-mail', internal: 'email', type: 'string' },
  { field: 'Profile picture', internal: 'profilepic', type: 'string' },
  { field: 'Goals', internal: 'goals', type: 'object' },
  { field: 'Accepted GDPR', internal: 'accepted_gdpr', type: 'boolean' },
  { field: 'Prevent data collection', internal: 'prevent_data_collection', type: 'boolean' },
  { field: 'Loyalty tier', internal: 'loyalty_tier', type: 'string' },
  { field: 'Annual spend', internal: 'annual_spend', type: 'number' },
  { field: 'Opted in', internal: 'opted_in', type: 'boolean' },
  { field: 'Risk score', internal: 'risk_score', type: 'number' },
  { field: 'Big account id', internal: 'big_account_id', type: 'number' },
  { field: 'Account number', internal: 'account_number', type: 'string' },
  { field: 'Promo code', internal: 'promo_code', type: 'string' },
  { field: 'Preferences', internal: 'preferences', type: 'object' },
  { field: 'Birthday', internal: 'birthday', type: 'string' },
  { field: 'Display name', internal: 'display_name', type: 'string' },
  { field: 'Last purchase', internal: 'last_purchase_at', type: 'string' },
  { field: 'Visits', internal: 'visits', type: 'number' },
];

/** The Genesys external-contact custom-field schema (JSON-schema properties, keys end in their type). */
export const GENESYS_CONTACT_SCHEMA_PROPERTIES: Record<string, { type: string; title: string }> = {
  loyalty_tier_text: { type: 'string', title: 'Loyalty tier' },
  annual_spend_number: { type: 'number', title: 'Annual spend' },
  visits_integer: { type: 'integer', title: 'Visits' },
  opted_in_checkbox: { type: 'boolean', title: 'Opted in' },
  member_since_date: { type: 'string', title: 'Member since' },
};

const FIRST_NAMES = [
  'Ada',
  'Björn',
  'Chiara',
  'Dmitri',
  'Émile',
  'Fatima',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemal',
  'Lena',
  'Mateo',
  'Noor',
  'Olga',
  'Pavel',
  'Quinn',
  'Rosa',
  'Sven',
  'Tariq',
];
const LAST_NAMES = [
  'Lovelace',
  'Okafor',
  'Rossi',
  'Ivanov',
  'Durand',
  'Haddad',
  'Hopper',
  'Tanaka',
  'García',
  'Schmidt',
  'Yilmaz',
  'Berg',
  'Silva',
  'Khan',
  'Novak',
  'Horvat',
  'Murphy',
  'Costa',
  'Lund',
  'Aziz',
];

const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

const DEFAULTS: Required<SeedOptions> = {
  seed: 42,
  customers: 50,
  conversationsPerCustomer: 1,
  conversationsEnd: '2026-11-01T00:00:00.000Z',
  days: 30,
  conversationsWithoutCustomer: 0,
};

/**
 * The Genesys participant attributes of customer `index` in its `n`th conversation. Every key the
 * converters must be careful with appears here; which tricky value a customer gets rotates with its
 * index, so that a few dozen customers cover them all.
 */
export function seedAttributes(index: number, n: number, r: SeededRandom): Record<string, string> {
  const pick = <T>(values: readonly T[]) => values[(index + n) % values.length]!;
  const attrs: Record<string, string> = {
    loyalty_tier: index % 17 === 5 ? 'diamond' : LOYALTY_TIERS[(index + n) % LOYALTY_TIERS.length]!,
    annual_spend: `${r.int(100, 99999)}.${String(r.int(0, 99)).padStart(2, '0')}`,
    preferred_channel: CHANNELS[(index * 3 + n) % CHANNELS.length]!,
    account_number: pick(TRICKY_VALUES.leadingZeros) + (index % 2 === 0 ? '' : String(index)),
    phone_ext: pick(TRICKY_VALUES.plusPrefixed),
    promo_code: pick(TRICKY_VALUES.exponent),
    // Rotate on index/3 so that each third of the customers sees every value of its group.
    risk_score: [
      TRICKY_VALUES.notANumber[Math.floor(index / 3) % 3]!,
      TRICKY_VALUES.paddedNumber[Math.floor(index / 3) % 3]!,
      String(r.int(0, 100)),
    ][index % 3]!,
    opted_in: pick(TRICKY_VALUES.booleanish),
    big_account_id: pick(TRICKY_VALUES.pastSafeInteger),
    last_purchase_at: pick(TRICKY_VALUES.isoDateTime),
    birthday: pick(TRICKY_VALUES.isoDate),
    notes: '',
    display_name: pick(TRICKY_VALUES.nonLatin),
    long_note: longText(1000, index),
    contact_email: index % 11 === 7 ? 'not-an-email' : `contact${index}@example.org`,
    preferences: JSON.stringify({ newsletter: index % 2 === 0, language: pick(['en', 'de', 'fr', 'ja']) }),
    visits: String(r.int(1, 500)),
    // Keys that pollute prototypes when copied naively.
    constructor: `ctor-${index}`,
  };
  // An object literal treats a `__proto__` key specially; set it as own data explicitly.
  Object.defineProperty(attrs, '__proto__', {
    value: `proto-${index}`,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return attrs;
}

/**
 * Whether seed customer `index` has a Cognigy profile with `prevent_data_collection: true` (one in
 * fifty, the first being customer 6): a sync writes nothing to it (outcome `skipped`, reason `consent`).
 */
export const consentedOut = (index: number) => index % 50 === 6 && index % 4 !== 3;

/** Makes the whole seed, deterministic from `options.seed`. */
export function generateSeed(options: SeedOptions = {}): SeedData {
  const o = { ...DEFAULTS, ...stripUndefined(options) };
  const r = new SeededRandom(o.seed);
  // A second source for what came later (other purposes, customer-less conversations, the
  // organization), so that everything drawn from `r` stays as it was.
  const extra = new SeededRandom(o.seed * 7919 + 11);
  const organizationId = extra.uuid();
  const endMs = Date.parse(o.conversationsEnd);
  if (Number.isNaN(endMs)) throw new Error(`conversationsEnd is not an ISO date: ${o.conversationsEnd}`);
  const spanMs = o.days * 86_400_000;

  const cxoneTenantId = r.uuid();
  const cognigyProjectId = r.uuid().replace(/-/g, '').slice(0, 24);
  const queueId = r.uuid();
  const agentUserId = r.uuid();
  const schemaId = r.uuid();

  const customers: SeedCustomer[] = [];
  const conversations: SeedConversation[] = [];
  const externalContacts: SeedExternalContact[] = [];
  const cxoneCustomers: SeedCxoneCustomer[] = [];
  const profiles: SeedCognigyProfile[] = [];

  for (let i = 0; i < o.customers; i++) {
    const firstName = FIRST_NAMES[i % FIRST_NAMES.length]!;
    const lastName = LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length]!;
    const email = `${ascii(firstName)}.${ascii(lastName)}.${i}@example.com`;
    const phone = `+4479${String(i).padStart(8, '0')}`;
    const customer: SeedCustomer = {
      index: i,
      firstName,
      lastName,
      email,
      phone,
      externalContactId: r.uuid(),
      conversationIds: [],
    };
    // One customer in ten is unknown to CXone (a sync must report it, never create it).
    if (i % 10 !== 9) customer.cxoneCustomerId = r.uuid().replace(/-/g, '');
    // One in four has no Cognigy profile yet (a sync creates it).
    if (i % 4 !== 3) customer.cognigyProfileId = r.uuid().replace(/-/g, '').slice(0, 24);
    customers.push(customer);

    const created = new Date(endMs - spanMs - r.int(1, 1000) * 86_400_000).toISOString();
    externalContacts.push({
      id: customer.externalContactId,
      firstName,
      lastName,
      cellPhone: { display: phone, e164: phone, countryCode: 'GB' },
      personalEmail: email,
      address: {
        address1: `${i + 1} High Street`,
        city: 'London',
        postalCode: 'EC1A 1BB',
        countryCode: 'GB',
      },
      createDate: created,
      modifyDate: created,
      schemaId,
      customFields: {
        loyalty_tier_text: LOYALTY_TIERS[i % LOYALTY_TIERS.length]!,
        annual_spend_number: r.int(100, 99999) + r.int(0, 99) / 100,
        visits_integer: r.int(1, 500),
        opted_in_checkbox: i % 2 === 0,
        member_since_date: created.slice(0, 10),
      },
    });

    const perCustomer = o.conversationsPerCustomer;
    const own: SeedConversation[] = [];
    const lastAttributes: Record<string, string>[] = [];
    for (let n = 0; n < perCustomer; n++) {
      const start = endMs - spanMs + r.int(0, spanMs - 3_600_000);
      const end = start + r.int(60, 1800) * 1000;
      const iso = (ms: number) => new Date(ms).toISOString();
      const attributes = seedAttributes(i, n, r);
      lastAttributes.push(attributes);
      const mediaType = i % 5 === 4 ? 'chat' : 'voice';
      const customerParticipant: SeedParticipant = {
        id: r.uuid(),
        purpose: 'customer',
        name: `${firstName} ${lastName}`,
        mediaType,
        startTime: iso(start),
        endTime: iso(end),
        attributes,
        ...(mediaType === 'voice'
          ? { ani: `tel:${phone}`, dnis: 'tel:+442079460000', address: `tel:${phone}` }
          : { address: email }),
        // Two customers in three are linked to their external contact.
        ...(i % 3 !== 2 ? { externalContactId: customer.externalContactId } : {}),
      };
      own.push({
        id: r.uuid(),
        customerIndex: i,
        startTime: iso(start),
        endTime: iso(end),
        participants: [
          customerParticipant,
          {
            id: r.uuid(),
            purpose: 'ivr',
            name: 'Main IVR',
            mediaType,
            startTime: iso(start),
            endTime: iso(start + 30_000),
            // The IVR sees some data too; a sync must read the customer's, not these.
            attributes: { ivr_menu: 'billing', loyalty_tier: 'ivr-guess' },
          },
          {
            id: r.uuid(),
            purpose: 'acd',
            name: 'Support',
            queueId,
            mediaType,
            startTime: iso(start + 30_000),
            endTime: iso(start + 45_000),
            attributes: {},
          },
          {
            id: r.uuid(),
            purpose: 'agent',
            name: 'Agent Smith',
            userId: agentUserId,
            mediaType,
            startTime: iso(start + 45_000),
            endTime: iso(end),
            attributes: {},
          },
          ...otherParticipants(i, mediaType, start, end, extra),
        ],
      });
    }
    // Conversations of one customer ordered by time, so "the latest" is well defined.
    own.sort((a, b) => a.startTime.localeCompare(b.startTime));
    customer.conversationIds = own.map((c) => c.id);
    conversations.push(...own);

    if (customer.cxoneCustomerId) {
      const attrs = lastAttributes[0]!;
      cxoneCustomers.push({
        id: customer.cxoneCustomerId,
        firstName,
        surname: lastName,
        identities: [
          { idOnExternalPlatform: phone, firstName, lastName },
          { idOnExternalPlatform: email, firstName, lastName },
        ],
        // Some fields already hold the Genesys value (a sync leaves them), others differ.
        customFields: [
          { ident: 'preferred_channel', value: i % 2 === 0 ? attrs.preferred_channel! : 'email' },
          { ident: 'display_name', value: `${firstName} ${lastName}` },
          { ident: 'crm_id', value: `CRM-${i}` },
        ],
      });
    }
    if (customer.cognigyProfileId) {
      profiles.push({
        id: customer.cognigyProfileId,
        contactIds: [email, phone],
        profile: {
          firstname: firstName,
          lastname: lastName,
          email,
          profilepic: '',
          goals: [],
          accepted_gdpr: true,
          // One customer in fifty asked that no data be collected (see consentedOut): never written.
          prevent_data_collection: consentedOut(i),
          loyalty_tier: i % 2 === 0 ? LOYALTY_TIERS[i % LOYALTY_TIERS.length] : 'none',
        },
      });
    }
  }

  conversations.push(...conversationsWithoutCustomer(o.conversationsWithoutCustomer, endMs, spanMs, extra));
  conversations.sort((a, b) => a.startTime.localeCompare(b.startTime));
  return {
    options: o,
    customers,
    genesys: {
      clientId: `genesys-client-${o.seed}`,
      clientSecret: `genesys-secret-${r.uuid()}`,
      organization: { id: organizationId, name: `Emulated org ${o.seed}` },
      clientName: 'cx-profile-sync',
      conversations,
      ...seedWatermark(conversations),
      externalContacts,
      contactSchema: {
        id: schemaId,
        name: 'Customer',
        version: 1,
        properties: GENESYS_CONTACT_SCHEMA_PROPERTIES,
      },
    },
    cxone: {
      clientId: `cxone-app-${o.seed}`,
      clientSecret: `cxone-app-secret-${r.uuid()}`,
      accessKeyId: `AK${r.uuid().replace(/-/g, '').toUpperCase().slice(0, 20)}`,
      // Real access-key secrets are base64 and end in "=="; clients must URL-encode them.
      accessKeySecret: `${Buffer.from(r.uuid() + r.uuid())
        .toString('base64')
        .slice(0, 40)}+/====`,
      tenantId: cxoneTenantId,
      businessUnitId: 4600000 + r.int(0, 99999),
      userId: r.uuid(),
      definitions: structuredClone(CXONE_FIELD_DEFINITIONS),
      customers: cxoneCustomers,
    },
    cognigy: {
      apiKey: `cognigy-key-${r.uuid().replace(/-/g, '')}`,
      projectId: cognigyProjectId,
      schema: structuredClone(COGNIGY_SCHEMA),
      profiles,
    },
  };
}

/** Conversations the seed's analytics watermark leaves out: one per 25, at most 3. */
export function pendingConversationCount(total: number): number {
  return Math.min(3, Math.floor(total / 25));
}

/** The seed's watermark: the start of its first pending conversation (sorted by start), if any. */
function seedWatermark(sorted: readonly SeedConversation[]): { dataAvailabilityDate?: string } {
  const pending = pendingConversationCount(sorted.length);
  return pending > 0 ? { dataAvailabilityDate: sorted[sorted.length - pending]!.startTime } : {};
}

/**
 * Participants beside the customer, IVR, queue and agent in some conversations, with purposes a sync
 * must step over (some hold attributes of their own, which are never the customer's): a chat's
 * Architect flow (`workflow`), a voicemail, a consult with an outside number (`external`), a transfer
 * to a user, an outbound campaign's `dialer`, a participant added through the `api`.
 */
function otherParticipants(
  i: number,
  mediaType: SeedParticipant['mediaType'],
  startMs: number,
  endMs: number,
  r: SeededRandom,
): SeedParticipant[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  const at = { mediaType, startTime: iso(startMs), endTime: iso(endMs) };
  const out: SeedParticipant[] = [];
  if (mediaType === 'chat')
    out.push({
      id: r.uuid(),
      purpose: 'workflow',
      name: 'Inbound chat flow',
      ...at,
      attributes: { flow_outcome: 'routed', loyalty_tier: 'workflow-guess' },
    });
  if (mediaType === 'voice' && i % 6 === 1)
    out.push({ id: r.uuid(), purpose: 'voicemail', name: 'Voicemail', ...at, attributes: {} });
  if (mediaType === 'voice' && i % 6 === 3)
    out.push({
      id: r.uuid(),
      purpose: 'external',
      name: 'Partner desk',
      address: 'tel:+442079460999',
      ...at,
      attributes: { loyalty_tier: 'external-guess' },
    });
  if (i % 7 === 2) out.push({ id: r.uuid(), purpose: 'user', name: 'Back office', ...at, attributes: {} });
  if (i % 8 === 5)
    out.push({
      id: r.uuid(),
      purpose: 'dialer',
      name: 'Renewals campaign',
      ...at,
      attributes: { campaign: 'renewals' },
    });
  if (i % 9 === 4) out.push({ id: r.uuid(), purpose: 'api', name: 'Callback API', ...at, attributes: {} });
  return out;
}

/** Agents' calls to outside numbers: an `agent` and an `external` participant, no customer. */
function conversationsWithoutCustomer(
  count: number,
  endMs: number,
  spanMs: number,
  r: SeededRandom,
): SeedConversation[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  const out: SeedConversation[] = [];
  for (let k = 0; k < count; k++) {
    const start = endMs - spanMs + r.int(0, spanMs - 3_600_000);
    const end = start + r.int(60, 600) * 1000;
    const at = { mediaType: 'voice' as const, startTime: iso(start), endTime: iso(end) };
    const number = `tel:+4420794${String(61000 + k).padStart(5, '0')}`;
    out.push({
      id: r.uuid(),
      customerIndex: -1,
      startTime: iso(start),
      endTime: iso(end),
      participants: [
        {
          id: r.uuid(),
          purpose: 'agent',
          name: 'Agent Smith',
          ani: 'tel:+442079460000',
          dnis: number,
          ...at,
          attributes: {},
        },
        {
          id: r.uuid(),
          purpose: 'external',
          name: 'Outside number',
          address: number,
          ...at,
          attributes: { loyalty_tier: 'external-guess' },
        },
      ],
    });
  }
  return out;
}

/**
 * The attributes a customer should end with on the Genesys side: the attributes of its
 * conversations merged oldest first (a later conversation's value wins).
 */
export function latestAttributes(seed: SeedData, customerIndex: number): Record<string, string> {
  const merged: Record<string, string> = Object.create(null);
  const ids = new Set(seed.customers[customerIndex]!.conversationIds);
  const own = seed.genesys.conversations.filter((c) => ids.has(c.id));
  own.sort((a, b) => a.startTime.localeCompare(b.startTime));
  for (const conv of own) {
    const p = conv.participants.find((x) => x.purpose === 'customer')!;
    for (const [k, v] of Object.entries(p.attributes)) merged[k] = v;
  }
  return merged;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
