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
    displayName: 'Contact IDs',
    name: 'contactIds',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'name@email.com, +447900000001',
    description:
      'The IDs the profile is found by, separated by commas: usually the e-mail address (lower case) and the phone number',
  },
  profileFieldsProperty,
];

export const description = updateDisplayOptions(
  { show: { resource: ['profile'], operation: ['create'] } },
  properties,
);

/** Creates a contact profile in the project; the item is the created profile. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const contactIds = requiredText(this, 'contactIds', itemIndex, 'Contact IDs', 'cognigy')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const api = projectApi(this, itemIndex);
  const profile = await profileValues(this, api, itemIndex);
  return toItemJson(await api.createWithContactIds(contactIds, profile));
}
