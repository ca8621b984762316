/**
 * The mapping file: which source attribute goes to which target field, how to read it, and what to
 * leave out. JSON, for example:
 *
 * ```json
 * {
 *   "attributes": {
 *     "annual_spend": { "type": "number" },
 *     "internal_flag": { "drop": true },
 *     "tier": { "to": "loyalty_tier" }
 *   },
 *   "defaults": { "preferred_channel": "voice" },
 *   "onlyMapped": false,
 *   "targets": {
 *     "cxone": { "attributes": { "tier": { "to": "loyalty_tier" } } },
 *     "cognigy": { "onlyMapped": false }
 *   }
 * }
 * ```
 *
 * - `attributes.<source key>`: a rule with any of `to` (the target field, default the same name),
 *   `type` (how to read the source value: string, number, boolean, date, datetime, object),
 *   `default` (used when the attribute is missing, null or ""), `drop: true` (never sent; reported
 *   as "dropped by mapping"). `drop: true` cannot be combined with the others.
 * - `defaults.<source key>`: a shorter way to give a default.
 * - `onlyMapped`: when true, attributes with no rule and no default are not sent (reported).
 * - `targets.cxone` / `targets.cognigy`: sections of the same shape (without `targets`) that override
 *   the common one for that target: a target's rule is merged field by field over the common rule
 *   (its fields win; `"drop": false` undoes a common drop), a target's default wins over a common
 *   one (within a section, a rule's `default` wins over `defaults`), and its `onlyMapped` wins.
 *
 * Attribute names are plain data: `__proto__` or `constructor` in `attributes` name attributes.
 * Without a mapping, every attribute goes to the target field of the same name, when the target has it.
 */

import { ConfigurationError } from '../errors/errors.js';
import type { TargetName } from '../platforms.js';
import { targetNames } from '../registry.js';
import type { AttributeValue } from '../sources/types.js';
import { readAsType, VALUE_TYPES, type ValueType } from './values.js';

export type { TargetName };

export interface AttributeRule {
  to?: string;
  drop?: boolean;
  type?: ValueType;
  default?: AttributeValue;
}

export interface MappingSection {
  /** By source attribute key (a null-prototype object). */
  attributes: Record<string, AttributeRule>;
  /** By source attribute key (a null-prototype object). */
  defaults: Record<string, AttributeValue>;
  onlyMapped?: boolean;
}

/** A validated mapping file. */
export interface Mapping extends MappingSection {
  targets: Partial<Record<TargetName, MappingSection>>;
}

/** One attribute's rule for one target, after merging the target's section over the common one. */
export interface ResolvedRule {
  to?: string;
  drop: boolean;
  type?: ValueType;
  default?: AttributeValue;
}

/** The mapping as it applies to one target. */
export interface ResolvedMapping {
  target: TargetName;
  /** By source attribute key (a null-prototype object). */
  rules: Record<string, ResolvedRule>;
  onlyMapped: boolean;
}

const ROOT_KEYS = ['attributes', 'defaults', 'onlyMapped', 'targets'];
const SECTION_KEYS = ['attributes', 'defaults', 'onlyMapped'];
const RULE_KEYS = ['to', 'drop', 'type', 'default'];

