import { readFileSync } from 'node:fs';
import { type Mapping, parseMapping } from '../convert/mapping.js';
import { ConfigurationError } from '../errors/errors.js';

/**
 * Reads and validates a mapping file. A file that cannot be read is a ConfigurationError naming the
 * file and the system's code (`cannot read the mapping file <path>: ENOENT`); `description` names
 * where the path came from (the worker says CX_MAPPING_FILE). Bad JSON or a bad shape is
 * parseMapping's ConfigurationError.
 */
export function readMappingFile(path: string, description = 'the mapping file'): Mapping {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigurationError(
      `cannot read ${description} ${path}: ${(e as NodeJS.ErrnoException).code ?? e}`,
      { cause: e },
    );
  }
  return parseMapping(text, path);
}
