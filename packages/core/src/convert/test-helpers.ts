// Test fixtures (excluded from the build): the emulators' seed schemas, copied so that core's tests
// state exactly what they convert against. seed-data.test.ts checks they still equal the seed's.
import type { CognigySchemaEntry } from '../targets/cognigy/types.js';
import type { CxoneFieldDefinition } from '../targets/cxone/types.js';

export const SEED_CXONE_FIELD_DEFINITIONS: CxoneFieldDefinition[] = [
  {
    ident: 'loyalty_tier',
    label: 'Loyalty tier',
    type: 'list',
    isRequired: false,
    isEditable: true,
    values: [
      { name: 'Bronze', value: 'bronze' },
      { name: 'Silver', value: 'silver' },
      { name: 'Gold', value: 'gold' },
      { name: 'Platinum', value: 'platinum' },
    ],
  },
  { ident: 'annual_spend', label: 'Annual spend', type: 'text', isRequired: false, isEditable: true },
  {
    ident: 'preferred_channel',
    label: 'Preferred channel',
    type: 'list',
    isRequired: false,
    isEditable: true,
    values: [
      { name: 'voice', value: 'voice' },
      { name: 'email', value: 'email' },
      { name: 'chat', value: 'chat' },
      { name: 'sms', value: 'sms' },
    ],
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

export const SEED_COGNIGY_SCHEMA: CognigySchemaEntry[] = [
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

/** Keys that reach prototypes when attributes are copied naively. */
export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'prototype',
];

/**
 * The source key behind each written target field, and every skipped key: a conversion accounts for
 * each input key (and each default-only key of the mapping) exactly once when this list, sorted,
 * equals those keys sorted. Throws when a written field has no source or more than one.
 */
export function accountedKeys(
  inputKeys: readonly string[],
  writtenTargets: readonly string[],
  skipped: readonly { key: string }[],
  rules: Record<string, { to?: string; drop: boolean; default?: unknown }> = Object.create(null),
): string[] {
  const ruleOf = (k: string) => (Object.hasOwn(rules, k) ? rules[k] : undefined);
  const candidates = [
    ...inputKeys,
    ...Object.keys(rules).filter(
      (k) => !inputKeys.includes(k) && !rules[k]!.drop && rules[k]!.default !== undefined,
    ),
  ];
  const skippedKeys = skipped.map((s) => s.key);
  const fromWritten = writtenTargets.map((target) => {
    const sources = candidates.filter((k) => (ruleOf(k)?.to ?? k) === target && !skippedKeys.includes(k));
    if (sources.length !== 1) throw new Error(`field ${target} has ${sources.length} sources`);
    return sources[0]!;
  });
  return [...fromWritten, ...skippedKeys];
}

/** The keys a conversion must account for: the input's and the mapping's default-only ones. */
export function expectedKeys(
  inputKeys: readonly string[],
  rules: Record<string, { drop: boolean; default?: unknown }> = Object.create(null),
): string[] {
  return [
    ...inputKeys,
    ...Object.keys(rules).filter(
      (k) => !inputKeys.includes(k) && !rules[k]!.drop && rules[k]!.default !== undefined,
    ),
  ];
}
