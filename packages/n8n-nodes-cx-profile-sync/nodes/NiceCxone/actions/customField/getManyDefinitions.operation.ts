import {
  type IDataObject,
  type IExecuteFunctions,
  type INodeProperties,
  updateDisplayOptions,
} from 'n8n-workflow';
import { toItemJson } from '../../../../shared/items';
import { cxoneApi } from '../../../../transport/apis';

export const description = updateDisplayOptions(
  { show: { resource: ['customField'], operation: ['getManyDefinitions'] } },
  [] as INodeProperties[],
);

/** One item per custom-field definition of the tenant: ident, label, type, allowed values. */
export async function execute(this: IExecuteFunctions): Promise<IDataObject[]> {
  const definitions = await cxoneApi(this).fieldDefinitions();
  return definitions.map((d) => toItemJson(d));
}
