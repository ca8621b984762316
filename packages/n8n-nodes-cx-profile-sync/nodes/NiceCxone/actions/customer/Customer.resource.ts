import type { INodeProperties } from 'n8n-workflow';
import * as clearCustomField from './clearCustomField.operation';
import * as find from './find.operation';
import * as get from './get.operation';
import * as updateCustomFields from './updateCustomFields.operation';

export { clearCustomField, find, get, updateCustomFields };

export const description: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['customer'] } },
    options: [
      {
        name: 'Clear Custom Field',
        value: 'clearCustomField',
        description:
          "Remove a custom field's value from a customer's card, for example for a data-protection request",
        action: 'Clear a custom field of a customer',
      },
      {
        name: 'Find by Phone or Email',
        value: 'find',
        description: 'Find the Digital customer with a phone number or e-mail address',
        action: 'Find a customer by phone or email',
      },
      {
        name: 'Get',
        value: 'get',
        description: 'Get a Digital customer with its custom fields',
        action: 'Get a customer',
      },
      {
        name: 'Update Custom Fields',
        value: 'updateCustomFields',
        description: "Set custom fields of a customer's card",
        action: 'Update custom fields of a customer',
      },
    ],
    default: 'find',
  },
  ...clearCustomField.description,
  ...find.description,
  ...get.description,
  ...updateCustomFields.description,
];
