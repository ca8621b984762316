import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

export interface ChildOutput<T> {
  result: T;
  maxRssKb: number;
  /** CPU time the child used (user + system), in milliseconds. */
  cpuMs: number;
}

/** Runs one path in `child.js` (its own process), settings on stdin, result from the last stdout line. */
export function runChild<T>(mode: string, settings: unknown): Promise<ChildOutput<T>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, mode], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`bench child "${mode}" exited with ${code}`));
      try {
        resolve(JSON.parse(last) as ChildOutput<T>);
      } catch {
        reject(new Error(`bench child "${mode}" printed no result: ${last.slice(0, 200)}`));
      }
    });
    child.stdin.end(JSON.stringify(settings));
  });
}

/** CPU time (user + system) a process has used so far, in milliseconds (Linux /proc, 100 ticks a second). */
export function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state, field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
