import type { CxoneFieldDefinition, SeedData } from '../seed/seed.js';

/** One stored custom-field value of a customer. */
export interface CxoneStoredField {
  value: string;
  updatedAt: string;
}

/** A Digital customer as the emulator keeps it. */
export interface CxoneStoredCustomer {
  id: string;
  firstName: string;
  surname: string;
  identities: { idOnExternalPlatform: string; firstName: string; lastName: string }[];
  /** By ident. A Map, so that idents such as `__proto__` or `constructor` stay plain data. */
  customFields: Map<string, CxoneStoredField>;
  updatedAt: string;
}

export interface CxoneAccessToken {
  clientId: string;
  expiresAt: number;
}

export interface CxoneState {
  definitions: CxoneFieldDefinition[];
  customers: Map<string, CxoneStoredCustomer>;
  /** Access tokens → expiry. */
  tokens: Map<string, CxoneAccessToken>;
  /** Refresh tokens → the app they were issued to, and the scopes of the grant. */
  refreshTokens: Map<string, { clientId: string; scopes?: string[] }>;
}

export function initialCxoneState(seed: SeedData): CxoneState {
  // A fixed time, so that the seed state is the same on every start.
  const seededAt = seed.options.conversationsEnd;
  return {
    definitions: structuredClone(seed.cxone.definitions),
    customers: new Map(
      seed.cxone.customers.map((c) => [
        c.id,
        {
          id: c.id,
          firstName: c.firstName,
          surname: c.surname,
          identities: structuredClone(c.identities),
          customFields: new Map(
            c.customFields.map((f) => [f.ident, { value: f.value, updatedAt: seededAt }]),
          ),
          updatedAt: seededAt,
        },
      ]),
    ),
    tokens: new Map(),
    refreshTokens: new Map(),
  };
}

/** The DFO customer shape of GET /dfo/3.0/customers/{id}. */
export function toDfoCustomer(c: CxoneStoredCustomer) {
  return {
    id: c.id,
    firstName: c.firstName,
    surname: c.surname,
    fullName: `${c.firstName} ${c.surname}`.trim(),
    customFields: toDfoCustomFields(c),
    identities: c.identities.map((i) => ({ ...i })),
    updatedAt: c.updatedAt,
  };
}

export function toDfoCustomFields(c: CxoneStoredCustomer) {
  return [...c.customFields].map(([ident, f]) => ({ ident, value: f.value, updatedAt: f.updatedAt }));
}
