/**
 * The emulated platforms: one line each, exporting the descriptor (an `EmulatedPlatform`, see
 * common/platform.ts) that its folder's `platform.ts` exports. Adding a platform is its folder
 * `src/<name>/`, whose descriptor takes the next `order` (the lines' own order does not count: a
 * module's exports come alphabetically), and its one line here; the list (platform-list.ts), the
 * options, `startEmulators`, `emulatorEnv`, the typed accessors (`emu.<name>`, `emu.urls.<name>`),
 * the command line and the bench's limits follow. Export nothing else: every export is a platform.
 */
export { cognigy } from './cognigy/platform.js';
export { cxone } from './cxone/platform.js';
export { genesys } from './genesys/platform.js';
