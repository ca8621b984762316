import { ConfigurationError, ValidationError } from '@cx-profile-sync/core/pure';
import {
  type IDataObject,
  type IExecuteFunctions,
  type INodeProperties,
  updateDisplayOptions,
} from 'n8n-workflow';
import { toItemJson } from '../../../../shared/items';
import { projectApi } from './common';

const properties: INodeProperties[] = [
  {
    displayName: 'Email',
    name: 'email',
    type: 'string',
    placeholder: 'name@email.com',
    default: '',
    description: 'A contact ID of the profile: the e-mail address, compared without regard to case',
  },
  {
    displayName: 'Phone',
    name: 'phone',
    type: 'string',
    default: '',
    placeholder: '+447900000001',
    description: 'A contact ID of the profile: the phone number, compared exactly',
  },
];

export const description = updateDisplayOptions(
  { show: { resource: ['profile'], operation: ['find'] } },
  properties,
);

/**
 * The one profile whose contact IDs hold the e-mail address or the phone number; no item when none
 * does. Two profiles claiming the customer is an error (merge them in Cognigy.AI first).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const email = String(this.getNodeParameter('email', itemIndex, '')).trim();
  const phone = String(this.getNodeParameter('phone', itemIndex, '')).trim();
  if (!email && !phone) {
    throw new ConfigurationError(
      'Cognigy.AI: give an e-mail address or a phone number to find the profile by',
      {
        platform: 'cognigy',
      },
    );
  }
  const pick = await projectApi(this, itemIndex).findProfile({
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
  });
  if (pick.kind === 'found') return [toItemJson(pick.profile)];
  if (pick.kind === 'missing') return [];
  throw new ValidationError(`Cognigy.AI: ${pick.reason}`, { platform: 'cognigy' });
}
