import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import fastJson from 'fast-json-stringify';
import { z } from 'zod';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';

/**
 * Response schemas whose answers fastify writes with a serialiser compiled from the schema
 * (fast-json-stringify over the schema's JSON Schema) instead of fastify-type-provider-zod's,
 * which re-parses every answer with zod and then calls JSON.stringify: on a large answer that
 * parse was a quarter of a read's time. The compiled one trusts the handler: mark only schemas
 * whose answers are built by typed views (TypeScript checks their shape; the routes' tests parse
 * the answers with the zod schema).
 */
const compiledSchemas = new WeakSet<z.ZodType>();

/** Marks a response schema for the compiled serialiser; returns it, to mark where it is declared. */
export function compiledResponse<T extends z.ZodType>(schema: T): T {
  compiledSchemas.add(schema);
  return schema;
}

/** The app's serializer compiler: compiled for marked schemas, zod's for every other answer. */
export const serializerCompiler: FastifySerializerCompiler<z.ZodType> = (route) => {
  if (!compiledSchemas.has(route.schema)) return zodSerializerCompiler(route);
  // io 'output': the answer's shape (optional fields may be absent, defaults already applied).
  const jsonSchema = z.toJSONSchema(route.schema, { io: 'output', target: 'draft-7', unrepresentable: 'throw' });
  return fastJson(jsonSchema as Parameters<typeof fastJson>[0]);
};
