import type { CxoneFieldDefinition } from '@cx-profile-sync/core/pure';
import type { INodePropertyOptions, ResourceMapperField } from 'n8n-workflow';

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

/**
 * A custom-field definition as a dropdown option of "Clear Custom Field", or none when CXone would
 * refuse to clear it (read-only or required).
 */
export function optionOfClearableDefinition(d: CxoneFieldDefinition): INodePropertyOptions[] {
  if (!d.isEditable || d.isRequired) return [];
  return [{ name: d.label === d.ident ? d.ident : `${d.label} (${d.ident})`, value: d.ident }];
}
