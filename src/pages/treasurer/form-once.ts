import { createHash, randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { CommandMetadata } from '../../application/command-handler.js';
import { principalOf } from '../../http/auth.js';
import { commandMetadata, type WriteAnswer } from '../../http/write.js';
import { canonicalJson } from '../../store/hashing.js';
import type { EventStore, StoredResponse } from '../../store/port.js';
import type { FormFields } from '../forms/input.js';

/**
 * A page form is saved once, however often it is sent. Each drawn form carries a fresh id in a
 * hidden field; it serves as the Idempotency-Key a browser cannot send: the store keeps the key
 * and the Dutch confirmation with the events, in the same commit, so a double click or a resent
 * form shows the first confirmation again and writes nothing (the API's own mechanism).
 */
export const FORM_ID_FIELD = '_formulier';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function newFormId(): string {
  return randomUUID();
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What a form's command is given: the events' metadata and how to keep its confirmation. */
export interface FormWrite {
  readonly metadata: CommandMetadata;
  /** The answer committed with the events: the Dutch confirmation the redirect shows. */
  readonly answer: (notice: string) => WriteAnswer;
}

export interface PreparedWrite {
  readonly write: FormWrite;
  /** The form was saved before: its confirmation, or undefined when it came with other fields. */
  readonly repeat?: { readonly notice: string | undefined };
}

const answer = (notice: string): WriteAnswer => ({ status: 303, body: JSON.stringify({ notice }) });

/** The confirmation a command committed (or an earlier submit of the same form did). */
export function noticeOf(committed: StoredResponse | WriteAnswer | undefined): string {
  if (!committed) throw new Error('a page form was saved without the confirmation its command built');
  return (JSON.parse(committed.body) as { notice: string }).notice;
}

/**
 * The key is scoped to the signed-in token (as the API scopes Idempotency-Key) and marked as a
 * page form's, so it can never meet an API client's key; the hash covers the page and every field.
 */
export async function prepareFormWrite(request: FastifyRequest, store: EventStore, fields: FormFields, reason?: string): Promise<PreparedWrite> {
  const metadata = commandMetadata(request, reason);
  const formId = fields[FORM_ID_FIELD];
  if (formId === undefined || !UUID.test(formId)) return { write: { metadata, answer } };
  const key = sha256(`${principalOf(request).tokenId}\npage-form\n${formId}`);
  const requestHash = sha256(`${request.url}\n${canonicalJson(fields)}`);
  const write = { metadata: { ...metadata, idempotencyKey: `formulier:${formId}`, idempotency: { key, requestHash } }, answer };
  const stored = await store.idempotentResponse(key);
  if (!stored) return { write };
  return { write, repeat: { notice: stored.requestHash === requestHash ? noticeOf(stored) : undefined } };
}

/** The stored confirmation when the store found the form committed meanwhile (a concurrent double submit). */
export function repeatOf(stored: StoredResponse, write: FormWrite): { readonly notice: string | undefined } {
  return { notice: stored.requestHash === write.metadata.idempotency?.requestHash ? noticeOf(stored) : undefined };
}
