import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A 200 answer already serialised, with its entity tag: what the hot reads cache, so a repeat
 * read is a cache lookup and a socket write (no view, no serialiser, no UTF-8 encoding).
 */
export interface AnswerBytes {
  readonly body: Buffer;
  /** A strong entity tag: a hash of the body, so equal answers share it whatever position they were computed at. */
  readonly etag: string;
}

/** Serialises `answer` with the route's own 200 serialiser (the compiled one for compiled schemas). */
export function answerBytes(reply: FastifyReply, answer: unknown): AnswerBytes {
  const serialised = reply.serialize(answer);
  const body = typeof serialised === 'string' ? Buffer.from(serialised) : Buffer.from(serialised as Uint8Array);
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

const JSON_UTF8 = 'application/json; charset=utf-8';

/**
 * Sends a cached answer, or 304 Not Modified when the request's If-None-Match names its tag (a
 * client polling the same read gets an empty answer until the books change).
 */
export function sendAnswerBytes(request: FastifyRequest, reply: FastifyReply, answer: AnswerBytes): FastifyReply {
  reply.header('etag', answer.etag);
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined && matchesEntityTag(ifNoneMatch, answer.etag)) return reply.code(304).send();
  return reply.header('content-type', JSON_UTF8).send(answer.body);
}

/** RFC 9110 If-None-Match: `*` or a list of tags, compared weakly (a W/ prefix is ignored). */
function matchesEntityTag(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}
