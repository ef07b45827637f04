import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CommandMetadata } from '../application/command-handler.js';
import { principalOf } from './auth.js';

/** Every write answers 201 with the created resource, its `id` and the log `position`. */
export const PositionSchema = z.string().regex(/^\d+$/).describe('global log position of the last event written');

/** Metadata that goes into every event a request writes: who, which request, which key. */
export function commandMetadata(request: FastifyRequest, reason?: string): CommandMetadata {
  return {
    actor: principalOf(request).subject,
    correlationId: request.id,
    ...(request.idempotencyKey === undefined ? {} : { idempotencyKey: request.idempotencyKey }),
    ...(reason === undefined ? {} : { reason }),
  };
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
