import {
  type IExecuteFunctions,
  type INodeExecutionData,
  type INodeType,
  type INodeTypeDescription,
  NodeConnectionTypes,
} from 'n8n-workflow';
import { forEachItem } from '../../shared/items';
import { properties } from './description';
import { ProfileSyncRun } from './sync';

export class ProfileSync implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'CX Profile Sync',
    name: 'profileSync',
    icon: { light: 'file:../../icons/profile-sync.svg', dark: 'file:../../icons/profile-sync.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{$parameter["options"] && $parameter["options"]["dryRun"] ? "Dry run" : "Sync"}}',
    description:
      'Sync Genesys Cloud customer attributes to NICE CXone custom fields and Cognigy.AI contact profiles',
    defaults: { name: 'CX Profile Sync' },
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    usableAsTool: true,
    credentials: [
      {
        name: 'genesysCloudApi',
        required: true,
        displayOptions: { show: { source: ['conversationId', 'externalContactId'] } },
      },
      { name: 'niceCxoneApi', required: true, displayOptions: { show: { syncToCxone: [true] } } },
      { name: 'cognigyAiApi', required: true, displayOptions: { show: { syncToCognigy: [true] } } },
    ],
    properties,
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const run = new ProfileSyncRun(this);
    try {
      return [await forEachItem(this, (itemIndex) => run.item(itemIndex))];
    } finally {
      await run.close();
    }
  }
}
