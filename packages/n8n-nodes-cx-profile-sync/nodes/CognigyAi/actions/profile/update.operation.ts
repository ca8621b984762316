import {
  type IDataObject,
  type IExecuteFunctions,
  type INodeProperties,
  updateDisplayOptions,
} from 'n8n-workflow';
import { toItemJson } from '../../../../shared/items';
import { requiredText } from '../../../../shared/params';
import { profileFieldsProperty, profileValues, projectApi } from './common';

const properties: INodeProperties[] = [
  {
    displayName: 'Profile ID',
    name: 'profileId',
    type: 'string',
    default: '',
    required: true,
    description: 'The ID of the contact profile',
  },
  profileFieldsProperty,
];

export const description = updateDisplayOptions(
  { show: { resource: ['profile'], operation: ['update'] } },
  properties,
);

/** Merges the mapped fields into the profile (fields not mapped keep their values). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const profileId = requiredText(this, 'profileId', itemIndex, 'Profile ID', 'cognigy');
  const api = projectApi(this, itemIndex);
  const profile = await profileValues(this, api, itemIndex);
  await api.patchProfile(profileId, profile);
  return toItemJson({ profileId, written: profile });
}
