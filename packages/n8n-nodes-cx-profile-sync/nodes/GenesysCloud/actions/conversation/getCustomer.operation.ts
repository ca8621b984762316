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
    displayName: 'Conversation ID',
    name: 'conversationId',
    type: 'string',
    default: '',
    required: true,
    placeholder: 'e.g. 9b2ed0e4-3b41-4c4e-9b0c-5c1a8a6e2f10',
    description: 'The conversation whose customer participant holds the attributes (participant data)',
  },
];

export const description = updateDisplayOptions(
  { show: { resource: ['conversation'], operation: ['getCustomer'] } },
  properties,
);

/**
 * One item: the conversation's customer as the Profile Sync node takes it — `source` (the
 * conversation and participant), `identity` (phone, e-mail, external contact, name) and `attributes`.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
  const conversationId = requiredText(this, 'conversationId', itemIndex, 'Conversation ID', 'genesys');
  return toItemJson(await genesysApi(this).customerFromConversation(conversationId));
}
