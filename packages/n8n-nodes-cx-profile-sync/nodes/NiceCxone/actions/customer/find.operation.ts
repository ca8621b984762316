import { ConfigurationError, ValidationError } from '@cx-profile-sync/core/pure';
import {
  type IDataObject,
  type IExecuteFunctions,
  type INodeProperties,
  updateDisplayOptions,
} from 'n8n-workflow';
import { toItemJson } from '../../../../shared/items';
import { cxoneApi } from '../../../../transport/apis';

const properties: INodeProperties[] = [
  {
    displayName: 'Phone',
    name: 'phone',
    type: 'string',
    default: '',
    placeholder: '+447900000001',
    description: 'The phone number in E.164 form, compared exactly with the customer identities',
  },
  {
    displayName: 'Email',
    name: 'email',
    type: 'string',
    placeholder: 'name@email.com',
    default: '',
    description: 'The e-mail address, compared without regard to case',
  },
];

export const description = updateDisplayOptions(
  { show: { resource: ['customer'], operation: ['find'] } },
  properties,
);

/**
 * The one Digital customer whose identities hold the phone number (tried first) or the e-mail
 * address; no item when none does (turn on "Always Output Data" to go on anyway). Two different
 * customers matching is an error: writing to either could be wrong.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const phone = String(this.getNodeParameter('phone', itemIndex, '')).trim();
  const email = String(this.getNodeParameter('email', itemIndex, '')).trim();
  if (!phone && !email) {
    throw new ConfigurationError(
      'NICE CXone: give a phone number or an e-mail address to find the customer by',
      {
        platform: 'cxone',
      },
    );
  }
  const match = await cxoneApi(this).findCustomer({
    ...(phone ? { phone } : {}),
    ...(email ? { email } : {}),
  });
  if (!match) return [];
  if (match.kind === 'ambiguous')
    throw new ValidationError(`NICE CXone: ${match.reason}`, { platform: 'cxone' });
  return [toItemJson(match.customer)];
}
