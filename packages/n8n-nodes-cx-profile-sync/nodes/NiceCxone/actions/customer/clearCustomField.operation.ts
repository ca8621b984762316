import {
  type IDataObject,
  type IExecuteFunctions,
  type INodeProperties,
  updateDisplayOptions,
} from 'n8n-workflow';
import { requiredText } from '../../../../shared/params';
import { cxoneApi } from '../../../../transport/apis';
import { customerIdProperty } from './get.operation';

const properties: INodeProperties[] = [
  customerIdProperty,
  {
    displayName: 'Field Name or ID',
    name: 'ident',
    type: 'options',
    typeOptions: { loadOptionsMethod: 'getClearableCustomFields' },
    default: '',
    required: true,
    description:
      'The custom field whose value to remove (read-only and required fields cannot be cleared). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
  },
];

export const description = updateDisplayOptions(
  { show: { resource: ['customer'], operation: ['clearCustomField'] } },
  properties,
);

/**
 * Removes one custom field's value from a customer's card (a data-protection request, a wrong
 * value). An unknown customer is not found (HTTP 404); a field CXone does not define, or one it
 * does not let be cleared, is refused with the field named.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const customerId = requiredText(this, 'customerId', itemIndex, 'Customer ID', 'cxone');
  const ident = requiredText(this, 'ident', itemIndex, 'Field', 'cxone');
  await cxoneApi(this).clearCustomField(customerId, ident);
  return { cleared: true, customerId, ident };
}
