import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IdempotencyStore } from '../application/idempotency.js';
import { canonicalJson } from '../store/hashing.js';
import { HttpProblem, problem } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's Idempotency-Key, as sent (it also goes into each event's metadata). */
    idempotencyKey?: string;
    idempotencyStorageKey?: string;
    idempotencyRequestHash?: string;
    idempotencyRelease?: () => void;
  }
}

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Idempotency-Key on POST: the first successful (2xx) response is kept; a repeat with the same key
 * and body gets it back and writes nothing, the same key with another body is a 409. Keys are
 * scoped per token, so one caller can never read another's response. Requests with one key are
 * serialised in this process so two concurrent repeats cannot both run the command.
 */
export function registerIdempotency(app: FastifyInstance, store: IdempotencyStore): void {
  const inFlight = new Map<string, Promise<void>>();

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' && request.method !== 'PUT') return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    const key = Array.isArray(header) ? header[0] ?? '' : header;
    if (!KEY_PATTERN.test(key)) {
      throw new HttpProblem(
        problem(400, 'VALIDATION_FAILED', 'Idempotency-Key must be 1–200 visible ASCII characters', [
          { path: 'headers.idempotency-key', message: 'must be 1–200 visible ASCII characters' },
        ]),
      );
    }
    const storageKey = sha256(`${request.principal?.tokenId ?? 'anonymous'}\n${key}`);
    const requestHash = requestFingerprint(request);
    for (let pending = inFlight.get(storageKey); pending; pending = inFlight.get(storageKey)) await pending;
    const stored = store.get(storageKey);
    if (stored) {
      if (stored.requestHash !== requestHash) {
        throw new HttpProblem(
          problem(409, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used before with a different request'),
        );
      }
      return reply.code(stored.status).header('idempotent-replayed', 'true').type('application/json').send(stored.body);
    }
    let resolveInFlight: () => void = () => {};
    inFlight.set(storageKey, new Promise<void>((resolve) => (resolveInFlight = resolve)));
    request.idempotencyKey = key;
    request.idempotencyStorageKey = storageKey;
    request.idempotencyRequestHash = requestHash;
    request.idempotencyRelease = () => {
      if (inFlight.get(storageKey)) inFlight.delete(storageKey);
      resolveInFlight();
    };
    // A client that disconnects must not leave its key locked.
    reply.raw.once('close', request.idempotencyRelease);
    return undefined;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const storageKey = request.idempotencyStorageKey;
    if (storageKey && reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === 'string') {
      store.put(storageKey, { requestHash: request.idempotencyRequestHash!, status: reply.statusCode, body: payload });
    }
    return payload;
  });

  app.addHook('onResponse', async (request) => {
    request.idempotencyRelease?.();
  });
}

function requestFingerprint(request: FastifyRequest): string {
  const body = typeof request.body === 'string' ? request.body : canonicalJson(request.body ?? null);
  return sha256(`${request.method}\n${request.url}\n${body}`);
}
