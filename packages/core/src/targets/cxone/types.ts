/** The custom-field types NICE's Digital SDK declares. */
export const CXONE_FIELD_TYPES = ['text', 'email', 'list', 'tree'] as const;
export type CxoneKnownFieldType = (typeof CXONE_FIELD_TYPES)[number];

/** One choice of a `list` or `tree` field; in a tree, `parentId` names its parent's value (none: a root). */
export interface CxoneFieldValue {
  name: string;
  value: string;
  parentId?: string;
}

/**
 * A Digital (DFO) custom-field definition: GET /dfo/3.0/customers/custom-field-definitions. A type not
 * known yet is kept as sent (its attributes are skipped with a reason, see convert.ts).
 */
export interface CxoneFieldDefinition {
  ident: string;
  label: string;
  type: CxoneKnownFieldType | (string & {});
  /** `isRequired`, or `required` as some definitions name it. */
  isRequired: boolean;
  isEditable: boolean;
  values?: CxoneFieldValue[];
}

/** One custom-field value to write: PUT /dfo/3.0/customers/{id}/custom-fields takes an array of these. */
export interface CxoneCustomFieldValue {
  ident: string;
  value: string;
}

/** A Digital customer (customer card): GET /dfo/3.0/customers/{id}. */
export interface CxoneCustomer {
  id: string;
  firstName?: string;
  surname?: string;
  fullName?: string;
  customFields: { ident: string; value: string; updatedAt?: string }[];
  identities: { idOnExternalPlatform: string; firstName?: string; lastName?: string }[];
  updatedAt?: string;
}

/** CXone never takes values longer than this. */
export const CXONE_MAX_VALUE_LENGTH = 1024;
