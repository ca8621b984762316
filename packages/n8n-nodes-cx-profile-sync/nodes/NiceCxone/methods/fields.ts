import type { CxoneFieldDefinition } from '@cx-profile-sync/core/pure';
import type { ResourceMapperField } from 'n8n-workflow';

/** A custom-field definition as a resource-mapper field: lists become dropdowns, read-only ones stay out. */
export function fieldOfDefinition(d: CxoneFieldDefinition): ResourceMapperField {
  return {
    id: d.ident,
    displayName: d.label === d.ident ? d.ident : `${d.label} (${d.ident})`,
    required: d.isRequired && d.isEditable,
    defaultMatch: false,
    canBeUsedToMatch: false,
    display: true,
    type: d.type === 'list' ? 'options' : 'string',
    ...(d.type === 'list'
      ? { options: (d.values ?? []).map((v) => ({ name: v.name, value: v.value })) }
      : {}),
    readOnly: !d.isEditable,
    removed: !d.isEditable,
  };
}
