import { customerPages, runConversationJob } from '@cx-profile-sync/core/pure';
import {
  type IDataObject,
  type IExecuteFunctions,
  type INodeProperties,
  updateDisplayOptions,
} from 'n8n-workflow';
import { toItemJson } from '../../../../shared/items';
import { isoInstant } from '../../../../shared/params';
import { n8nWaiting } from '../../../../transport';
import { genesysApi } from '../../../../transport/apis';

const properties: INodeProperties[] = [
  {
    displayName: 'Start',
    name: 'start',
    type: 'dateTime',
    default: '',
    required: true,
    description: 'The start of the interval (UTC unless the value has an offset)',
  },
  {
    displayName: 'End',
    name: 'end',
    type: 'dateTime',
    default: '',
    required: true,
    description: 'The end of the interval (UTC unless the value has an offset)',
  },
  {
    displayName: 'Return All',
    name: 'returnAll',
    type: 'boolean',
    default: false,
    description: 'Whether to return all results or only up to a given limit',
  },
  {
    displayName: 'Limit',
    name: 'limit',
    type: 'number',
    typeOptions: { minValue: 1 },
    default: 50,
    description: 'Max number of results to return',
    displayOptions: { show: { returnAll: [false] } },
  },
  {
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    placeholder: 'Add option',
    default: {},
    options: [
      {
        displayName: 'Job Timeout (Seconds)',
        name: 'jobTimeout',
        type: 'number',
        typeOptions: { minValue: 1 },
        default: 300,
        description: 'How long to wait for Genesys Cloud to finish the analytics job',
      },
    ],
  },
];

export const description = updateDisplayOptions(
  { show: { resource: ['conversation'], operation: ['listByInterval'] } },
  properties,
);

/**
 * One item per customer of the conversations that started in the interval, shaped as the "Get
 * Customer Attributes" operation's. Read with an analytics conversation-detail job, the only bulk
 * read of Genesys Cloud that includes participant attributes. As in the command line and the worker,
 * a customer's conversations within a page of results are one item: the latest conversation as its
 * source, the attributes merged (the later value wins).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const start = isoInstant(this.getNodeParameter('start', itemIndex), 'Start');
  const end = isoInstant(this.getNodeParameter('end', itemIndex), 'End');
  const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
  const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
  const options = this.getNodeParameter('options', itemIndex, {}) as { jobTimeout?: number };
  const api = genesysApi(this);
  const jobId = await runConversationJob(api, `${start}/${end}`, n8nWaiting, {
    timeoutMs: (options.jobTimeout ?? 300) * 1000,
    whatToDo: {
      failed: 'run the node again',
      timedOut: 'raise the node\'s "Job Timeout" or shorten the interval',
    },
  });
  const items: IDataObject[] = [];
  for await (const page of customerPages(api, jobId)) {
    const wanted = limit === undefined ? page.customers : page.customers.slice(0, limit - items.length);
    items.push(...wanted.map((c) => toItemJson(c)));
    // Leaving the loop ends the paging: no page is read past the limit.
    if (items.length === limit) break;
  }
  return items;
}
