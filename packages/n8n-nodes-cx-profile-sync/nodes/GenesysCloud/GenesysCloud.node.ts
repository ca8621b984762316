import {
  type IExecuteFunctions,
  type INodeExecutionData,
  type INodeType,
  type INodeTypeDescription,
  NodeConnectionTypes,
} from 'n8n-workflow';
import * as conversation from './actions/conversation/Conversation.resource';
import * as externalContact from './actions/externalContact/ExternalContact.resource';
import { router } from './actions/router';

export class GenesysCloud implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Genesys Cloud',
    name: 'genesysCloud',
    icon: { light: 'file:../../icons/genesys.svg', dark: 'file:../../icons/genesys.dark.svg' },
    group: ['input'],
    version: 1,
    subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
    description: 'Read customer attributes from Genesys Cloud conversations and external contacts',
    defaults: { name: 'Genesys Cloud' },
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    usableAsTool: true,
    credentials: [{ name: 'genesysCloudApi', required: true }],
    properties: [
      {
        displayName: 'Resource',
        name: 'resource',
        type: 'options',
        noDataExpression: true,
        options: [
          { name: 'Conversation', value: 'conversation' },
          { name: 'External Contact', value: 'externalContact' },
        ],
        default: 'conversation',
      },
      ...conversation.description,
      ...externalContact.description,
    ],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return await router.call(this);
  }
}
