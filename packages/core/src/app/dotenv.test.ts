import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDotEnv } from './dotenv.js';

const FROM_FILE = 'CX_DOTENV_TEST_FROM_FILE';
const ALREADY_SET = 'CX_DOTENV_TEST_ALREADY_SET';

describe('loadDotEnv', () => {
  const dirs: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cx-dotenv-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    delete process.env[FROM_FILE];
    delete process.env[ALREADY_SET];
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('reads .env from the folder; variables already set win', () => {
    const dir = folder();
    writeFileSync(join(dir, '.env'), `${FROM_FILE}=from-file\n${ALREADY_SET}=from-file\n`);
    process.env[ALREADY_SET] = 'from-environment';
    loadDotEnv(dir);
    expect(process.env[FROM_FILE]).toBe('from-file');
    expect(process.env[ALREADY_SET]).toBe('from-environment');
  });

  it('does nothing when the folder has no .env', () => {
    expect(() => loadDotEnv(folder())).not.toThrow();
    expect(process.env[FROM_FILE]).toBeUndefined();
  });
});
