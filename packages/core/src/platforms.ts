/**
 * The platforms this build knows: one line per source or target folder. Adding a target is its
 * folder under `targets/` (with a `descriptor.ts`) and one line here; everything else iterates the
 * registry (see registry.ts).
 */
import { registerSource, registerTarget, type SourceDescriptor, type TargetDescriptor } from './registry.js';
import { genesys } from './sources/genesys/descriptor.js';
import { cognigy } from './targets/cognigy/descriptor.js';
import { cxone } from './targets/cxone/descriptor.js';

export const BUILTIN_SOURCES = [genesys] as const;
export const BUILTIN_TARGETS = [cxone, cognigy] as const;

for (const s of BUILTIN_SOURCES) registerSource(s as SourceDescriptor<unknown, unknown>);
for (const t of BUILTIN_TARGETS) registerTarget(t as TargetDescriptor<unknown, unknown>);

type Builtin = (typeof BUILTIN_SOURCES)[number] | (typeof BUILTIN_TARGETS)[number];
type ConfigOf<D> = D extends { readConfig(env: never): infer C } ? Exclude<C, undefined> : never;

/**
 * A registered target's name (`cxone`, `cognigy`, or one a test or plugin registered). Plain text:
 * the registry, not the type, says which exist (`targetNames()`, `targetDescriptor(name)`).
 */
export type TargetName = string;
/** A registered platform's name (sources and targets): what errors, requests and limits are labelled with. */
export type Platform = string;
/** The built-in platforms' settings, by name (see config.ts). */
export type PlatformConfigs = { [D in Builtin as D['name']]?: ConfigOf<D> };
