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

/** A schema's compiled check, or undefined when it uses anything this compiler does not know. */
function compile(def: Def): Check | undefined {
  switch (def.type) {
    case 'string':
      return withChecks((value) => typeof value === 'string', def, stringCheck);
    case 'number':
      return withChecks((value) => typeof value === 'number' && Number.isFinite(value), def, numberCheck);
    case 'boolean':
      return noChecks(def) ? (value) => typeof value === 'boolean' : undefined;
    case 'enum': {
      const values = new Set(Object.values(def.entries ?? {}));
      return noChecks(def) ? (value) => values.has(value) : undefined;
    }
    case 'literal': {
      const values = new Set(def.values ?? []);
      return noChecks(def) ? (value) => values.has(value) : undefined;
    }
    case 'optional': {
      const inner = def.innerType === undefined ? undefined : compile(def.innerType._zod.def);
      return inner === undefined || !noChecks(def) ? undefined : (value) => value === undefined || inner(value);
    }
    case 'array': {
      const element = def.element === undefined ? undefined : compile(def.element._zod.def);
      if (element === undefined || !noChecks(def)) return undefined;
      return (value) => {
        if (!Array.isArray(value)) return false;
        // By index, as zod reads it: a hole is an undefined element (every() would skip it).
        for (let index = 0; index < value.length; index += 1) if (!element(value[index])) return false;
        return true;
      };
    }
    case 'object':
      return objectCheck(def);
    default:
      return undefined;
  }
}

function noChecks(def: Def): boolean {
  return (def.checks ?? []).length === 0;
}

/** The type test, then every check of the schema (zod runs them all; here any failure ends it). */
function withChecks(isType: Check, def: Def, compileCheck: (check: Def) => Check | undefined): Check | undefined {
  const checks: Check[] = [];
  for (const check of def.checks ?? []) {
    const compiled = compileCheck(check._zod.def);
    if (compiled === undefined) return undefined;
    checks.push(compiled);
  }
  return (value) => {
    if (!isType(value)) return false;
    for (const check of checks) if (!check(value)) return false;
    return true;
  };
}

function stringCheck(check: Def): Check | undefined {
  switch (check.check) {
    case 'string_format': {
      // Formats whose whole test is their pattern (zod's own code for them: `pattern.test`).
      const pattern = check.pattern;
      if ((check.format !== 'regex' && check.format !== 'uuid') || !(pattern instanceof RegExp)) return undefined;
      return (value) => {
        pattern.lastIndex = 0;
        return pattern.test(value as string);
      };
    }
    case 'min_length': {
      const minimum = check.minimum;
      return minimum === undefined ? undefined : (value) => (value as string).length >= minimum;
    }
    case 'max_length': {
      const maximum = check.maximum;
      return maximum === undefined ? undefined : (value) => (value as string).length <= maximum;
    }
    case 'custom':
      return refinement(check);
    default:
      return undefined;
  }
}

function numberCheck(check: Def): Check | undefined {
  const bound = check.value;
  switch (check.check) {
    case 'number_format':
      return check.format === 'safeint' ? (value) => Number.isSafeInteger(value) : undefined;
    case 'greater_than':
      if (bound === undefined) return undefined;
      return check.inclusive === true ? (value) => (value as number) >= bound : (value) => (value as number) > bound;
    case 'less_than':
      if (bound === undefined) return undefined;
      return check.inclusive === true ? (value) => (value as number) <= bound : (value) => (value as number) < bound;
    case 'custom':
      return refinement(check);
    default:
      return undefined;
  }
}

/** A `.refine(fn)`: surely valid only when fn says exactly true (a promise or other truthy value goes to zod). */
function refinement(check: Def): Check | undefined {
  const fn = check.fn;
  return fn === undefined ? undefined : (value) => fn(value as never) === true;
}

/** An object with exactly the shape's keys (an unknown key would be dropped by zod: not "unchanged"). */
function objectCheck(def: Def): Check | undefined {
  if (def.catchall !== undefined || !noChecks(def) || def.shape === undefined) return undefined;
  const fields: Array<readonly [string, Check]> = [];
  for (const [key, schema] of Object.entries(def.shape)) {
    const compiled = compile(schema._zod.def);
    if (compiled === undefined) return undefined;
    fields.push([key, compiled]);
  }
  const known = new Set(fields.map(([key]) => key));
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const record = value as Record<string, unknown>;
    for (const [key, check] of fields) if (!check(record[key])) return false;
    for (const key in record) if (!Object.hasOwn(record, key) || !known.has(key)) return false;
    return true;
  };
}

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
