import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/**
 * The values of a resource-mapper parameter for one item: the fields mapped below, or with "Map
 * Automatically" the input item's keys that name a known field. Empty values (missing, null, "")
 * are left out: these nodes never clear a field. A null-prototype object, so that keys such as
 * "__proto__" stay data.
 */
export function mappedValues(
  ctx: IExecuteFunctions,
  parameter: string,
  itemIndex: number,
  knownFields: readonly string[],
): Record<string, unknown> {
  const mode = ctx.getNodeParameter(`${parameter}.mappingMode`, itemIndex, 'defineBelow') as string;
  let source: IDataObject;
  if (mode === 'autoMapInputData') {
    const json = ctx.getInputData()[itemIndex]?.json ?? {};
    const known = new Set(knownFields);
    source = Object.fromEntries(Object.entries(json).filter(([key]) => known.has(key)));
  } else {
    source = (ctx.getNodeParameter(`${parameter}.value`, itemIndex, {}) as IDataObject | null) ?? {};
  }
  const values: Record<string, unknown> = Object.create(null);
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined || value === null || value === '') continue;
    Object.defineProperty(values, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return values;
}
