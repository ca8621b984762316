import {
  type AttributeValue,
  attributeMap,
  ConfigurationError,
  type CustomerIdentity,
  type SourceCustomer,
} from '@cx-profile-sync/core/pure';
import type { IDataObject } from 'n8n-workflow';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const IDENTITY_KEYS = ['phone', 'email', 'externalContactId', 'name'] as const;

/**
 * A customer from an input item, as the Genesys Cloud node outputs it: `source` ({kind, id,
 * participantId?, at?}), `identity` ({phone?, email?, externalContactId?, name?}) and `attributes`.
 * Anything else is refused with what is missing, rather than synced half-read.
 */
export function customerFromItem(json: IDataObject): SourceCustomer {
  const problem = (what: string) =>
    new ConfigurationError(
      `the input item is not a Genesys Cloud customer (${what}); connect a Genesys Cloud node (Get Customer Attributes, List by Interval or Get External Contact), or set Source to an ID`,
      { platform: 'genesys' },
    );
  const { source, identity, attributes } = json;
  if (!isObject(source)) throw problem('it has no "source" object');
  if (source.kind !== 'conversation' && source.kind !== 'external-contact') {
    throw problem('"source.kind" is neither "conversation" nor "external-contact"');
  }
  if (typeof source.id !== 'string' || source.id === '') throw problem('"source.id" is missing');
  if (identity !== undefined && !isObject(identity)) throw problem('"identity" is not an object');
  if (!isObject(attributes)) throw problem('it has no "attributes" object');

  const who: CustomerIdentity = {};
  for (const key of IDENTITY_KEYS) {
    const value = identity?.[key];
    if (typeof value === 'string' && value.trim() !== '') who[key] = value.trim();
  }
  return {
    source: {
      kind: source.kind,
      id: source.id,
      ...(typeof source.participantId === 'string' ? { participantId: source.participantId } : {}),
      ...(typeof source.at === 'string' ? { at: source.at } : {}),
    },
    identity: who,
    // Own keys only, into a null-prototype map: "__proto__" or "constructor" stay plain data.
    attributes: attributeMap(Object.entries(attributes) as [string, AttributeValue][]),
  };
}
