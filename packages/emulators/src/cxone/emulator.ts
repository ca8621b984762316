import { definePlatform, type PlatformContext, type PlatformEmulator } from '../common/platform.js';

// biome-ignore lint/complexity/noBannedTypes: placeholder until the routes exist
export type CxoneState = {};

export function createCxoneEmulator(ctx: PlatformContext): PlatformEmulator<CxoneState> {
  return definePlatform<CxoneState>(
    ctx,
    { name: 'cxone', errorBody: (status, code, message) => ({ status, code, message }) },
    2,
    () => ({ state: () => ({}), reset() {}, revokeTokens() {} }),
  );
}
