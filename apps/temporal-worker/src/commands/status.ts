import { parseArgs } from 'node:util';
import { workflowStatus } from '../client.js';
import { UsageError } from './args.js';
import { withClient } from './connect.js';

/** `status <workflowId>`: a workflow's state, progress or result, as JSON. */
export async function runStatus(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  const [id, ...extra] = positionals;
  if (!id || extra.length) throw new UsageError('usage: status <workflowId>');
  return withClient(async (c) => {
    console.log(JSON.stringify(await workflowStatus(c, id), null, 2));
    return 0;
  });
}
