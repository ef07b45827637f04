/**
 * A cheap first check of a stored event against the event contract, compiled from the zod
 * schemas themselves (events.ts), so the two cannot drift apart.
 *
 * Why: a replay checks every event of the log, and zod's general machinery (issue objects,
 * payloads, a copy of every object) cost about 2.5 µs an event, a quarter of the replay's
 * checking thread. The compiled check only answers "surely valid": it returns true only where
 * zod would accept the data unchanged, and false for anything else (a malformed event, and also
 * anything it does not understand). A caller then still asks zod, which gives the verdict and
 * the exact refusal message; so a refusal reads word for word as before, found at the same
 * position.
 *
 * "Unchanged": where zod accepts, its output is a copy of the input without unknown keys. The
 * compiled check refuses unknown keys, so what it passes is equal, value for value, to what zod
 * would have returned (tests/domain/event-precheck.test.ts holds both promises on random
 * events).
 *
 * Understood: objects (no catchall), strings with regex/uuid formats, length bounds and
 * refinements, numbers with safe-integer and bound checks, booleans, enums, literals, optionals,
 * arrays without checks, and the discriminated union of event types. Any other schema or check
 * (a transform, a default, another string format) makes its event type "never surely valid":
 * slower, never wrong.
 */
import type { z } from 'zod';
import { DomainEventSchema } from './events.js';

type Check = (value: unknown) => boolean;

/** zod's internal definition of a schema or check: only the fields read here. */
interface Def {
  readonly type?: string;
  readonly check?: string;
  readonly checks?: ReadonlyArray<{ _zod: { def: Def } }>;
  readonly shape?: Record<string, { _zod: { def: Def } }>;
  readonly catchall?: unknown;
  readonly innerType?: { _zod: { def: Def } };
  readonly element?: { _zod: { def: Def } };
  readonly entries?: Record<string, unknown>;
  readonly values?: readonly unknown[];
  readonly options?: ReadonlyArray<{ _zod: { def: Def } }>;
  readonly discriminator?: string;
  readonly format?: string;
  readonly pattern?: RegExp;
  readonly fn?: (value: never) => unknown;
  readonly value?: number;
  readonly inclusive?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
}

/**
 * The check is generated as JavaScript source, one function per event type: straight-line code
 * that V8 compiles well, where a tree of closures cost about a microsecond an event in calls.
 * Values the code needs (patterns, refinements, sets) are passed in `refs`.
 */
class Source {
  readonly refs: unknown[] = [];
  private names = 0;

  ref(value: unknown): string {
    this.refs.push(value);
    return `refs[${this.refs.length - 1}]`;
  }

  local(): string {
    this.names += 1;
    return `v${this.names}`;
  }
}

/** Statements that `return false` unless `value` (an expression without side effects) passes; undefined when not understood. */
function generate(def: Def, value: string, source: Source): string | undefined {
  switch (def.type) {
    case 'string':
      return withChecks(`typeof ${value} !== 'string'`, def, value, source, stringCheck);
    case 'number':
      return withChecks(`typeof ${value} !== 'number' || !Number.isFinite(${value})`, def, value, source, numberCheck);
    case 'boolean':
      return noChecks(def) ? `if (typeof ${value} !== 'boolean') return false;` : undefined;
    case 'enum':
      return noChecks(def) ? oneOf(Object.values(def.entries ?? {}), value, source) : undefined;
    case 'literal':
      return noChecks(def) ? oneOf(def.values ?? [], value, source) : undefined;
    case 'optional': {
      const inner = def.innerType === undefined ? undefined : generate(def.innerType._zod.def, value, source);
      return inner === undefined || !noChecks(def) ? undefined : `if (${value} !== undefined) { ${inner} }`;
    }
    case 'array': {
      const item = source.local();
      const index = source.local();
      const element = def.element === undefined ? undefined : generate(def.element._zod.def, item, source);
      if (element === undefined || !noChecks(def)) return undefined;
      // By index, as zod reads it: a hole is an undefined element.
      return `if (!Array.isArray(${value})) return false; for (let ${index} = 0; ${index} < ${value}.length; ${index} += 1) { const ${item} = ${value}[${index}]; ${element} }`;
    }
    case 'object':
      return objectCheck(def, value, source);
    default:
      return undefined;
  }
}

function noChecks(def: Def): boolean {
  return (def.checks ?? []).length === 0;
}

