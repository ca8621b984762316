import { NotFoundError } from '@cx-profile-sync/core/pure';
import {
  type IDataObject,
  type IExecuteFunctions,
  type INodeProperties,
  updateDisplayOptions,
} from 'n8n-workflow';
import { toItemJson } from '../../../../shared/items';
import { requiredText } from '../../../../shared/params';
import { cxoneApi } from '../../../../transport/apis';

export const customerIdProperty: INodeProperties = {
  displayName: 'Customer ID',
  name: 'customerId',
  type: 'string',
  default: '',
  required: true,
  description: 'The ID of the Digital customer (customer card)',
};

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['get'] } }, [
  customerIdProperty,
]);

/** The Digital customer with its custom fields and identities. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const customerId = requiredText(this, 'customerId', itemIndex, 'Customer ID', 'cxone');
  const customer = await cxoneApi(this).getCustomer(customerId);
  if (!customer) {
    throw new NotFoundError(`NICE CXone has no customer with id ${customerId}`, {
      platform: 'cxone',
      status: 404,
    });
  }
  return toItemJson(customer);
}
