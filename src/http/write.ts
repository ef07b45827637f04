import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CommandMetadata } from '../application/command-handler.js';
import type { StoredResponse } from '../store/port.js';
import { principalOf } from './auth.js';

/** Every write answers 201 with the created resource, its `id` and the log `position`. */
export const PositionSchema = z.string().regex(/^\d+$/).describe('global log position of the last event written');

/** Metadata that goes into every event a request writes: who, which request, which key. */
export function commandMetadata(request: FastifyRequest, reason?: string): CommandMetadata {
  return {
    actor: principalOf(request).subject,
    correlationId: request.id,
    ...(request.idempotencyKey === undefined ? {} : { idempotencyKey: request.idempotencyKey }),
    ...(request.idempotency === undefined ? {} : { idempotency: request.idempotency }),
    ...(reason === undefined ? {} : { reason }),
  };
}

/** A write's answer: its status and its JSON text, exactly as sent (and as kept for a repeat). */
export interface WriteAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * The 201 answer of a write, encoded by the route's own 201 schema from what the command wrote.
 * The command handler runs this inside the append, before the commit: an answer that does not
 * match its schema writes nothing (a 500 before the commit, never after it), and the answer that
 * was committed is the one a repeat with the same Idempotency-Key gets.
 */
export function created<Result>(request: FastifyRequest, view: (result: Result) => unknown): (result: Result) => WriteAnswer {
  const schema = (request.routeOptions.schema?.response as Record<number, unknown> | undefined)?.[201];
  if (!(schema instanceof z.ZodType)) throw new Error(`${request.method} ${request.routeOptions.url}: no 201 answer schema`);
  return (result) => ({ status: 201, body: JSON.stringify(z.encode(schema, view(result))) });
}

/** Sends the answer built inside the append, as it was committed: no serialisation after the commit. */
export function sendAnswer(reply: FastifyReply, answer: StoredResponse | WriteAnswer | undefined): FastifyReply {
  if (!answer) throw new Error('a write finished without the answer its command built');
  return reply.code(answer.status).type('application/json; charset=utf-8').send(answer.body);
}

/** Problem schemas for the OpenAPI document. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** Response schemas shared by every write route: the refusals a client must handle. */
export const WRITE_ERRORS = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema } as const;