function oneOf(values: readonly unknown[], value: string, source: Source): string {
  // Strings compare inline (a handful of them); anything else through a Set, as zod's `has`.
  if (values.every((candidate) => typeof candidate === 'string')) {
    return `if (${values.map((candidate) => `${value} !== ${JSON.stringify(candidate)}`).join(' && ') || 'true'}) return false;`;
  }
  return `if (!${source.ref(new Set(values))}.has(${value})) return false;`;
}

/** The type test, then every check of the schema (zod runs them all; here any failure ends it). */
function withChecks(notType: string, def: Def, value: string, source: Source, check: (check: Def, value: string, source: Source) => string | undefined): string | undefined {
  const statements = [`if (${notType}) return false;`];
  for (const each of def.checks ?? []) {
    const compiled = check(each._zod.def, value, source);
    if (compiled === undefined) return undefined;
    statements.push(compiled);
  }
  return statements.join(' ');
}

function stringCheck(check: Def, value: string, source: Source): string | undefined {
  switch (check.check) {
    case 'string_format': {
      // Formats whose whole test is their pattern (zod's own code for them: `pattern.test`).
      const pattern = check.pattern;
      if ((check.format !== 'regex' && check.format !== 'uuid') || !(pattern instanceof RegExp)) return undefined;
      const fast = FAST_PATTERNS.get(patternKey(pattern));
      if (fast !== undefined) return `if (!${source.ref(fast)}(${value})) return false;`;
      const ref = source.ref(pattern);
      return `${ref}.lastIndex = 0; if (!${ref}.test(${value})) return false;`;
    }
    case 'min_length':
      return check.minimum === undefined ? undefined : `if (${value}.length < ${check.minimum}) return false;`;
    case 'max_length':
      return check.maximum === undefined ? undefined : `if (${value}.length > ${check.maximum}) return false;`;
    case 'custom':
      return refinement(check, value, source);
    default:
      return undefined;
  }
}

function numberCheck(check: Def, value: string, source: Source): string | undefined {
  const bound = check.value;
  switch (check.check) {
    case 'number_format':
      return check.format === 'safeint' ? `if (!Number.isSafeInteger(${value})) return false;` : undefined;
    case 'greater_than':
      return typeof bound !== 'number' ? undefined : `if (!(${value} ${check.inclusive === true ? '>=' : '>'} ${source.ref(bound)})) return false;`;
    case 'less_than':
      return typeof bound !== 'number' ? undefined : `if (!(${value} ${check.inclusive === true ? '<=' : '<'} ${source.ref(bound)})) return false;`;
    case 'custom':
      return refinement(check, value, source);
    default:
      return undefined;
  }
}

/** A `.refine(fn)`: surely valid only when fn says exactly true (a promise or other truthy value goes to zod). */
function refinement(check: Def, value: string, source: Source): string | undefined {
  return check.fn === undefined ? undefined : `if (${source.ref(check.fn)}(${value}) !== true) return false;`;
}

/** An object with exactly the shape's keys (an unknown key would be dropped by zod: not "unchanged"). */
function objectCheck(def: Def, value: string, source: Source): string | undefined {
  if (def.catchall !== undefined || !noChecks(def) || def.shape === undefined) return undefined;
  const statements = [`if (typeof ${value} !== 'object' || ${value} === null || Array.isArray(${value})) return false;`];
  const keys = Object.keys(def.shape);
  for (const key of keys) {
    const field = source.local();
    const compiled = generate(def.shape[key]!._zod.def, field, source);
    if (compiled === undefined) return undefined;
    statements.push(`{ const ${field} = ${value}[${JSON.stringify(key)}]; ${compiled} }`);
  }
  const key = source.local();
  const known = keys.map((name) => `case ${JSON.stringify(name)}:`).join(' ');
  statements.push(`for (const ${key} in ${value}) { if (!Object.hasOwn(${value}, ${key})) return false; switch (${key}) { ${known} break; default: return false; } }`);
  return statements.join('\n');
}

/** The compiled check of one schema, or undefined when it uses anything this compiler does not know. */
function compile(def: Def): Check | undefined {
  const source = new Source();
  const body = generate(def, 'data', source);
  if (body === undefined) return undefined;
  // The source is generated from our own schemas only: no outside text reaches it.
  return new Function('refs', `return function surelyValid(data) {\n${body}\nreturn true;\n};`)(source.refs) as Check;
}

function patternKey(pattern: RegExp): string {
  return `/${pattern.source}/${pattern.flags}`;
}

const DIGIT_0 = 48;
const DIGIT_9 = 57;
const isDigitAt = (text: string, index: number): boolean => {
  const code = text.charCodeAt(index);
  return code >= DIGIT_0 && code <= DIGIT_9;
};

