import type { INodeProperties } from 'n8n-workflow';
import * as get from './get.operation';

export { get };

export const description: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['externalContact'] } },
    options: [
      {
        name: 'Get',
        value: 'get',
        description: 'Get an external contact with its custom fields',
        action: 'Get an external contact',
      },
    ],
    default: 'get',
  },
  ...get.description,
];
