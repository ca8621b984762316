/** A value as a source holds it: Genesys participant data is all strings; external-contact custom fields are typed. */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

/**
 * An attribute map. Always created with `Object.create(null)` (see `attributeMap`), so that keys such
 * as `__proto__` and `constructor` are plain data and never reach a prototype.
 */
export type AttributeMap = Record<string, AttributeValue>;

export function attributeMap(entries?: Iterable<[string, AttributeValue]>): AttributeMap {
  const m: AttributeMap = Object.create(null);
  if (entries) for (const [k, v] of entries) m[k] = v;
  return m;
}

/** How to find the same customer on a target. */
export interface CustomerIdentity {
  /** E.164, for example +447900000001. */
  phone?: string;
  email?: string;
  externalContactId?: string;
  name?: string;
}

/** One customer read from the source, ready to convert. */
export interface SourceCustomer {
  source: {
    kind: 'conversation' | 'external-contact';
    /** The conversation id or the external contact id. */
    id: string;
    participantId?: string;
    /** When the data was observed (conversation start, contact modifyDate). */
    at?: string;
  };
  identity: CustomerIdentity;
  attributes: AttributeMap;
}
