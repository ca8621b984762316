import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { EmulatedPlatform, PlatformEmulator } from './common/platform.js';
import { cxone } from './cxone/platform.js';
import { DOCUMENTED_LIMITS, resolveOptions } from './options.js';
import { EMULATED_PLATFORMS, emulatedPlatforms, inPortOrder } from './platform-list.js';
import * as descriptors from './platforms.js';
import { emulatorEnv } from './start.js';
import { http, useEmulators } from './test-helpers.js';

// Everything keyed by platform is built from EMULATED_PLATFORMS: these tests read it by name, as
// code that treats every platform alike does.
const byName = <T>(keyed: object, name: string) => (keyed as Record<string, T>)[name]!;

const emu = useEmulators();

describe('the list of emulated platforms', () => {
  it('names each platform once, in port order', () => {
    expect(EMULATED_PLATFORMS.map((p) => p.name)).toEqual(['genesys', 'cxone', 'cognigy']);
    expect(EMULATED_PLATFORMS.map((p) => p.order)).toEqual([0, 1, 2]);
  });

  it("takes every export of platforms.ts, in the descriptors' order rather than the exports'", () => {
    // A module's exports come alphabetically: the order is the descriptors' own.
    expect(Object.keys(descriptors)).toEqual(['cognigy', 'cxone', 'genesys']);
    expect([...EMULATED_PLATFORMS].sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      Object.values(descriptors),
    );
    const [first, second, third] = EMULATED_PLATFORMS;
    expect(inPortOrder([third!, first!, second!])).toEqual(EMULATED_PLATFORMS);
  });

  it('refuses orders given twice or skipped, naming them', () => {
    const [genesys, cxone, cognigy] = emulatedPlatforms as [
      EmulatedPlatform,
      EmulatedPlatform,
      EmulatedPlatform,
    ];
    expect(() => inPortOrder([genesys, cxone, { ...cognigy, order: 1 }])).toThrow(
      "the emulated platforms' orders must be 0 to 2, each once: genesys 0, cxone 1, cognigy 1",
    );
    expect(() => inPortOrder([genesys, { ...cxone, order: 3 }, cognigy])).toThrow(/cognigy 2, cxone 3$/);
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
      ...cxone.defaultOptions,
      customerBurst: 3,
    });
  });

  it('gives every command-line flag to one platform only', () => {
    const flags = emulatedPlatforms.flatMap((p) => Object.values(p.flags ?? {}).map((f) => f?.flag));
    expect(new Set(flags).size).toBe(flags.length);
  });
});
