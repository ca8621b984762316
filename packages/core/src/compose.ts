/**
 * The composition root: configuration → runtime → each configured platform's client → targets. The
 * one place the CLI, the worker and the tests wire things; it knows no platform by name but the
 * source, and iterates the registry for the targets.
 */
import { type CheckStep, runChecks } from './check.js';
import type { SyncConfig } from './config.js';
import type { Mapping } from './convert/mapping.js';
import { ConfigurationError } from './errors/errors.js';
import type { TargetName } from './platforms.js';
import { findPlatform, type TargetDescriptor, targetDescriptors } from './registry.js';
import { createRuntime, type Runtime, type RuntimeOptions } from './runtime.js';
import type { GenesysClient } from './sources/genesys/client.js';
import type { SyncTarget } from './sync/target.js';

export type { CheckStep };

export interface SyncServicesOptions extends RuntimeOptions {
  mapping?: Mapping;
  /** Create a Cognigy profile when none has the customer's contact ids (default true). */
  createMissingProfiles?: boolean;
  /** Reuse a runtime (tokens, limiters) across many syncs, e.g. in a worker. */
  runtime?: Runtime;
}

export interface SyncServices {
  runtime: Runtime;
  /** The source. */
  genesys: GenesysClient;
  /** The configured targets' clients, by target name. */
  clients: Record<string, unknown>;
  /** The names of the configured targets, in registry order. */
  targetNames(): TargetName[];
  /**
   * The ledger's name of a configured target: `<name>@<tenant>` (see TargetDescriptor.ledgerScope),
   * so that one ledger shared by several tenants never mixes them.
   */
  ledgerTarget(name: TargetName): string;
  /** The targets to write: one by name, or all configured. A named target that is not configured is a ConfigurationError. */
  targets(which: TargetName | 'all'): SyncTarget[];
  check(): Promise<CheckStep[]>;
  close(): void;
}

const SOURCE = 'genesys';

/** Builds the clients and targets of a configuration. */
export function createSyncServices(config: SyncConfig, options: SyncServicesOptions = {}): SyncServices {
  const source = findPlatform(SOURCE)!;
  if (!config[SOURCE])
    throw new ConfigurationError(
      `configuration: ${source.label} (the source) is not configured: ${source.configHint}`,
    );
  const runtime =
    options.runtime ??
    createRuntime({
      ...(config.limits ? { limitScale: config.limits.scale, unlimited: config.limits.off } : {}),
      ...options,
    });
  const genesys = source.createClient(config[SOURCE], runtime) as GenesysClient;
  const configured: {
    descriptor: TargetDescriptor<unknown, unknown>;
    client: unknown;
    target: SyncTarget;
    ledgerName: string;
  }[] = [];
  for (const descriptor of targetDescriptors()) {
    const settings = config[descriptor.name];
    if (settings === undefined) continue;
    const client = descriptor.createClient(settings, runtime);
    const target = descriptor.createTarget(client, {
      ...(options.mapping ? { mapping: options.mapping } : {}),
      createMissing: options.createMissingProfiles ?? true,
    });
    const scope = descriptor.ledgerScope?.(settings);
    configured.push({
      descriptor,
      client,
      target,
      ledgerName: scope ? `${descriptor.name}@${scope}` : descriptor.name,
    });
  }

  return {
    runtime,
    genesys,
    clients: Object.fromEntries(configured.map((c) => [c.descriptor.name, c.client])),
    targetNames: () => configured.map((c) => c.descriptor.name),
    ledgerTarget: (name) => configured.find((c) => c.descriptor.name === name)?.ledgerName ?? name,
    targets(which) {
      if (which === 'all') {
        if (configured.length === 0)
          throw new ConfigurationError(
            `configuration: no target is configured: ${targetDescriptors()
              .map((d) => `for ${d.label} ${d.configHint}`)
              .join('; or ')}`,
          );
        return configured.map((c) => c.target);
      }
      const one = configured.find((c) => c.descriptor.name === which);
      if (!one) {
        const d = findPlatform(which);
        throw new ConfigurationError(
          d?.role === 'target'
            ? `configuration: --target ${which} is not configured: ${d.configHint}`
            : `configuration: there is no target named ${which} (known: ${targetDescriptors()
                .map((t) => t.name)
                .join(', ')})`,
        );
      }
      return [one.target];
    },
    async check() {
      const steps = await runChecks(SOURCE, source.checks(genesys));
      for (const c of configured)
        steps.push(...(await runChecks(c.descriptor.name, c.descriptor.checks(c.client))));
      return steps;
    },
    close: () => {
      if (!options.runtime) runtime.close();
    },
  };
}
