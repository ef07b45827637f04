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

/** Distinct valid inputs remembered per route, part and method; the memory starts over when full. */
const REMEMBERED_INPUTS = 1_000;

/**
 * The longest input remembered (its names and values together), so the memory is bounded in
 * bytes too: a valid query can be long (`year=000…0002020` passes a number coercion), and 1,000
 * such inputs of 15 KB each would be 15 MB a validator. The hot reads' inputs are some tens of
 * characters; a longer one is validated each time, as an unmarked schema's is.
 */
const LONGEST_REMEMBERED_INPUT = 256;

type Validation = { value: unknown } | { error: Error };

/**
 * Results by input: one level of maps per name and one per value, in the input's order, so
 * looking an input up builds no key (a key string per request was most of what remains of a
 * validation's allocation). Names and values are compared as whole strings: no two inputs meet.
 */
interface InputNode {
  result?: Validation;
  readonly next: Map<string, InputNode>;
}

/**
 * The app's validator compiler: fastify-type-provider-zod's, remembering the valid results of
 * marked schemas. Only inputs whose values are all strings are remembered (params always; a
 * query whose every parameter appears once), and only short ones (LONGEST_REMEMBERED_INPUT). Each remembered value is frozen, since it is
 * shared by every request that sent the same input (fastify puts it on `request.params` or
 * `request.query`). Invalid inputs are never remembered: each gets zod's own error, as before.
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = (route) => {
  const validate = zodValidatorCompiler(route) as (data: unknown) => Validation;
  if (!rememberedSchemas.has(route.schema)) return validate;
  let root: InputNode = { next: new Map() };
  let remembered = 0;
  return (data: unknown) => {
    if (typeof data !== 'object' || data === null) return validate(data);
    let node: InputNode | undefined = root;
    let length = 0;
    for (const name in data) {
      const value = (data as Record<string, unknown>)[name];
      if (typeof value !== 'string') return validate(data);
      length += name.length + value.length;
      node = node?.next.get(name)?.next.get(value);
    }
    if (node?.result !== undefined) return node.result;
    const result = validate(data);
    if ('value' in result && length <= LONGEST_REMEMBERED_INPUT) {
      if (remembered >= REMEMBERED_INPUTS) {
        root = { next: new Map() };
        remembered = 0;
      }
      remembered += 1;
      nodeFor(root, data as Record<string, string>).result = { value: typeof result.value === 'object' && result.value !== null ? Object.freeze(result.value) : result.value };
    }
    return result;
  };
};

/** The node of an input whose values are all strings, made on the way where missing. */
function nodeFor(root: InputNode, data: Record<string, string>): InputNode {
  let node = root;
  for (const name in data) node = childOf(childOf(node, name), data[name] ?? '');
  return node;
}

function childOf(node: InputNode, key: string): InputNode {
  let child = node.next.get(key);
  if (child === undefined) {
    child = { next: new Map() };
    node.next.set(key, child);
  }
  return child;
}
