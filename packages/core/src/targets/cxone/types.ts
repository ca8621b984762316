/** A Digital (DFO) custom-field definition: GET /dfo/3.0/customers/custom-field-definitions. */
export interface CxoneFieldDefinition {
  ident: string;
  label: string;
  type: 'text' | 'email' | 'list';
  isRequired: boolean;
  isEditable: boolean;
  values?: { name: string; value: string }[];
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
