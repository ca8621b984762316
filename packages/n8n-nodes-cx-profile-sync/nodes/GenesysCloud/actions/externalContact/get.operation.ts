import { customerFromExternalContact } from '@cx-profile-sync/core/pure';
import {
  type IDataObject,
  type IExecuteFunctions,
  type INodeProperties,
  updateDisplayOptions,
} from 'n8n-workflow';
import { toItemJson } from '../../../../shared/items';
import { requiredText } from '../../../../shared/params';
import { genesysApi } from '../../../../transport/apis';

const properties: INodeProperties[] = [
  {
    displayName: 'Contact ID',
    name: 'contactId',
    type: 'string',
    default: '',
    required: true,
    description: 'The ID of the external contact',
  },
];

export const description = updateDisplayOptions(
  { show: { resource: ['externalContact'], operation: ['get'] } },
  properties,
);

/**
 * One item: the contact as a customer (`source`, `identity`, `attributes`: name, e-mail, phone and
 * the custom fields without their type suffix), which the Profile Sync node takes, plus the contact
 * itself under `contact`.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const contactId = requiredText(this, 'contactId', itemIndex, 'Contact ID', 'genesys');
  const contact = await genesysApi(this).getExternalContact(contactId);
  return toItemJson({ ...customerFromExternalContact(contact), contact });
}
