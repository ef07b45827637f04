import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { validatorCompiler as zodValidatorCompiler } from 'fastify-type-provider-zod';

/**
 * Params and query schemas whose valid results are remembered per distinct raw input: the hot
 * reads are asked the same few URLs thousands of times a second, and parsing the same
 * `{ kamer: 'kamer-042', year: '2020' }` with zod every time was 4% of a read's CPU. Mark only
 * schemas whose result depends on nothing but the input (no clock, no random default): the
 * remembered result is the one every later request with that input gets.
 */
const rememberedSchemas = new WeakSet<z.ZodType>();

/** Marks a params or querystring schema for `validatorCompiler`'s memory; returns it, to mark where it is declared. */
export function rememberedValidation<T extends z.ZodType>(schema: T): T {
  rememberedSchemas.add(schema);
  return schema;
}

/** Distinct valid inputs remembered per route and part; the memory starts over when full. */
const REMEMBERED_INPUTS = 1_000;

type Validation = { value: unknown } | { error: Error };

/**
 * The app's validator compiler: fastify-type-provider-zod's, remembering the valid results of
 * marked schemas. Only inputs whose values are all strings are remembered (params always; a
 * query whose every parameter appears once), keyed by their names and values in order. Each
 * remembered value is frozen, since it is shared by every request that sent the same input
 * (fastify puts it on `request.params` or `request.query`). Invalid inputs are never remembered:
 * each gets zod's own error, as before.
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = (route) => {
  const validate = zodValidatorCompiler(route) as (data: unknown) => Validation;
  if (!rememberedSchemas.has(route.schema)) return validate;
  const remembered = new Map<string, Validation>();
  return (data: unknown) => {
    const key = inputKey(data);
    if (key === undefined) return validate(data);
    const known = remembered.get(key);
    if (known !== undefined) return known;
    const result = validate(data);
    if ('value' in result) {
      if (remembered.size >= REMEMBERED_INPUTS) remembered.clear();
      remembered.set(key, { value: typeof result.value === 'object' && result.value !== null ? Object.freeze(result.value) : result.value });
    }
    return result;
  };
};

/**
 * The input's names and values in order, each prefixed with its length (so no name or value,
 * whatever characters it holds, can make two different inputs one key); undefined unless it is
 * an object whose every value is a string.
 */
function inputKey(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  let key = '';
  for (const name in data) {
    const value = (data as Record<string, unknown>)[name];
    if (typeof value !== 'string') return undefined;
    key += `${name.length}:${name}${value.length}:${value}`;
  }
  return key;
}
