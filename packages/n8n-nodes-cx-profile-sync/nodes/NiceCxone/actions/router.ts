import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { routeItems } from '../../../shared/router';
import * as customer from './customer/Customer.resource';
import * as customField from './customField/CustomField.resource';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  return [
    await routeItems(this, {
      customer: {
        clearCustomField: customer.clearCustomField,
        find: customer.find,
        get: customer.get,
        updateCustomFields: customer.updateCustomFields,
      },
      customField: { getManyDefinitions: customField.getManyDefinitions },
    }),
  ];
}
