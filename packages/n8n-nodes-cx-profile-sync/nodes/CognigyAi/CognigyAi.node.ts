import {
  type IExecuteFunctions,
  type INodeExecutionData,
  type INodeType,
  type INodeTypeDescription,
  NodeConnectionTypes,
} from 'n8n-workflow';
import * as profile from './actions/profile/Profile.resource';
import { router } from './actions/router';
import { resourceMapping } from './methods';

export class CognigyAi implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Cognigy.AI',
    name: 'cognigyAi',
    icon: { light: 'file:../../icons/cognigy.svg', dark: 'file:../../icons/cognigy.dark.svg' },
    group: ['output'],
    version: 1,
    subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
    description: 'Find, create, update and delete Cognigy.AI contact profiles',
    defaults: { name: 'Cognigy.AI' },
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    usableAsTool: true,
    credentials: [{ name: 'cognigyAiApi', required: true }],
    properties: [
      {
        displayName: 'Resource',
        name: 'resource',
        type: 'options',
        noDataExpression: true,
        options: [{ name: 'Profile', value: 'profile' }],
        default: 'profile',
      },
      {
        displayName: 'Project ID',
        name: 'projectId',
        type: 'string',
        default: '',
        required: true,
        description: 'The ID of the Cognigy.AI project whose contact profiles to use',
      },
      ...profile.description,
    ],
  };

  methods = { resourceMapping };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return await router.call(this);
  }
}
