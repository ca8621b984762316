import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { forEachItem } from './items';

/** An operation module: its parameters and what it does for one input item. */
export interface Operation {
  execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]>;
}

/** Runs the selected resource's operation for every input item (see `forEachItem`). */
export async function routeItems(
  ctx: IExecuteFunctions,
  operations: Record<string, Record<string, Operation>>,
): Promise<INodeExecutionData[]> {
  const resource = ctx.getNodeParameter('resource', 0) as string;
  const operation = ctx.getNodeParameter('operation', 0) as string;
  const selected = operations[resource]?.[operation];
  if (!selected) {
    throw new NodeOperationError(
      ctx.getNode(),
      `The operation "${operation}" of "${resource}" is not supported`,
    );
  }
  return await forEachItem(ctx, (itemIndex) => selected.execute.call(ctx, itemIndex));
}
