import { definePlatform, type PlatformContext, type PlatformEmulator } from '../common/platform.js';

// biome-ignore lint/complexity/noBannedTypes: placeholder until the routes exist
export type CognigyState = {};

export function createCognigyEmulator(ctx: PlatformContext): PlatformEmulator<CognigyState> {
  return definePlatform<CognigyState>(
    ctx,
    { name: 'cognigy', errorBody: (status, code, message) => ({ status, code, message }) },
    3,
    () => ({ state: () => ({}), reset() {}, revokeTokens() {} }),
  );
}
