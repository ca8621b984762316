import { parseArgs } from 'node:util';
import {
  createSyncServices,
  errorSummary,
  exitCodeFor,
  exitCodeForKind,
  isSyncError,
  loadConfig,
  loadDotEnv,
  type Mapping,
  type OpenedLedger,
  openSyncLedger,
  readMappingFile,
  recordIdOptions,
  recordIdsOf,
  type SyncError,
  syncCustomer,
  targetArg,
} from '@cx-profile-sync/core';
import { formatResult } from '../report.js';
import { UsageError } from '../usage.js';

export async function runSync(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: 'string', default: 'all' },
      ...recordIdOptions(),
      'no-create': { type: 'boolean', default: false },
      mapping: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      verify: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const [kind, id, ...extra] = positionals;
  if (kind !== 'conversation' && kind !== 'contact')
    throw new UsageError('sync needs "conversation <conversationId>" or "contact <externalContactId>"');
  if (!id) throw new UsageError(`sync ${kind} needs an id`);
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const target = targetArg(values.target);
  const json = values.json;

  const fail = (e: SyncError, code = exitCodeForKind(e.kind)) => {
    if (json) console.log(JSON.stringify({ source: { kind, id }, targets: [], error: errorSummary(e) }));
    else console.error(`cx-profile-sync: ${e.message}`);
    return code;
  };

  loadDotEnv();
  let services: ReturnType<typeof createSyncServices>;
  let mapping: Mapping | undefined;
  let ledger: OpenedLedger | undefined;
  try {
    const config = loadConfig(process.env);
    if (values.mapping) mapping = readMappingFile(values.mapping);
    services = createSyncServices(config, {
      ...(mapping ? { mapping } : {}),
      createMissingProfiles: !values['no-create'],
    });
  } catch (e) {
    if (isSyncError(e)) return fail(e, 2);
    throw e;
  }
  try {
    ledger = await openSyncLedger(process.env, services, { verify: values.verify });
  } catch (e) {
    services.close();
    if (isSyncError(e)) return fail(e, 2);
    throw e;
  }
  try {
    const targets = services.targets(target);
    const customer =
      kind === 'conversation'
        ? await services.genesys.customerFromConversation(id)
        : await services.genesys.customerFromContact(id);
    const result = await syncCustomer(customer, targets, {
      dryRun: values['dry-run'],
      customerIds: recordIdsOf(values),
      ...(ledger ? { ledger: ledger.sync } : {}),
    });
    console.log(json ? JSON.stringify(result) : formatResult(result));
    return exitCodeFor(result);
  } catch (e) {
    if (isSyncError(e)) return fail(e);
    throw e;
  } finally {
    services.close();
    await ledger?.store.close();
  }
}
