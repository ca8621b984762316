/**
 * Memo CRM as a target: everything the registry needs, in one object. A test registers it with
 * `registerTarget(memo)`; nothing else in the project names it.
 */
import type { EnvReader } from '../../../config.js';
import type { Mapping } from '../../../convert/mapping.js';
import { fieldName, mappingFor, planConversion } from '../../../convert/plan.js';
import { toStrictBoolean, toStrictNumber, toText } from '../../../convert/values.js';
import { NotFoundError } from '../../../errors/errors.js';
import { call } from '../../../http/execute.js';
import type { TargetDescriptor } from '../../../registry.js';
import type { Runtime } from '../../../runtime.js';
import type { SourceCustomer } from '../../../sources/types.js';
import type { FindResult, SyncTarget, TargetRecord } from '../../../sync/target.js';
import { MemoApi, type MemoConnection } from './protocol.js';
import type { MemoRecord } from './server.js';

export interface MemoConfig {
  apiUrl: string;
  apiKey: string;
}

const KEYS = ['MEMO_API_URL', 'MEMO_API_KEY'];

function readMemoConfig(env: EnvReader): MemoConfig | undefined {
  if (!env.any(KEYS) || !env.require(KEYS)) return undefined;
  return { apiUrl: env.url('MEMO_API_URL', env.get('MEMO_API_URL')!), apiKey: env.get('MEMO_API_KEY')! };
}

/** The Memo API over the host's runtime: its limiter, tokens-free (an API key), the one retry policy. */
function createMemoClient(config: MemoConfig, runtime: Runtime): MemoApi {
  const limiter = runtime.limiters.get(`memo:${config.apiUrl}`, runtime.limits.memo!);
  return new MemoApi((build, read) =>
    call(runtime, { build: () => build(config satisfies MemoConnection), read, limiters: [limiter] }),
  );
}

const recordOf = (r: MemoRecord): TargetRecord => ({ id: r.id, current: r.fields });

class MemoTarget implements SyncTarget {
  readonly name = 'memo';

  constructor(
    private readonly api: MemoApi,
    private readonly mapping: Mapping | undefined,
    readonly createsMissing: boolean,
  ) {}

  async convert(customer: SourceCustomer) {
    const fields = new Map((await this.api.fields()).map((f) => [f.name, f.type]));
    const { planned, skipped } = planConversion(customer.attributes, mappingFor(this.mapping, 'memo'));
    const values: Record<string, unknown> = Object.create(null);
    for (const p of planned) {
      const type = fields.get(p.target);
      if (!type) {
        skipped.push({ key: p.key, reason: `no field ${fieldName(p)} in Memo CRM` });
        continue;
      }
      const read =
        type === 'number'
          ? toStrictNumber(p.value)
          : type === 'boolean'
            ? toStrictBoolean(p.value)
            : toText(p.value);
      if (read.ok) values[p.target] = read.value;
      else
        skipped.push({
          key: p.key,
          reason: `field ${fieldName(p)} is a ${type} in Memo CRM, and the value ${read.reason}`,
        });
    }
    return { values, skipped };
  }

  async find(customer: SourceCustomer, recordId?: string): Promise<FindResult> {
    if (recordId) {
      try {
        return { found: recordOf(await this.api.getRecord(recordId)) };
      } catch (e) {
        if (e instanceof NotFoundError)
          return { found: undefined, reason: `Memo CRM has no record ${recordId}` };
        throw e;
      }
    }
    const records = await this.api.findRecords(customer.identity);
    if (records.length > 1)
      return { found: undefined, reason: `${records.length} Memo records hold this customer` };
    if (records[0]) return { found: recordOf(records[0]) };
    return { found: undefined, creates: this.createsMissing, reason: 'no Memo record holds this customer' };
  }

  async write(customer: SourceCustomer, record: TargetRecord | undefined, changes: Record<string, unknown>) {
    if (record) {
      await this.api.patchRecord(record.id, changes);
      return { id: record.id, created: false };
    }
    return { id: (await this.api.createRecord(customer.identity, changes)).id, created: true };
  }
}

export const memo: TargetDescriptor<MemoConfig, MemoApi> = {
  role: 'target',
  name: 'memo',
  label: 'Memo CRM',
  hints: { auth: 'check MEMO_API_KEY', permission: 'check the rights of the MEMO_API_KEY' },
  limits: { memo: { capacity: 100, refillPerSecond: 50 } },
  activitiesPerSecond: 50,
  configHint: 'set MEMO_API_URL and MEMO_API_KEY',
  readConfig: readMemoConfig,
  createClient: createMemoClient,
  createTarget: (api, options) => new MemoTarget(api, options.mapping, options.createMissing),
  recordIdOption: { flag: 'memo-record', description: 'the Memo CRM record id (default: found by contact)' },
  checks: (api) => [{ step: 'API key and fields', run: async () => `${(await api.fields()).length} fields` }],
};
