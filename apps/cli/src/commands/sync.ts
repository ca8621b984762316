import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  ConfigurationError,
  createSyncServices,
  errorSummary,
  exitCodeFor,
  exitCodeForKind,
  isSyncError,
  loadConfig,
  type Mapping,
  parseMapping,
  type SyncError,
  syncCustomer,
  type TargetName,
} from '@cx-profile-sync/core';
import { loadDotEnv } from '../env.js';
import { formatResult } from '../report.js';
import { UsageError } from '../usage.js';

export async function runSync(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: 'string', default: 'all' },
      'cxone-customer': { type: 'string' },
      'cognigy-profile': { type: 'string' },
      'no-create': { type: 'boolean', default: false },
      mapping: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const [kind, id, ...extra] = positionals;
  if (kind !== 'conversation' && kind !== 'contact')
    throw new UsageError('sync needs "conversation <conversationId>" or "contact <externalContactId>"');
  if (!id) throw new UsageError(`sync ${kind} needs an id`);
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (!['cxone', 'cognigy', 'all'].includes(values.target))
    throw new UsageError(`--target must be cxone, cognigy or all, got "${values.target}"`);
  const json = values.json;

  const fail = (e: SyncError, code = exitCodeForKind(e.kind)) => {
    if (json) console.log(JSON.stringify({ source: { kind, id }, targets: [], error: errorSummary(e) }));
    else console.error(`cx-profile-sync: ${e.message}`);
    return code;
  };

  loadDotEnv();
  let services: ReturnType<typeof createSyncServices>;
  let mapping: Mapping | undefined;
  try {
    const config = loadConfig(process.env);
    if (values.mapping) {
      let text: string;
      try {
        text = await readFile(values.mapping, 'utf8');
      } catch (e) {
        throw new ConfigurationError(
          `cannot read the mapping file ${values.mapping}: ${(e as NodeJS.ErrnoException).code ?? e}`,
        );
      }
      mapping = parseMapping(text, values.mapping);
    }
    services = createSyncServices(config, {
      ...(mapping ? { mapping } : {}),
      createMissingProfiles: !values['no-create'],
    });
  } catch (e) {
    if (isSyncError(e)) return fail(e, 2);
    throw e;
  }
  try {
    const targets = services.targets(values.target as TargetName | 'all');
    const customer =
      kind === 'conversation'
        ? await services.genesys.customerFromConversation(id)
        : await services.genesys.customerFromContact(id);
    const result = await syncCustomer(customer, targets, {
      dryRun: values['dry-run'],
      customerIds: {
        ...(values['cxone-customer'] ? { cxone: values['cxone-customer'] } : {}),
        ...(values['cognigy-profile'] ? { cognigy: values['cognigy-profile'] } : {}),
      },
    });
    console.log(json ? JSON.stringify(result) : formatResult(result));
    return exitCodeFor(result);
  } catch (e) {
    if (isSyncError(e)) return fail(e);
    throw e;
  } finally {
    services.close();
  }
}
