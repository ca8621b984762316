import {
  CognigyTarget,
  ConfigurationError,
  CxoneTarget,
  customerFromExternalContact,
  type Mapping,
  parseMapping,
  type SourceCustomer,
  type SyncTarget,
  syncCustomer,
  syncErrorFromJSON,
  validateMapping,
} from '@cx-profile-sync/core/pure';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { N8nCognigyClient } from '../../shared/cognigy';
import { customerFromItem } from '../../shared/customer-item';
import { N8nCxoneClient } from '../../shared/cxone';
import { ItemFailure } from '../../shared/errors';
import { customerOfConversation, getExternalContact } from '../../shared/genesys';
import { toItemJson } from '../../shared/items';
import { requiredText } from '../../shared/params';

interface SyncOptions {
  cxoneCustomerId?: string;
  cognigyProfileId?: string;
  createMissingProfiles?: boolean;
  dryRun?: boolean;
  mapping?: string | IDataObject;
}

/** The mapping option: JSON text or an object, checked by the core (errors say where and what). */
export function mappingOption(value: SyncOptions['mapping']): Mapping | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string')
    return value.trim() === '' ? undefined : parseMapping(value, 'the Mapping option');
  return validateMapping(value, 'the Mapping option');
}

/**
 * Syncs the input items' customers: the clients (and with them the CXone definitions and Cognigy
 * schema) are shared by all items of one run; each item's result is the core's `SyncResult`, the
 * object the command line prints with --json.
 */
export class ProfileSyncRun {
  private cxone?: N8nCxoneClient;
  private readonly cognigy = new Map<string, N8nCognigyClient>();

  constructor(private readonly ctx: IExecuteFunctions) {}

  async item(itemIndex: number): Promise<IDataObject> {
    const ctx = this.ctx;
    const options = ctx.getNodeParameter('options', itemIndex, {}) as SyncOptions;
    const mapping = mappingOption(options.mapping);
    const targets = this.targets(itemIndex, mapping, options.createMissingProfiles !== false);
    const customer = await this.customer(itemIndex);
    const result = await syncCustomer(customer, targets, {
      dryRun: options.dryRun === true,
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

  private targets(itemIndex: number, mapping: Mapping | undefined, createMissing: boolean): SyncTarget[] {
    const ctx = this.ctx;
    const targets: SyncTarget[] = [];
    if (ctx.getNodeParameter('syncToCxone', itemIndex, true) as boolean) {
      this.cxone ??= new N8nCxoneClient(ctx);
      targets.push(new CxoneTarget(this.cxone, mapping));
    }
    if (ctx.getNodeParameter('syncToCognigy', itemIndex, true) as boolean) {
      const projectId = requiredText(ctx, 'cognigyProjectId', itemIndex, 'Cognigy.AI Project ID', 'cognigy');
      let client = this.cognigy.get(projectId);
      if (!client) {
        client = new N8nCognigyClient(ctx, projectId);
        this.cognigy.set(projectId, client);
      }
      targets.push(new CognigyTarget(client, mapping, createMissing));
    }
    if (targets.length === 0) {
      throw new ConfigurationError('Profile Sync: turn on NICE CXone, Cognigy.AI or both');
    }
    return targets;
  }

  private async customer(itemIndex: number): Promise<SourceCustomer> {
    const ctx = this.ctx;
    const source = ctx.getNodeParameter('source', itemIndex, 'input') as string;
    if (source === 'conversationId') {
      return customerOfConversation(
        ctx,
        requiredText(ctx, 'conversationId', itemIndex, 'Conversation ID', 'genesys'),
      );
    }
    if (source === 'externalContactId') {
      const contactId = requiredText(ctx, 'contactId', itemIndex, 'Contact ID', 'genesys');
      return customerFromExternalContact(await getExternalContact(ctx, contactId));
    }
    return customerFromItem(ctx.getInputData()[itemIndex]?.json ?? {});
  }
}
