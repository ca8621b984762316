import { runEmulatorsCli } from '@cx-profile-sync/emulators';

/** The emulators' own command line: one JSON line, then serve until SIGINT or SIGTERM. */
export async function runEmulators(argv: string[]): Promise<number> {
  await runEmulatorsCli(argv);
  // Keeps running; the signal handlers exit the process.
  return new Promise<number>(() => {});
}
