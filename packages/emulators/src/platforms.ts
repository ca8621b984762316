/**
 * The emulated platforms, in port order: the first listens on `options.port`, the next on the port
 * after, and so on. Adding one is its folder `src/<name>/`, whose `platform.ts` exports an
 * `EmulatedPlatform` (see common/platform.ts), and one entry here: the options, `startEmulators`,
 * `emulatorEnv`, the typed accessors (`emu.<name>`, `emu.urls.<name>`) and the command line follow.
 */
import { cognigy } from './cognigy/platform.js';
import type { EmulatedPlatform } from './common/platform.js';
import { cxone } from './cxone/platform.js';
import { genesys } from './genesys/platform.js';

export const EMULATED_PLATFORMS = [genesys, cxone, cognigy] as const;

/** Any listed platform, as a union: the mapped types over it key everything by platform name. */
export type ListedPlatform = (typeof EMULATED_PLATFORMS)[number];

/** The same list, as the code that treats every platform alike sees it. */
export const emulatedPlatforms: readonly EmulatedPlatform[] = EMULATED_PLATFORMS;

/** An object with one entry per listed platform, keyed by its name, in list order. */
export function byPlatformName<T>(
  entry: (platform: EmulatedPlatform, index: number) => T,
): Record<string, T> {
  return Object.fromEntries(emulatedPlatforms.map((p, i) => [p.name, entry(p, i)]));
}