/** `^-?\d{1,13}\.\d{2}$` (money.ts's MONEY_PATTERN). */
function isMoney(text: string): boolean {
  const start = text.charCodeAt(0) === 45 ? 1 : 0;
  const point = text.length - 3;
  if (point - start < 1 || point - start > 13 || text.charCodeAt(point) !== 46) return false;
  for (let index = start; index < text.length; index += 1) if (index !== point && !isDigitAt(text, index)) return false;
  return true;
}

/** `^\d{4}-\d{2}-\d{2}$` (calendar.ts's DATE_PATTERN). */
function isDateShape(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  for (let index = 0; index < 10; index += 1) if (index !== 4 && index !== 7 && !isDigitAt(text, index)) return false;
  return true;
}

/** `^[a-z0-9][a-z0-9-]{0,39}$` (ids.ts's SlugSchema). */
function isSlug(text: string): boolean {
  if (text.length < 1 || text.length > 40) return false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (!((code >= 97 && code <= 122) || (code >= DIGIT_0 && code <= DIGIT_9) || (code === 45 && index > 0))) return false;
  }
  return true;
}

function isHexAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return (code >= DIGIT_0 && code <= DIGIT_9) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

/** zod's uuid pattern: versions 1–8 with the RFC variant, or the nil or max UUID. */
function isZodUuid(text: string): boolean {
  if (text.length !== 36) return false;
  if (text === '00000000-0000-0000-0000-000000000000' || text === 'ffffffff-ffff-ffff-ffff-ffffffffffff') return true;
  for (let index = 0; index < 36; index += 1) {
    if (index === 8 || index === 13 || index === 18 || index === 23) {
      if (text.charCodeAt(index) !== 45) return false;
    } else if (!isHexAt(text, index)) return false;
  }
  const version = text.charCodeAt(14);
  const variant = text[19];
  return version >= 49 && version <= 56 && (variant === '8' || variant === '9' || variant === 'a' || variant === 'b' || variant === 'A' || variant === 'B');
}

/**
 * Hand-written equivalents of the patterns nearly every event has (amounts, dates, slugs, ids),
 * by the pattern's exact text: a regex run costs several times a loop over character codes. Any
 * other pattern is run as it is. tests/domain/event-precheck.test.ts holds each equal to its
 * regex on random near-miss strings.
 */
export const FAST_PATTERNS: ReadonlyMap<string, (text: string) => boolean> = new Map([
  ['/^-?\\d{1,13}\\.\\d{2}$/', isMoney],
  ['/^\\d{4}-\\d{2}-\\d{2}$/', isDateShape],
  ['/^[a-z0-9][a-z0-9-]{0,39}$/', isSlug],
  ['/^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/', isZodUuid],
]);

/**
 * Per event type, the compiled check of its data; a type the compiler could not compile is
 * absent (every event of it goes to zod).
 */
function compileEventChecks(union: z.ZodType): ReadonlyMap<string, Check> {
  const checks = new Map<string, Check>();
  const def = (union as unknown as { _zod: { def: Def } })._zod.def;
  if (def.type !== 'union' || def.discriminator !== 'type') return checks;
  for (const option of def.options ?? []) {
    const shape = option._zod.def.shape;
    const typeDef = shape?.type?._zod.def;
    const dataDef = shape?.data?._zod.def;
    if (option._zod.def.type !== 'object' || option._zod.def.catchall !== undefined || Object.keys(shape ?? {}).length !== 2) continue;
    if (typeDef?.type !== 'literal' || typeDef.values?.length !== 1 || typeof typeDef.values[0] !== 'string' || dataDef === undefined) continue;
    const data = compile(dataDef);
    if (data !== undefined) checks.set(typeDef.values[0], data);
  }
  return checks;
}

const EVENT_CHECKS = compileEventChecks(DomainEventSchema);

/**
 * True only when zod's DomainEventSchema would accept `{ type, data }` and return `data`
 * unchanged (equal value for value); false means "ask zod" (parseDomainEvent), not "invalid".
 * For data as JSON.parse returns it (what the log reader has): plain objects, arrays without
 * holes or named keys.
 */
export function isSurelyValidEvent(type: string, data: unknown): boolean {
  const check = EVENT_CHECKS.get(type);
  return check !== undefined && check(data);
}

/** The event types the compiled check understands (for the tests: every type of the contract should be). */
export function precheckedEventTypes(): ReadonlySet<string> {
  return new Set(EVENT_CHECKS.keys());
}