/** A path as the user reads it: mapping.attributes.annual_spend.type, mapping.attributes["a b"]. */
function pathOf(segments: readonly string[]): string {
  return segments
    .map((s, i) => (i === 0 ? s : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`))
    .join('');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function nullObject<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Sets own data, whatever the key (`__proto__` included). */
function put<T>(o: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

function own<T>(o: Record<string, T> | undefined, key: string): T | undefined {
  return o !== undefined && Object.hasOwn(o, key) ? o[key] : undefined;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

class Problems {
  readonly list: string[] = [];
  add(path: readonly string[], message: string): void {
    const line = `${pathOf(path)}: ${message}`;
    if (!this.list.includes(line)) this.list.push(line);
  }
}

function unknownKeys(
  o: Record<string, unknown>,
  allowed: string[],
  path: string[],
  problems: Problems,
): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) {
      problems.add([...path, key], `unknown key (expected one of ${allowed.join(', ')})`);
    }
  }
}

/** A default or rule value: any JSON value but null (null means "no value", so it cannot be one). */
function checkValue(v: unknown, path: string[], problems: Problems): v is AttributeValue {
  if (v === null || v === undefined) {
    problems.add(path, 'must be a string, number, boolean, object or array, not null');
    return false;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) {
    problems.add(path, 'must be a finite number');
    return false;
  }
  if (!['string', 'number', 'boolean', 'object'].includes(typeof v)) {
    problems.add(path, `must be a JSON value, not ${describe(v)}`);
    return false;
  }
  return true;
}

function readRule(v: unknown, path: string[], problems: Problems): AttributeRule | undefined {
  if (!isPlainObject(v)) {
    problems.add(path, `must be an object with any of ${RULE_KEYS.join(', ')}, not ${describe(v)}`);
    return undefined;
  }
  unknownKeys(v, RULE_KEYS, path, problems);
  const rule: AttributeRule = {};
  if (Object.hasOwn(v, 'to')) {
    if (typeof v.to !== 'string' || v.to === '') problems.add([...path, 'to'], 'must be a non-empty string');
    else rule.to = v.to;
  }
  if (Object.hasOwn(v, 'drop')) {
    if (typeof v.drop !== 'boolean') problems.add([...path, 'drop'], 'must be true or false');
    else rule.drop = v.drop;
  }
  if (Object.hasOwn(v, 'type')) {
    if (typeof v.type !== 'string' || !(VALUE_TYPES as readonly string[]).includes(v.type)) {
      problems.add([...path, 'type'], `must be one of ${VALUE_TYPES.join(', ')}`);
    } else rule.type = v.type as ValueType;
  }
  if (Object.hasOwn(v, 'default') && checkValue(v.default, [...path, 'default'], problems)) {
    rule.default = v.default;
  }
  if (selfConflict(rule)) {
    problems.add(path, 'drop: true cannot be combined with to, type or default');
  }
  return rule;
}

function readSection(v: unknown, path: string[], allowed: string[], problems: Problems): MappingSection {
  const section: MappingSection = { attributes: nullObject(), defaults: nullObject() };
  if (!isPlainObject(v)) {
    problems.add(path, `must be an object, not ${describe(v)}`);
    return section;
  }
  unknownKeys(v, allowed, path, problems);
  if (Object.hasOwn(v, 'attributes')) {
    const attributes = v.attributes;
    if (!isPlainObject(attributes)) {
      problems.add([...path, 'attributes'], `must be an object, not ${describe(attributes)}`);
    } else {
      for (const key of Object.keys(attributes)) {
        const rule = readRule(attributes[key], [...path, 'attributes', key], problems);
        if (rule) put(section.attributes, key, rule);
      }
    }
  }
  if (Object.hasOwn(v, 'defaults')) {
    const defaults = v.defaults;
    if (!isPlainObject(defaults)) {
      problems.add([...path, 'defaults'], `must be an object, not ${describe(defaults)}`);
    } else {
      for (const key of Object.keys(defaults)) {
        const value = defaults[key];
        if (checkValue(value, [...path, 'defaults', key], problems)) put(section.defaults, key, value);
      }
    }
  }
  if (Object.hasOwn(v, 'onlyMapped')) {
    if (typeof v.onlyMapped !== 'boolean') problems.add([...path, 'onlyMapped'], 'must be true or false');
    else section.onlyMapped = v.onlyMapped;
  }
  return section;
}

/** The keys a section names, in the order it names them. */
function sectionKeys(section: MappingSection | undefined): string[] {
  return section ? [...Object.keys(section.attributes), ...Object.keys(section.defaults)] : [];
}

function defaultOf(section: MappingSection | undefined, key: string): AttributeValue | undefined {
  const rule = own(section?.attributes, key);
  return rule !== undefined && 'default' in rule ? rule.default : own(section?.defaults, key);
}

/** The mapping as it applies to `target`: the target's section merged over the common one. */
export function resolveMappingFor(mapping: Mapping, target: TargetName): ResolvedMapping {
  const specific = own(mapping.targets, target);
  const rules = nullObject<ResolvedRule>();
  for (const key of [...sectionKeys(mapping), ...sectionKeys(specific)]) {
    if (Object.hasOwn(rules, key)) continue;
    const merged: AttributeRule = { ...own(mapping.attributes, key), ...own(specific?.attributes, key) };
    const rule: ResolvedRule = { drop: merged.drop === true };
    if (merged.to !== undefined) rule.to = merged.to;
    if (merged.type !== undefined) rule.type = merged.type;
    const value = defaultOf(specific, key) ?? defaultOf(mapping, key);
    if (value !== undefined) rule.default = value;
    put(rules, key, rule);
  }
  return { target, rules, onlyMapped: specific?.onlyMapped ?? mapping.onlyMapped ?? false };
}

/** A rule that drops and also sets something else (readRule reports it). */
function selfConflict(rule: AttributeRule | undefined): boolean {
  return rule?.drop === true && (rule.to !== undefined || rule.type !== undefined || 'default' in rule);
}

/** Conflicts that only show once a target's section is merged over the common one. */
function checkResolved(mapping: Mapping, target: TargetName, problems: Problems): void {
  const resolved = resolveMappingFor(mapping, target);
  const specific = own(mapping.targets, target);
  const where = (key: string): string[] =>
    own(specific?.attributes, key) !== undefined || own(specific?.defaults, key) !== undefined
      ? ['mapping', 'targets', target, 'attributes', key]
      : ['mapping', 'attributes', key];
  const defaultPath = (key: string): string[] => {
    for (const [section, prefix] of [
      [specific, ['mapping', 'targets', target]],
      [mapping, ['mapping']],
    ] as const) {
      const rule = own(section?.attributes, key);
      if (rule !== undefined && 'default' in rule) return [...prefix, 'attributes', key, 'default'];
      if (own(section?.defaults, key) !== undefined) return [...prefix, 'defaults', key];
    }
    return [...where(key), 'default'];
  };
  const claimedBy = nullObject<string>();
  for (const key of Object.keys(resolved.rules)) {
    const rule = resolved.rules[key]!;
    if (rule.drop) {
      const reportedAlready =
        selfConflict(own(mapping.attributes, key)) || selfConflict(own(specific?.attributes, key));
      if (
        !reportedAlready &&
        (rule.to !== undefined || rule.type !== undefined || rule.default !== undefined)
      ) {
        problems.add(
          where(key),
          `for ${target} the attribute is dropped but also given to, type or default; ` +
            `set "drop": false in mapping.targets.${target}.attributes to send it, or remove the others`,
        );
      }
      continue;
    }
    if (rule.type !== undefined && rule.default !== undefined) {
      // Checked on the merged rule: the type and the default may come from different sections.
      const read = readAsType(rule.type, rule.default);
      if (!read.ok) problems.add(defaultPath(key), `does not read as ${rule.type}: it ${read.reason}`);
    }
    if (rule.to === undefined) continue;
    const first = own(claimedBy, rule.to);
    if (first !== undefined) {
      problems.add(
        [...where(key), 'to'],
        `for ${target} both ${JSON.stringify(first)} and ${JSON.stringify(key)} map to ${JSON.stringify(rule.to)}`,
      );
    } else put(claimedBy, rule.to, key);
  }
}

function fail(sourceName: string, problems: readonly string[]): never {
  const list = problems.map((p) => `\n  - ${p}`).join('');
  throw new ConfigurationError(`The mapping file ${sourceName} is not valid:${list}`);
}

/**
 * Checks a mapping already parsed from JSON (or built in code) and returns it as a `Mapping`.
 * Throws a ConfigurationError that lists every problem with its path.
 */
export function validateMapping(value: unknown, sourceName = 'mapping'): Mapping {
  const problems = new Problems();
  const root = readSection(value, ['mapping'], ROOT_KEYS, problems);
  const mapping: Mapping = { ...root, targets: {} };
  if (isPlainObject(value) && Object.hasOwn(value, 'targets')) {
    const targets = value.targets;
    if (!isPlainObject(targets)) {
      problems.add(['mapping', 'targets'], `must be an object, not ${describe(targets)}`);
    } else {
      unknownKeys(targets, targetNames(), ['mapping', 'targets'], problems);
      for (const target of targetNames()) {
        if (!Object.hasOwn(targets, target)) continue;
        mapping.targets[target] = readSection(
          targets[target],
          ['mapping', 'targets', target],
          SECTION_KEYS,
          problems,
        );
      }
    }
  }
  for (const target of targetNames()) checkResolved(mapping, target, problems);
  if (problems.list.length > 0) fail(sourceName, problems.list);
  return mapping;
}

/** Line and column (from 1) of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * The offset of the first JSON syntax error in `text` (JSON.parse says where only for some errors),
 * or undefined when it finds none. Only called once JSON.parse has failed.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const stop = { at: 0 };
  const fail = (): never => {
    stop.at = i;
    throw stop;
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (c: string) => (text[i] === c ? i++ : fail());
  const string = () => {
    expect('"');
    for (;;) {
      const c = text[i];
      if (c === undefined || c < ' ') fail();
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 5;
        } else if (text[i] !== undefined && '"\\/bfnrt'.includes(text[i]!)) i++;
        else fail();
      } else i++;
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          space();
          string();
          space();
          expect(':');
        }
        value();
        space();
        if (text[i] !== ',') {
          expect(close);
          return;
        }
        i++;
      }
    }
    if (c === '"') {
      string();
      return;
    }
    const literal = /true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    literal.lastIndex = i;
    if (literal.exec(text) === null) fail();
    i = literal.lastIndex;
  };
  try {
    value();
    space();
    if (i < text.length) fail();
    return undefined;
  } catch (e) {
    return e === stop ? stop.at : undefined;
  }
}

/**
 * Parses and validates a mapping file's text. `sourceName` (a file name) goes in error messages.
 * Bad JSON → ConfigurationError with the line and column; a bad shape → ConfigurationError listing
 * each problem with its path, e.g.
 * `mapping.attributes.annual_spend.type: must be one of string, number, boolean, date, datetime, object`.
 */
export function parseMapping(text: string, sourceName = 'mapping'): Mapping {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const offset = jsonErrorOffset(text);
    const where =
      offset === undefined
        ? ''
        : (({ line, column }) => ` at line ${line}, column ${column}`)(lineAndColumn(text, offset));
    throw new ConfigurationError(`The mapping file ${sourceName} is not valid JSON${where}: ${message}`, {
      cause: e,
    });
  }
  return validateMapping(value, sourceName);
}
