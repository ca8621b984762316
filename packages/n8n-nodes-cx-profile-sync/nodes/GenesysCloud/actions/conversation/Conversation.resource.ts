import type { INodeProperties } from 'n8n-workflow';
import * as getCustomer from './getCustomer.operation';
import * as listByInterval from './listByInterval.operation';

export { getCustomer, listByInterval };

export const description: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['conversation'] } },
    options: [
      {
        name: 'Get Customer Attributes',
        value: 'getCustomer',
        description: "Get the customer participant's attributes of a conversation",
        action: 'Get the customer attributes of a conversation',
      },
      {
        name: 'List by Interval',
        value: 'listByInterval',
        description: 'List the conversations that started in an interval, with their customer attributes',
        action: 'List the conversations of an interval',
      },
    ],
    default: 'getCustomer',
  },
  ...getCustomer.description,
  ...listByInterval.description,
];
