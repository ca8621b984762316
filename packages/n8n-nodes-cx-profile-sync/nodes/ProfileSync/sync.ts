import {
  type CognigyApi,
  CognigyTarget,
  ConfigurationError,
  type CxoneApi,
  CxoneTarget,
  type Mapping,
  parseMapping,
  type SourceCustomer,
  type SyncTarget,
  syncCustomer,
  syncErrorFromJSON,
  validateMapping,
} from '@cx-profile-sync/core/pure';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { customerFromItem } from '../../shared/customer-item';
import { ItemFailure } from '../../shared/errors';
import { cognigyApiUrlOf, cxoneConfigOf } from '../../shared/hosts';
import { toItemJson } from '../../shared/items';
import { requiredText } from '../../shared/params';
import { cognigyApi, cxoneApi, genesysApi } from '../../transport/apis';
import { ExecutionLedgers, type LedgerRequest, ledgerFileOption } from './ledger';

interface SyncOptions {
  cxoneCustomerId?: string;
  cognigyProfileId?: string;
  createMissingProfiles?: boolean;
  dryRun?: boolean;
  ignoreConsent?: boolean;
  mapping?: string | IDataObject;
  ledgerFile?: string;
  verify?: boolean;
}

/** The mapping option: JSON text or an object, checked by the core (errors say where and what). */
export function mappingOption(value: SyncOptions['mapping']): Mapping | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string')
    return value.trim() === '' ? undefined : parseMapping(value, 'the Mapping option');
  return validateMapping(value, 'the Mapping option');
}

/**
 * Syncs the input items' customers with the core's `syncCustomer` (plan, then apply, per target) over
 * the core's API objects, which (and with them the CXone definitions and Cognigy schema) all items of
 * one run share. Each item's result is the core's `SyncResult`, the object the command line prints
 * with --json. With the Ledger File option, the core's ledger decides what needs a request; `close()`
 * closes its file at the end of the run.
 */
export class ProfileSyncRun {
  private cxone?: CxoneApi;
  private readonly cognigy = new Map<string, CognigyApi>();
  private readonly ledgers: ExecutionLedgers;

  constructor(private readonly ctx: IExecuteFunctions) {
    this.ledgers = new ExecutionLedgers(ctx);
  }

  /** Closes what the run opened (the ledger files). */
  close(): Promise<void> {
    return this.ledgers.close();
  }

  async item(itemIndex: number): Promise<IDataObject> {
    const ctx = this.ctx;
    const options = ctx.getNodeParameter('options', itemIndex, {}) as SyncOptions;
    const mapping = mappingOption(options.mapping);
    const targets = this.targets(
      itemIndex,
      mapping,
      options.createMissingProfiles !== false,
      options.ignoreConsent === true,
    );
    const ledgerFile = ledgerFileOption(ctx, options.ledgerFile, itemIndex);
    const ledger = ledgerFile
      ? await this.ledgers.ledger(await this.ledgerRequest(itemIndex, ledgerFile, options), itemIndex)
      : undefined;
    const customer = await this.customer(itemIndex);
    const result = await syncCustomer(customer, targets, {
      dryRun: options.dryRun === true,
      ...(ledger ? { ledger } : {}),
      customerIds: {
        ...(options.cxoneCustomerId?.trim() ? { cxone: options.cxoneCustomerId.trim() } : {}),
        ...(options.cognigyProfileId?.trim() ? { cognigy: options.cognigyProfileId.trim() } : {}),
      },
    });
    const json = toItemJson(result);
    const failed = result.targets.find((t) => t.outcome === 'failed' && t.error);
    if (failed?.error) {
      // The target's error as the core reports it; the target names the platform.
      throw new ItemFailure(syncErrorFromJSON({ ...failed.error, platform: failed.target }), json);
    }
    return json;
  }

  private targets(
    itemIndex: number,
    mapping: Mapping | undefined,
    createMissing: boolean,
    ignoreConsent: boolean,
  ): SyncTarget[] {
    const ctx = this.ctx;
    const targets: SyncTarget[] = [];
    if (ctx.getNodeParameter('syncToCxone', itemIndex, true) as boolean) {
      this.cxone ??= cxoneApi(ctx);
      targets.push(new CxoneTarget(this.cxone, mapping));
    }
    if (ctx.getNodeParameter('syncToCognigy', itemIndex, true) as boolean) {
      const projectId = requiredText(ctx, 'cognigyProjectId', itemIndex, 'Cognigy.AI Project ID', 'cognigy');
      let api = this.cognigy.get(projectId);
      if (!api) {
        api = cognigyApi(ctx, projectId);
        this.cognigy.set(projectId, api);
      }
      // A profile with prevent_data_collection is skipped (reason consent) unless the option says otherwise.
      targets.push(new CognigyTarget(api, mapping, createMissing, { ignoreConsent }));
    }
    if (targets.length === 0) {
      throw new ConfigurationError('Profile Sync: turn on NICE CXone, Cognigy.AI or both');
    }
    return targets;
  }

  /** The ledger an item asks for: its file, the Verify option, and its targets' tenants. */
  private async ledgerRequest(itemIndex: number, file: string, options: SyncOptions): Promise<LedgerRequest> {
    const ctx = this.ctx;
    const targets: LedgerRequest['targets'] = {};
    if (ctx.getNodeParameter('syncToCxone', itemIndex, true) as boolean) {
      targets.cxone = cxoneConfigOf(await ctx.getCredentials('niceCxoneApi', itemIndex));
    }
    if (ctx.getNodeParameter('syncToCognigy', itemIndex, true) as boolean) {
      const credentials = await ctx.getCredentials('cognigyAiApi', itemIndex);
      targets.cognigy = {
        apiUrl: cognigyApiUrlOf(credentials),
        apiKey: String(credentials.apiKey ?? ''),
        projectId: requiredText(ctx, 'cognigyProjectId', itemIndex, 'Cognigy.AI Project ID', 'cognigy'),
      };
    }
    return { file, verify: options.verify === true, targets };
  }

  private async customer(itemIndex: number): Promise<SourceCustomer> {
    const ctx = this.ctx;
    const source = ctx.getNodeParameter('source', itemIndex, 'input') as string;
    if (source === 'conversationId') {
      const conversationId = requiredText(ctx, 'conversationId', itemIndex, 'Conversation ID', 'genesys');
      return genesysApi(ctx).customerFromConversation(conversationId);
    }
    if (source === 'externalContactId') {
      const contactId = requiredText(ctx, 'contactId', itemIndex, 'Contact ID', 'genesys');
      return genesysApi(ctx).customerFromContact(contactId);
    }
    return customerFromItem(ctx.getInputData()[itemIndex]?.json ?? {});
  }
}
