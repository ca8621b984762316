import type { SyncConfig } from '../config.js';
import type { Mapping, TargetName } from '../convert/mapping.js';
import { ConfigurationError, isSyncError, type Platform } from '../errors/errors.js';
import { createRuntime, type Runtime, type RuntimeOptions } from '../runtime.js';
import { GenesysClient } from '../sources/genesys/client.js';
import { CognigyClient } from '../targets/cognigy/client.js';
import { CognigyTarget } from '../targets/cognigy/target.js';
import { CxoneClient } from '../targets/cxone/client.js';
import { CxoneTarget } from '../targets/cxone/target.js';
import { exitCodeForKind } from './result.js';
import type { SyncTarget } from './target.js';

/** One step of `check`: what was tried, whether it worked, and what to fix. */
export interface CheckStep {
  platform: Platform;
  step: string;
  ok: boolean;
  message: string;
  /** The CLI's exit status for this failure. */
  exitCode?: number;
}

export interface SyncServicesOptions extends RuntimeOptions {
  mapping?: Mapping;
  /** Create a Cognigy profile when none has the customer's contact ids (default true). */
  createMissingProfiles?: boolean;
  /** Reuse a runtime (tokens, limiters) across many syncs, e.g. in a worker. */
  runtime?: Runtime;
}

export interface SyncServices {
  runtime: Runtime;
  genesys: GenesysClient;
  cxone?: CxoneClient;
  cognigy?: CognigyClient;
  /** The targets to write: one by name, or all configured. A named target that is not configured is a ConfigurationError. */
  targets(which: TargetName | 'all'): SyncTarget[];
  check(): Promise<CheckStep[]>;
  close(): void;
}

/** Builds the clients and targets of a configuration; the one place the CLI, the worker and tests wire things. */
export function createSyncServices(config: SyncConfig, options: SyncServicesOptions = {}): SyncServices {
  if (!config.genesys)
    throw new ConfigurationError(
      'configuration: Genesys Cloud (the source) is not configured: set GENESYS_REGION (or GENESYS_API_URL and GENESYS_LOGIN_URL), GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET',
    );
  const runtime =
    options.runtime ??
    createRuntime({
      ...(config.limits ? { limitScale: config.limits.scale, unlimited: config.limits.off } : {}),
      ...options,
    });
  const genesys = new GenesysClient(config.genesys, runtime);
  const cxone = config.cxone ? new CxoneClient(config.cxone, runtime) : undefined;
  const cognigy = config.cognigy ? new CognigyClient(config.cognigy, runtime) : undefined;
  const cxoneTarget = cxone && new CxoneTarget(cxone, options.mapping);
  const cognigyTarget =
    cognigy && new CognigyTarget(cognigy, options.mapping, options.createMissingProfiles ?? true);

  return {
    runtime,
    genesys,
    ...(cxone ? { cxone } : {}),
    ...(cognigy ? { cognigy } : {}),
    targets(which) {
      const all = [cxoneTarget, cognigyTarget].filter(
        (t): t is CxoneTarget | CognigyTarget => t !== undefined,
      );
      if (which === 'all') {
        if (all.length === 0)
          throw new ConfigurationError(
            'configuration: no target is configured: set the CXONE_* variables, the COGNIGY_* variables, or both',
          );
        return all;
      }
      const one = all.find((t) => t.name === which);
      if (!one) {
        const vars =
          which === 'cxone'
            ? 'CXONE_CLIENT_ID, CXONE_CLIENT_SECRET, CXONE_ACCESS_KEY_ID and CXONE_ACCESS_KEY_SECRET'
            : 'COGNIGY_API_URL, COGNIGY_API_KEY and COGNIGY_PROJECT_ID';
        throw new ConfigurationError(`configuration: --target ${which} is not configured: set ${vars}`);
      }
      return [one];
    },
    async check() {
      const steps: CheckStep[] = [];
      const attempt = async (platform: Platform, step: string, run: () => Promise<string>) => {
        try {
          steps.push({ platform, step, ok: true, message: await run() });
          return true;
        } catch (e) {
          if (!isSyncError(e)) throw e;
          steps.push({ platform, step, ok: false, message: e.message, exitCode: exitCodeForKind(e.kind) });
          return false;
        }
      };
      await attempt('genesys', 'login and permissions', () => genesys.check());
      if (cxone) {
        const ok = await attempt('cxone', 'login and host discovery', async () => {
          const c = await cxone.connect();
          return `tenant ${c.tenant?.tenantId ?? '(from overrides)'}, Digital API at ${c.dfoUrl}`;
        });
        if (ok)
          await attempt('cxone', 'read custom-field definitions', async () => {
            const defs = await cxone.fieldDefinitions();
            return `${defs.length} custom fields (${defs.filter((d) => d.isEditable).length} editable)`;
          });
      }
      if (cognigy) {
        await attempt('cognigy', 'API key and project schema', async () => {
          const schema = await cognigy.schema();
          return `project ${cognigy.config.projectId}: ${schema.length} profile fields`;
        });
      }
      return steps;
    },
    close: () => {
      if (!options.runtime) runtime.close();
    },
  };
}
