import {
  type IDataObject,
  type IExecuteFunctions,
  type INodeProperties,
  updateDisplayOptions,
} from 'n8n-workflow';
import { toItemJson } from '../../../../shared/items';
import { isoInstant } from '../../../../shared/params';
import { customersOfInterval } from '../../transport';

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
 * One item per conversation that started in the interval and has a customer participant, shaped as
 * the "Get Customer Attributes" operation's. Read with an analytics conversation-detail job, the
 * only bulk read of Genesys Cloud that includes participant attributes.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
  const start = isoInstant(this.getNodeParameter('start', itemIndex), 'Start');
  const end = isoInstant(this.getNodeParameter('end', itemIndex), 'End');
  const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
  const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
  const options = this.getNodeParameter('options', itemIndex, {}) as { jobTimeout?: number };
  const { customers } = await customersOfInterval(this, {
    interval: `${start}/${end}`,
    ...(limit !== undefined ? { limit } : {}),
    timeoutMs: (options.jobTimeout ?? 300) * 1000,
  });
  return customers.map((c) => toItemJson(c));
}
