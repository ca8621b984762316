import type { EmulatedPlatform } from './common/platform.js';
import * as descriptors from './platforms.js';

/** Any listed platform, as a union: the mapped types over it key everything by platform name. */
export type ListedPlatform = (typeof descriptors)[keyof typeof descriptors];

/** A listed platform's name: `emu.<name>`, `EmulatorOptions.<name>`, `emu.urls.<name>`. */
export type EmulatedPlatformName = ListedPlatform['name'];

/** The name of a bucket of a listed platform's `limitBuckets`: "genesys", "cxoneGets", … */
export type LimitBucketName = ReturnType<ListedPlatform['limitBuckets']>[number]['name'];

/**
 * Platforms sorted by their `order`, which must be 0, 1, … with none twice or missing: the ports
 * and every listing follow it, so a clash is an error at load rather than a silent swap.
 */
export function inPortOrder<P extends EmulatedPlatform>(platforms: readonly P[]): readonly P[] {
  const sorted = [...platforms].sort((a, b) => a.order - b.order);
  if (sorted.some((p, i) => p.order !== i)) {
    const orders = sorted.map((p) => `${p.name} ${p.order}`).join(', ');
    throw new Error(`the emulated platforms' orders must be 0 to ${sorted.length - 1}, each once: ${orders}`);
  }
  return sorted;
}

/**
 * The emulated platforms (platforms.ts, one line each), in port order: the first listens on
 * `options.port`, the next on the port after, and so on.
 */
export const EMULATED_PLATFORMS: readonly ListedPlatform[] = inPortOrder(Object.values(descriptors));

/** The same list, as the code that treats every platform alike sees it. */
export const emulatedPlatforms: readonly EmulatedPlatform[] = EMULATED_PLATFORMS;

/** An object with one entry per listed platform, keyed by its name, in list order. */
export function byPlatformName<T>(
  entry: (platform: EmulatedPlatform, index: number) => T,
): Record<string, T> {
  return Object.fromEntries(emulatedPlatforms.map((p, i) => [p.name, entry(p, i)]));
}
