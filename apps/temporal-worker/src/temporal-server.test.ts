import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findTemporalCli } from './temporal-server.js';

const dir = mkdtempSync(join(tmpdir(), 'cx-temporal-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function executable(name: string): string {
  const folder = mkdtempSync(join(dir, `${name}-`));
  const path = join(folder, 'temporal');
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

describe('findTemporalCli', () => {
  it('takes TEMPORAL_CLI_PATH first, then `temporal` on PATH', () => {
    const named = executable('named');
    const onPath = executable('path');
    const pathDir = join(onPath, '..');
    expect(findTemporalCli({ TEMPORAL_CLI_PATH: named, PATH: pathDir })).toBe(named);
    expect(findTemporalCli({ PATH: `/nonexistent:${pathDir}` })).toBe(onPath);
  });

  it('finds nothing (so only the SDK download is left) when neither exists', () => {
    expect(findTemporalCli({ PATH: '/nonexistent' })).toBeUndefined();
    expect(findTemporalCli({ TEMPORAL_CLI_PATH: '  ', PATH: '' })).toBeUndefined();
  });

  it('refuses a TEMPORAL_CLI_PATH that is not an executable', () => {
    const plain = join(mkdtempSync(join(dir, 'plain-')), 'temporal');
    writeFileSync(plain, '');
    expect(() => findTemporalCli({ TEMPORAL_CLI_PATH: plain })).toThrow(/not an executable file/);
  });
});
