import type { CxoneFieldDefinition } from '@cx-profile-sync/core/pure';
import type { INodePropertyOptions, ResourceMapperField } from 'n8n-workflow';

/** A tree node's name with its parents' names before it ("Europe › United Kingdom"). */
function treeName(values: NonNullable<CxoneFieldDefinition['values']>, value: string): string {
  const byValue = new Map(values.map((v) => [v.value, v]));
  const names: string[] = [];
  const seen = new Set<string>();
  for (
    let v = byValue.get(value);
    v && !seen.has(v.value);
    v = v.parentId ? byValue.get(v.parentId) : undefined
  ) {
    seen.add(v.value);
    names.unshift(v.name);
  }
  return names.join(' › ');
}

/**
 * A custom-field definition as a resource-mapper field: lists and trees become dropdowns (a tree's
 * nodes named with their parents), read-only ones stay out.
 */
export function fieldOfDefinition(d: CxoneFieldDefinition): ResourceMapperField {
  const choices = d.type === 'list' || d.type === 'tree';
  const values = d.values ?? [];
  return {
    id: d.ident,
    displayName: d.label === d.ident ? d.ident : `${d.label} (${d.ident})`,
    required: d.isRequired && d.isEditable,
    defaultMatch: false,
    canBeUsedToMatch: false,
    display: true,
    type: choices ? 'options' : 'string',
    ...(choices
      ? {
          options: values.map((v) => ({
            name: d.type === 'tree' ? treeName(values, v.value) : v.name,
            value: v.value,
          })),
        }
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
