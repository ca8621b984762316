import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Runs a command line's `main` when its module is the script node was started with (not when a test
 * imports it), and sets the exit status; an error nobody handled is printed with the program's name
 * and ends in status 1.
 */
export function runWhenInvoked(
  moduleUrl: string,
  program: string,
  main: (argv: string[]) => Promise<number>,
): void {
  const script = process.argv[1];
  if (!script || realpathSync(script) !== fileURLToPath(moduleUrl)) return;
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(`${program}: ${(e as Error)?.message ?? String(e)}`);
      process.exitCode = 1;
    },
  );
}
