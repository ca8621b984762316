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

export interface SeedParticipant {
  id: string;
  purpose: 'customer' | 'ivr' | 'acd' | 'agent';
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
  type: 'text' | 'email' | 'list';
  isRequired: boolean;
  isEditable: boolean;
  values?: { name: string; value: string }[];
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
    conversations: SeedConversation[];
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

/** Makes the whole seed, deterministic from `options.seed`. */
export function generateSeed(options: SeedOptions = {}): SeedData {
  const o = { ...DEFAULTS, ...stripUndefined(options) };
  const r = new SeededRandom(o.seed);
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
          prevent_data_collection: false,
          loyalty_tier: i % 2 === 0 ? LOYALTY_TIERS[i % LOYALTY_TIERS.length] : 'none',
        },
      });
    }
  }

  return {
    options: o,
    customers,
    genesys: {
      clientId: `genesys-client-${o.seed}`,
      clientSecret: `genesys-secret-${r.uuid()}`,
      conversations: conversations.sort((a, b) => a.startTime.localeCompare(b.startTime)),
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
