import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { routeItems } from '../../../shared/router';
import * as conversation from './conversation/Conversation.resource';
import * as externalContact from './externalContact/ExternalContact.resource';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  return [
    await routeItems(this, {
      conversation: { getCustomer: conversation.getCustomer, listByInterval: conversation.listByInterval },
      externalContact: { get: externalContact.get },
    }),
  ];
}
