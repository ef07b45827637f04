import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canonicalJson } from '../store/hashing.js';
import type { EventStore } from '../store/port.js';
import { HttpProblem, problem, sendStoredAnswer } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's Idempotency-Key, as sent (it also goes into each event's metadata). */
    idempotencyKey?: string;
    /** The key as the store keeps it (scoped to the token) and the request's hash. */
    idempotency?: { readonly key: string; readonly requestHash: string };
    idempotencyRelease?: () => void;
  }
}

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Idempotency-Key on POST and PUT: a repeat with the same key and request gets the first answer
 * and writes nothing; the same key with another request is a 409. Keys are scoped per token, so
 * one caller can never read another's answer.
 *
 * The answer is not saved here after the fact: the command handler builds it inside the append
 * and the store commits key, request hash and answer with the events (see `AppendAnswer`). This
 * hook only looks a key up before the handler runs, and serialises requests with one key in this
 * process, so two concurrent repeats do not both decide. Across processes, or after a crash, the
 * store's commit is the arbiter (`IdempotencyKeyTaken`, answered by `sendStoredAnswer`).
 */
export function registerIdempotency(app: FastifyInstance, store: EventStore): void {
  const inFlight = new Map<string, Promise<void>>();

  // Every read passes here: it leaves at once, without the async lookup's promise.
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method !== 'POST' && request.method !== 'PUT') return done();
    lookUpKey(request, reply).then((answered) => {
      // A stored answer was sent: the request ends there.
      if (!answered) done();
    }, done);
  });

  /** True when it answered the request itself (the stored answer of a repeat). */
  async function lookUpKey(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const header = request.headers['idempotency-key'];
    if (header === undefined) return false;
    const key = Array.isArray(header) ? header[0] ?? '' : header;
    if (!KEY_PATTERN.test(key)) {
      throw new HttpProblem(
        problem(400, 'VALIDATION_FAILED', 'Idempotency-Key must be 1–200 visible ASCII characters', [
          { path: 'headers.idempotency-key', message: 'must be 1–200 visible ASCII characters' },
        ]),
      );
    }
    const storageKey = sha256(`${request.principal?.tokenId ?? 'anonymous'}\n${key}`);
    const idempotency = { key: storageKey, requestHash: requestFingerprint(request) };
    for (let pending = inFlight.get(storageKey); pending; pending = inFlight.get(storageKey)) await pending;
    const stored = await store.idempotentResponse(storageKey);
    if (stored) {
      sendStoredAnswer(reply, stored, idempotency.requestHash);
      return true;
    }
    let resolveInFlight: () => void = () => {};
    inFlight.set(storageKey, new Promise<void>((resolve) => (resolveInFlight = resolve)));
    request.idempotencyKey = key;
    request.idempotency = idempotency;
    request.idempotencyRelease = () => {
      if (inFlight.get(storageKey)) inFlight.delete(storageKey);
      resolveInFlight();
    };
    // A client that disconnects must not leave its key locked.
    reply.raw.once('close', request.idempotencyRelease);
    return false;
  }

  app.addHook('onResponse', (request, _reply, done) => {
    request.idempotencyRelease?.();
    done();
  });
}

/**
 * Method, URL and body in canonical JSON (key order does not matter). Bodies reach this point
 * already depth-limited by the JSON parser (`registerJsonBodyParser`), so the recursion is bounded.
 */
function requestFingerprint(request: FastifyRequest): string {
  const body = typeof request.body === 'string' ? request.body : canonicalJson(request.body ?? null);
  return sha256(`${request.method}\n${request.url}\n${body}`);
}
