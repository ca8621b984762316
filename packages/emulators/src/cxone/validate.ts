import type { CxoneFieldDefinition } from '../seed/seed.js';

/** CXone takes custom-field values of at most this many characters. */
export const MAX_VALUE_LENGTH = 1024;

/**
 * One problem in the DFO error shape `{errors:[{field, message, errorCode, parameters?}]}`. The
 * errorCode names are the emulator's own (assumed): the public docs show the shape, not the codes.
 */
export interface DfoProblem {
  field: string;
  message: string;
  errorCode: string;
  parameters?: Record<string, unknown>;
}

// Deliberately simple: one "@", no spaces, a dot in the domain.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a PUT /customers/{id}/custom-fields body against the definitions. All or nothing: every
 * problem is listed, and a caller writes only when the list is empty.
 */
export function validateCustomFieldWrite(
  body: unknown,
  definitions: CxoneFieldDefinition[],
): { problems: DfoProblem[]; fields: { ident: string; value: string }[] } {
  const problems: DfoProblem[] = [];
  const fields: { ident: string; value: string }[] = [];
  if (!Array.isArray(body)) {
    problems.push({
      field: 'body',
      message: 'The body must be an array of {ident, value}',
      errorCode: 'InvalidBody',
    });
    return { problems, fields };
  }
  const seen = new Set<string>();
  body.forEach((item: unknown, i) => {
    if (!isObject(item)) {
      problems.push({
        field: `[${i}]`,
        message: 'Each entry must be an object {ident, value}',
        errorCode: 'InvalidBody',
      });
      return;
    }
    const { ident, value } = item;
    if (typeof ident !== 'string' || ident === '') {
      problems.push({
        field: `[${i}].ident`,
        message: 'ident must be a non-empty string',
        errorCode: 'InvalidIdent',
      });
      return;
    }
    if (seen.has(ident)) {
      problems.push({
        field: ident,
        message: `Custom field '${ident}' appears more than once`,
        errorCode: 'DuplicateIdent',
      });
      return;
    }
    seen.add(ident);
    const problem = checkValue(ident, value, definitions);
    if (problem) problems.push(problem);
    else fields.push({ ident, value: value as string });
  });
  return { problems, fields };
}

function checkValue(
  ident: string,
  value: unknown,
  definitions: CxoneFieldDefinition[],
): DfoProblem | undefined {
  const definition = definitions.find((d) => d.ident === ident);
  if (!definition) {
    return {
      field: ident,
      message: `Custom field '${ident}' is not defined`,
      errorCode: 'CustomFieldNotFound',
    };
  }
  if (!definition.isEditable) {
    return {
      field: ident,
      message: `Custom field '${ident}' is not editable`,
      errorCode: 'CustomFieldNotEditable',
    };
  }
  if (typeof value !== 'string') {
    return {
      field: ident,
      message: `The value of '${ident}' must be a string`,
      errorCode: 'InvalidValueType',
    };
  }
  // UTF-16 code units: the stricter of the two ways a server may count "characters" (assumed).
  if (value.length > MAX_VALUE_LENGTH) {
    return {
      field: ident,
      message: `The value of '${ident}' is longer than ${MAX_VALUE_LENGTH} characters`,
      errorCode: 'ValueTooLong',
      parameters: { maxLength: MAX_VALUE_LENGTH, length: value.length },
    };
  }
  // An empty value clears the field (assumed), which a required field does not allow.
  if (value === '') {
    return definition.isRequired
      ? { field: ident, message: `Custom field '${ident}' is required`, errorCode: 'CustomFieldRequired' }
      : undefined;
  }
  if (definition.type === 'email' && !EMAIL.test(value)) {
    return {
      field: ident,
      message: `The value of '${ident}' is not an e-mail address`,
      errorCode: 'InvalidEmail',
    };
  }
  // A tree's value is any of its nodes, checked as a list's (assumed: the docs do not say whether only
  // leaves may be chosen).
  if (definition.type === 'list' || definition.type === 'tree') {
    const allowed = (definition.values ?? []).map((v) => v.value);
    if (!allowed.includes(value)) {
      return {
        field: ident,
        message: `The value of '${ident}' is not one of the ${definition.type}'s values`,
        errorCode: 'ValueNotAllowed',
        parameters: { allowedValues: allowed },
      };
    }
  }
  return undefined;
}

/** Checks a PUT /customers/custom-field-definitions body; returns the definitions to store. */
export function validateDefinitions(body: unknown): {
  problems: DfoProblem[];
  definitions: CxoneFieldDefinition[];
} {
  const problems: DfoProblem[] = [];
  const definitions: CxoneFieldDefinition[] = [];
  if (!Array.isArray(body)) {
    problems.push({
      field: 'body',
      message: 'The body must be an array of definitions',
      errorCode: 'InvalidBody',
    });
    return { problems, definitions };
  }
  const seen = new Set<string>();
  body.forEach((d: unknown, i) => {
    const at = `[${i}]`;
    if (!isObject(d)) {
      problems.push({ field: at, message: 'Each definition must be an object', errorCode: 'InvalidBody' });
      return;
    }
    const { ident, type, values } = d;
    if (typeof ident !== 'string' || ident === '') {
      problems.push({
        field: `${at}.ident`,
        message: 'ident must be a non-empty string',
        errorCode: 'InvalidIdent',
      });
      return;
    }
    if (seen.has(ident)) {
      problems.push({
        field: ident,
        message: `ident '${ident}' appears more than once`,
        errorCode: 'DuplicateIdent',
      });
      return;
    }
    seen.add(ident);
    if (type !== 'text' && type !== 'email' && type !== 'list' && type !== 'tree') {
      problems.push({
        field: ident,
        message: 'type must be text, email, list or tree',
        errorCode: 'InvalidType',
      });
      return;
    }
    const definition: CxoneFieldDefinition = {
      ident,
      label: typeof d.label === 'string' ? d.label : ident,
      type,
      isRequired: d.isRequired === true || d.required === true,
      isEditable: d.isEditable !== false,
    };
    if (type === 'list' || type === 'tree') {
      const ok =
        Array.isArray(values) &&
        values.length > 0 &&
        values.every(
          (v) =>
            isObject(v) &&
            typeof v.name === 'string' &&
            typeof v.value === 'string' &&
            (v.parentId === undefined || v.parentId === null || typeof v.parentId === 'string'),
        );
      if (!ok) {
        problems.push({
          field: ident,
          message: `A ${type} field needs values: a non-empty array of {name, value${type === 'tree' ? ', parentId?' : ''}} strings`,
          errorCode: 'InvalidListValues',
        });
        return;
      }
      const list = values as { name: string; value: string; parentId?: string | null }[];
      const known = new Set(list.map((v) => v.value));
      const orphan = list.find((v) => typeof v.parentId === 'string' && !known.has(v.parentId));
      if (type === 'tree' && orphan) {
        problems.push({
          field: ident,
          message: `The parentId '${orphan.parentId}' of value '${orphan.value}' is not a value of the tree`,
          errorCode: 'InvalidTreeParent',
        });
        return;
      }
      definition.values = list.map((v) => ({
        name: v.name,
        value: v.value,
        ...(type === 'tree' && typeof v.parentId === 'string' ? { parentId: v.parentId } : {}),
      }));
    }
    definitions.push(definition);
  });
  return { problems, definitions };
}
