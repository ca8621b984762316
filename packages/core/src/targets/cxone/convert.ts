/**
 * Source attributes → CXone Digital custom-field values, checked against the field definitions
 * (GET /dfo/3.0/customers/custom-field-definitions). CXone takes strings only:
 *
 * - `text`: the string exactly as the source has it; a typed number or boolean becomes its canonical
 *   text (`toText`: 12.5 → "12.5", true → "true"); an object or array becomes its JSON text.
 * - `email`: the text must pass a pragmatic RFC 5322 check (`checkEmailAddress`); the reason names
 *   the rule that failed.
 * - `list`: the text must be one of the defined values. Matched in this order: the `value` exactly;
 *   else the one `value` equal ignoring case ("TRUE" → "true"); else the one display `name` equal
 *   exactly ("Gold" → "gold", "Yes" → "true"). The defined `value` is what is written. More than one
 *   match ignoring case is ambiguous and skipped.
 * - `tree`: as `list`, over every node of the tree (its values, each naming its `parentId`); the
 *   node's own `value` is written.
 * - any other type (one NICE adds later): skipped with a reason naming the type; the other fields of
 *   the customer are still written.
 * - longer than 1,024 UTF-16 code units (JavaScript `length`, never fewer than the characters, so the
 *   limit holds however CXone counts): skipped, never truncated.
 * - a field with `isEditable: false`, or no definition with that ident: skipped.
 * - null (after the mapping's default): skipped, as "no value"; a sync does not clear fields.
 * - a mapping `type` is a check applied first ("number" refuses "1e5"); what is written is still the
 *   source's own text, unchanged.
 *
 * Reasons name the field and the rule, never the value (it may be personal data).
 */

import type { Mapping, ResolvedMapping } from '../../convert/mapping.js';
import {
  fieldName,
  indexSchema,
  mappingFor,
  planConversion,
  type SkippedAttribute,
} from '../../convert/plan.js';
import { checkEmailAddress, type ReadResult, readAsType, toText } from '../../convert/values.js';
import type { AttributeMap } from '../../sources/types.js';
import { CXONE_MAX_VALUE_LENGTH, type CxoneCustomFieldValue, type CxoneFieldDefinition } from './types.js';

export interface CxoneConversion {
  /** The body of PUT /dfo/3.0/customers/{id}/custom-fields, one entry per field. */
  fields: CxoneCustomFieldValue[];
  skipped: SkippedAttribute[];
}

/** How many list values a reason names before "…". */
const LISTED_VALUES = 20;

/**
 * The defined value of a list field that `text` stands for: the value itself, the one value equal
 * ignoring case, or the one display name equal exactly.
 */
export function matchListValue(
  values: readonly { name: string; value: string }[],
  text: string,
): ReadResult<string> {
  if (values.some((v) => v.value === text)) return { ok: true, value: text };
  const lower = text.toLowerCase();
  const byCase = values.filter((v) => v.value.toLowerCase() === lower);
  if (byCase.length === 1) return { ok: true, value: byCase[0]!.value };
  if (byCase.length > 1)
    return { ok: false, reason: 'matches more than one of its values when case is ignored' };
  const byName = values.filter((v) => v.name === text);
  if (byName.length === 1) return { ok: true, value: byName[0]!.value };
  if (byName.length > 1) return { ok: false, reason: 'matches more than one of its display names' };
  const shown = values.slice(0, LISTED_VALUES).map((v) => v.value);
  const more = values.length > LISTED_VALUES ? ', …' : '';
  return { ok: false, reason: `is not one of its values (${shown.join(', ')}${more})` };
}

/** Converts one customer's attributes to CXone custom-field values, checked against `definitions`. */
export function toCxoneCustomFields(
  attributes: AttributeMap,
  definitions: readonly CxoneFieldDefinition[],
  mapping?: Mapping | ResolvedMapping,
): CxoneConversion {
  const byIdent = indexSchema(definitions, 'ident');

  const { planned, skipped } = planConversion(attributes, mappingFor(mapping, 'cxone'));
  const fields: CxoneCustomFieldValue[] = [];
  const skip = (key: string, reason: string) => skipped.push({ key, reason });
  for (const p of planned) {
    // Named lazily: most attributes are written, and only skips need the name.
    const name = p.key === p.target ? p.target : fieldName(p);
    const definition = byIdent.get(p.target);
    if (definition === undefined) {
      skip(p.key, `no custom field ${name} in CXone`);
      continue;
    }
    if (!definition.isEditable) {
      skip(p.key, `custom field ${name} is read-only in CXone (isEditable: false)`);
      continue;
    }
    if (p.value === null) {
      skip(p.key, `custom field ${name}: no value (null)`);
      continue;
    }
    if (p.type !== undefined) {
      const read = readAsType(p.type, p.value);
      if (!read.ok) {
        skip(p.key, `custom field ${name}: the mapping reads it as ${p.type}, and the value ${read.reason}`);
        continue;
      }
    }
    const text = toText(p.value);
    if (!text.ok) {
      skip(p.key, `custom field ${name}: the value ${text.reason}`);
      continue;
    }
    let value = text.value;
    if (definition.type === 'email') {
      const email = checkEmailAddress(value);
      if (!email.ok) {
        skip(p.key, `custom field ${name} takes an e-mail address, and the value ${email.reason}`);
        continue;
      }
    } else if (definition.type === 'list' || definition.type === 'tree') {
      const match = matchListValue(definition.values ?? [], value);
      if (!match.ok) {
        skip(p.key, `custom field ${name} is a ${definition.type}, and the value ${match.reason}`);
        continue;
      }
      value = match.value;
    } else if (definition.type !== 'text') {
      skip(p.key, `custom field ${name} has type ${String(definition.type)}, which this sync does not write`);
      continue;
    }
    if (value.length > CXONE_MAX_VALUE_LENGTH) {
      skip(
        p.key,
        `custom field ${name}: the value is ${value.length} characters, more than CXone's ` +
          `${CXONE_MAX_VALUE_LENGTH} (never truncated)`,
      );
      continue;
    }
    fields.push({ ident: definition.ident, value });
  }
  return { fields, skipped };
}
