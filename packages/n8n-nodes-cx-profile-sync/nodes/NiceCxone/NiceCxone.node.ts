import {
  type IExecuteFunctions,
  type INodeExecutionData,
  type INodeType,
  type INodeTypeDescription,
  NodeConnectionTypes,
} from 'n8n-workflow';
import * as customer from './actions/customer/Customer.resource';
import * as customField from './actions/customField/CustomField.resource';
import { router } from './actions/router';
import { loadOptions, resourceMapping } from './methods';

export class NiceCxone implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'NICE CXone',
    name: 'niceCxone',
    icon: { light: 'file:../../icons/cxone.svg', dark: 'file:../../icons/cxone.dark.svg' },
    group: ['output'],
    version: 1,
    subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
    description: 'Find NICE CXone Digital customers and update or clear their custom fields',
    defaults: { name: 'NICE CXone' },
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    usableAsTool: true,
    credentials: [{ name: 'niceCxoneApi', required: true }],
    properties: [
      {
        displayName: 'Resource',
        name: 'resource',
        type: 'options',
        noDataExpression: true,
        options: [
          { name: 'Customer', value: 'customer' },
          { name: 'Custom Field', value: 'customField' },
        ],
        default: 'customer',
      },
      ...customer.description,
      ...customField.description,
    ],
  };

  methods = { loadOptions, resourceMapping };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return await router.call(this);
  }
}
