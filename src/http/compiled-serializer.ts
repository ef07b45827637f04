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
  // Converted now, so a schema JSON Schema cannot express still stops the app from starting.
  const jsonSchema = z.toJSONSchema(route.schema, { io: 'output', target: 'draft-7', unrepresentable: 'throw' });
  // Compiled at the route's first answer: fast-json-stringify checks each schema with a fresh
  // ajv (its URI format's regex alone was about 0.2 s of a start's CPU over all routes), and a
  // start's first reads need two or three of them.
  let compiled: ((data: unknown) => string) | undefined;
  return (data) => (compiled ??= fastJson(jsonSchema as Parameters<typeof fastJson>[0]))(data);
};
