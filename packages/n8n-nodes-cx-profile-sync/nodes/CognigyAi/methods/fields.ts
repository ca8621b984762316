import type { CognigySchemaEntry } from '@cx-profile-sync/core/pure';
import type { FieldType, ResourceMapperField } from 'n8n-workflow';

const TYPES: Record<CognigySchemaEntry['type'], FieldType> = {
  string: 'string',
  number: 'number',
  boolean: 'boolean',
  object: 'object',
};

/** A profile-schema entry as a resource-mapper field, typed as the schema says. */
export function fieldOfSchemaEntry(e: CognigySchemaEntry): ResourceMapperField {
  return {
    id: e.internal,
    displayName: e.field === e.internal ? e.internal : `${e.field} (${e.internal})`,
    required: false,
    defaultMatch: false,
    canBeUsedToMatch: false,
    display: true,
    type: TYPES[e.type],
  };
}
