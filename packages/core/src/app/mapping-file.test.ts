import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors/errors.js';
import { readMappingFile } from './mapping-file.js';

describe('readMappingFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cx-mapping-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads and validates a mapping file', () => {
    const file = join(dir, 'good.json');
    writeFileSync(file, JSON.stringify({ attributes: { tier: { to: 'loyalty_tier' } } }));
    expect(readMappingFile(file)).toMatchObject({ attributes: { tier: { to: 'loyalty_tier' } } });
  });

  it('turns a file it cannot read into a ConfigurationError with the path and the system code', () => {
    const missing = join(dir, 'none.json');
    expect(() => readMappingFile(missing)).toThrow(
      new ConfigurationError(`cannot read the mapping file ${missing}: ENOENT`),
    );
    expect(() => readMappingFile(dir, 'CX_MAPPING_FILE')).toThrow(
      new ConfigurationError(`cannot read CX_MAPPING_FILE ${dir}: EISDIR`),
    );
  });

  it('passes on parseMapping’s ConfigurationError for bad JSON or a bad shape', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"attributes": {"tier": {"type": "colour"}}}');
    expect(() => readMappingFile(file)).toThrow(ConfigurationError);
    expect(() => readMappingFile(file)).toThrow(/tier\.type/);
    writeFileSync(file, '{"attributes": ');
    expect(() => readMappingFile(file)).toThrow(/not valid JSON/);
  });
});
