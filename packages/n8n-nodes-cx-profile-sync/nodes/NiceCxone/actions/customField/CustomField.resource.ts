import type { INodeProperties } from 'n8n-workflow';
import * as getManyDefinitions from './getManyDefinitions.operation';

export { getManyDefinitions };

export const description: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['customField'] } },
    options: [
      {
        name: 'List Definitions',
        value: 'getManyDefinitions',
        description: "List the tenant's custom-field definitions",
        action: 'List custom field definitions',
      },
    ],
    default: 'getManyDefinitions',
  },
  ...getManyDefinitions.description,
];
