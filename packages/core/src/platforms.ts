/**
 * The platforms this build knows. Each source and target folder registers its descriptor when it is
 * loaded; loading them all is what this module does, so the registry is complete wherever the core's
 * entry points (or this module) are imported. Adding a target is its folder under `targets/` and one
 * line in `targets/index.ts`; everything else iterates the registry (see registry.ts).
 */
import type * as sources from './sources/index.js';
import type * as targets from './targets/index.js';
import './sources/index.js';
import './targets/index.js';

type Exported = (typeof sources)[keyof typeof sources] | (typeof targets)[keyof typeof targets];
/** The built-in descriptors, found among the folders' exports by their shape. */
type Builtin = Extract<
  Exported,
  { role: 'source' | 'target'; name: string; readConfig(env: never): unknown }
>;
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
