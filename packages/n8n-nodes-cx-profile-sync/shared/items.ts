import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { errorJson, toNodeError } from './errors';

/**
 * Runs an operation once per input item. Each output item is paired with its input item; an item
 * that fails stops the node with n8n's error, or, under "continue on fail", becomes an item
 * `{ error, details }` and the next item runs.
 */
export async function forEachItem(
  ctx: IExecuteFunctions,
  run: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
  const out: INodeExecutionData[] = [];
  const count = ctx.getInputData().length;
  for (let itemIndex = 0; itemIndex < count; itemIndex++) {
    try {
      const result = await run(itemIndex);
      for (const json of Array.isArray(result) ? result : [result]) {
        out.push({ json, pairedItem: { item: itemIndex } });
      }
    } catch (e) {
      if (!ctx.continueOnFail()) throw toNodeError(ctx.getNode(), e, itemIndex);
      out.push({ json: errorJson(e), pairedItem: { item: itemIndex } });
    }
  }
  return out;
}

/** A value as plain JSON data for an item (null-prototype maps and class instances included). */
export function toItemJson<T>(value: T): IDataObject {
  return JSON.parse(JSON.stringify(value)) as IDataObject;
}
