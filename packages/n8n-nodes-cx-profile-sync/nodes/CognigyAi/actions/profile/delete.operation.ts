import {
  type IDataObject,
  type IExecuteFunctions,
  type INodeProperties,
  updateDisplayOptions,
} from 'n8n-workflow';
import { requiredText } from '../../../../shared/params';
import { projectApi } from './common';

const properties: INodeProperties[] = [
  {
    displayName: 'Profile ID',
    name: 'profileId',
    type: 'string',
    default: '',
    required: true,
    description: 'The ID of the contact profile to delete',
  },
];

export const description = updateDisplayOptions(
  { show: { resource: ['profile'], operation: ['delete'] } },
  properties,
);

/**
 * Deletes the contact profile (a data-protection request to forget the customer). A profile that
 * does not exist is not found (HTTP 404), not a silent success.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const profileId = requiredText(this, 'profileId', itemIndex, 'Profile ID', 'cognigy');
  await projectApi(this, itemIndex).deleteProfile(profileId);
  return { deleted: true, profileId };
}
