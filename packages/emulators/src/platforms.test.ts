import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { PlatformEmulator } from './common/platform.js';
import { DOCUMENTED_LIMITS, resolveOptions } from './options.js';
import { EMULATED_PLATFORMS, emulatedPlatforms } from './platforms.js';
import { emulatorEnv } from './start.js';
import { http, useEmulators } from './test-helpers.js';

// Everything keyed by platform is built from EMULATED_PLATFORMS: these tests read it by name, as
// code that treats every platform alike does.
const byName = <T>(keyed: object, name: string) => (keyed as Record<string, T>)[name]!;

const emu = useEmulators();

describe('the list of emulated platforms', () => {
  it('names each platform once, in port order', () => {
    expect(EMULATED_PLATFORMS.map((p) => p.name)).toEqual(['genesys', 'cxone', 'cognigy']);
  });

  it('drives startEmulators: each listed platform is served at the URLs of its connection', async () => {
    expect(Object.keys(emu().state)).toEqual(EMULATED_PLATFORMS.map((p) => p.name));
    expect(Object.keys(emu().urls)).toEqual(EMULATED_PLATFORMS.map((p) => p.name));
    for (const p of emulatedPlatforms) {
      const emulator = byName<PlatformEmulator<unknown>>(emu(), p.name);
      const { port } = emulator.server.app.server.address() as AddressInfo;
      const base = `http://127.0.0.1:${port}`;
      expect(Object.values(byName<object>(emu().urls, p.name))).toContain(base);
      expect((await http('GET', `${base}/__admin/state`)).status, p.name).toBe(200);
      expect(byName(emu().state, p.name)).toBe(emulator.state);
    }
  });

  it("drives emulatorEnv: exactly the variables of each platform's env", () => {
    const env = emulatorEnv(emu().urls);
    const expected = emulatedPlatforms.map((p) => p.env(byName(emu().urls, p.name)));
    expect(env).toEqual(Object.assign({}, ...expected));
    expect(Object.keys(env)).toHaveLength(expected.reduce((n, vars) => n + Object.keys(vars).length, 0));
    // The variables a user's .env and the other packages' tests rely on.
    expect(Object.keys(env)).toEqual([
      'GENESYS_API_URL',
      'GENESYS_LOGIN_URL',
      'GENESYS_CLIENT_ID',
      'GENESYS_CLIENT_SECRET',
      'CXONE_ISSUER',
      'CXONE_CLIENT_ID',
      'CXONE_CLIENT_SECRET',
      'CXONE_ACCESS_KEY_ID',
      'CXONE_ACCESS_KEY_SECRET',
      'COGNIGY_API_URL',
      'COGNIGY_API_KEY',
      'COGNIGY_PROJECT_ID',
    ]);
  });

  it('drives the options: each section defaults to its descriptor, the documented limits included', () => {
    const resolved = resolveOptions({});
    for (const p of emulatedPlatforms) {
      expect(byName(resolved, p.name)).toEqual(p.defaultOptions);
      expect(byName(DOCUMENTED_LIMITS, p.name)).toEqual(p.documentedLimits);
      expect(p.defaultOptions).toMatchObject(p.documentedLimits);
    }
    // A field given, or given as undefined, changes that field only.
    expect(resolveOptions({ cxone: { customerBurst: 3, getsPerHour: undefined } }).cxone).toEqual({
      ...EMULATED_PLATFORMS[1].defaultOptions,
      customerBurst: 3,
    });
  });

  it('gives every command-line flag to one platform only', () => {
    const flags = emulatedPlatforms.flatMap((p) => Object.values(p.flags ?? {}).map((f) => f?.flag));
    expect(new Set(flags).size).toBe(flags.length);
  });
});
