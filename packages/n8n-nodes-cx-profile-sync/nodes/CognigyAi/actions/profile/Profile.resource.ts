import type { INodeProperties } from 'n8n-workflow';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as find from './find.operation';
import * as update from './update.operation';

export { create, del as delete, find, update };

export const description: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['profile'] } },
    options: [
      {
        name: 'Create',
        value: 'create',
        description: 'Create a contact profile',
        action: 'Create a profile',
      },
      {
        name: 'Delete',
        value: 'delete',
        description: 'Delete a contact profile, for example for a data-protection request',
        action: 'Delete a profile',
      },
      {
        name: 'Find by Contact ID',
        value: 'find',
        description: 'Find the contact profile of an e-mail address or phone number',
        action: 'Find a profile by contact ID',
      },
      {
        name: 'Update',
        value: 'update',
        description: 'Update fields of a contact profile',
        action: 'Update a profile',
      },
    ],
    default: 'find',
  },
  ...create.description,
  ...del.description,
  ...find.description,
  ...update.description,
];
