import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { refuse } from '../../domain/errors.js';
import type { WriteAnswer } from '../../http/write.js';
import { IdempotencyKeyTaken, type EventStore, type StoredResponse } from '../../store/port.js';
import { nestedBody, type FormFields, type FormState } from '../forms/input.js';
import { refusalOf } from '../forms/refusal.js';
import { noticeOf, prepareFormWrite, repeatOf, type FormWrite } from './form-once.js';
import { text } from './text.js';

declare module '@fastify/secure-session' {
  interface SessionData {
    /** The Dutch confirmation of the form just saved, shown once on the page it redirects to. */
    notice: string;
  }
}

/** A form's body as the API route's schema reads it, and where its refusals' fields are on the form. */
export interface Shaped {
  readonly body: unknown;
  readonly fieldOf?: (path: string) => string;
}

type Submitted<Body> = { readonly ok: true; readonly body: Body; readonly notice: string } | { readonly ok: false; readonly status: number; readonly state: FormState };

/** What a form's command gives back: the confirmation it committed, as every write path answers. */
export type Written = Promise<{ readonly answer?: StoredResponse | WriteAnswer | undefined }>;

/**
 * The one way a page form is run: its fields become the API's body, the API route's own schema
 * checks it, the command the API route calls writes it, with the Dutch confirmation committed
 * alongside (so a form sent twice is saved once: form-once.ts). A refusal (the schema's or a
 * rule's) comes back as the form with the Dutch message at its field and every typed value kept.
 */
export async function submit<Schema extends z.ZodType>(
  request: FastifyRequest,
  store: EventStore,
  fields: FormFields,
  names: readonly string[],
  schema: Schema,
  run: (body: z.output<Schema>, write: FormWrite) => Written,
  shape: (fields: FormFields) => Shaped = (posted) => ({ body: nestedBody(posted, names) }),
): Promise<Submitted<z.output<Schema>>> {
  const { body, fieldOf } = shape(fields);
  const saved = (parsed: z.output<Schema>, repeat: { notice: string | undefined }) => {
    if (repeat.notice === undefined) refuse('IDEMPOTENCY_KEY_REUSED', 'this form was sent before with other fields');
    return { ok: true as const, body: parsed, notice: repeat.notice };
  };
  try {
    const parsed = schema.parse(body);
    const { write, repeat } = await prepareFormWrite(request, store, fields);
    if (repeat) return saved(parsed, repeat);
    try {
      return { ok: true, body: parsed, notice: noticeOf((await run(parsed, write)).answer) };
    } catch (error) {
      // The same form committed by a submit that overtook this one: its confirmation, nothing written twice.
      if (error instanceof IdempotencyKeyTaken) return saved(parsed, repeatOf(error.stored, write));
      throw error;
    }
  } catch (error) {
    const refusal = refusalOf(error, text, names, fieldOf === undefined ? {} : { fieldOf });
    return { ok: false, status: refusal.status, state: { values: fields, errors: refusal.errors, ...(refusal.summary === undefined ? {} : { summary: refusal.summary }) } };
  }
}

/** Post/Redirect/Get: the confirmation rides in the encrypted session to the next page, once. */
export function redirectWithNotice(request: FastifyRequest, reply: FastifyReply, to: string, notice: string): FastifyReply {
  request.session.set('notice', notice);
  return reply.redirect(to, 303);
}

export function takeNotice(request: FastifyRequest): string | undefined {
  const notice = request.session.get('notice');
  if (notice !== undefined) request.session.set('notice', undefined);
  return notice;
}
