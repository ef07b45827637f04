/**
 * How the EventStoreDB adapter meets a node that is slow, failing over, or gone: which client errors
 * pass (and may be retried), a deadline on every read (the client's own reads have none), retries
 * with backoff, and the error that finally says "unavailable" (503 with Retry-After, see
 * src/http/problem.ts).
 *
 * Errors are told apart by the client's `type` field, not `instanceof`: a second copy of the client
 * package (or a test's fake) must be classified the same way.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { StreamingRead } from '@eventstore/db-client';

/** The client's error types after which the same call may succeed a moment later. */
const PASSING_ERROR_TYPES = new Set(['not-leader', 'unavailable', 'deadline-exceeded', 'cancelled', 'timeout']);

function clientErrorType(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  return typeof error.type === 'string' ? error.type : undefined;
}

/** A node that is electing a leader, restarting or unreachable: worth another try. */
export function isPassingError(error: unknown): boolean {
  return error instanceof ReadDeadlineExceeded || PASSING_ERROR_TYPES.has(clientErrorType(error) ?? '');
}

/**
 * After these an append may or may not have been committed: the request reached the node and the
 * answer was lost (deadline, dropped connection, cancelled call). `not-leader` is not one of them:
 * a follower refuses the write before anything is written.
 */
export function isAmbiguousAppendError(error: unknown): boolean {
  return isPassingError(error) && clientErrorType(error) !== 'not-leader';
}

export function isWrongExpectedVersion(error: unknown): boolean {
  return clientErrorType(error) === 'wrong-expected-version';
}

export function isStreamNotFound(error: unknown): boolean {
  return clientErrorType(error) === 'stream-not-found';
}

export function isMaxAppendSizeExceeded(error: unknown): error is { maxAppendSize: number } {
  return clientErrorType(error) === 'maximum-append-size-exceeded';
}

/** A read that did not finish within its deadline; the read was cancelled. */
export class ReadDeadlineExceeded extends Error {
  override readonly name = 'ReadDeadlineExceeded';
  constructor(readonly deadlineMs: number) {
    super(`EventStoreDB did not finish a read within ${deadlineMs} ms`);
  }
}

/** A failure of the node, not of the request: its `code` is a storage fault code (src/store/faults.ts). */
abstract class EventStoreFault extends Error {
  abstract readonly code: string;
  constructor(
    readonly operation: string,
    override readonly cause: unknown,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The node could not be reached or kept failing over after every retry: a request answers
 * 503 STORAGE_UNAVAILABLE with Retry-After, never 500. For an append, nothing is known to be
 * written: the adapter only gives up on an append after reading the stream back found its events
 * absent, or when it could not read at all.
 */
export class StoreUnavailableError extends EventStoreFault {
  override readonly name = 'StoreUnavailableError';
  readonly code = 'ESDB_UNAVAILABLE';
  constructor(
    operation: string,
    cause: unknown,
    readonly retryAfterSeconds: number,
  ) {
    super(operation, cause, `EventStoreDB was unavailable for ${operation}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/**
 * The node refused the ledger's credentials or permissions (a wrong password, a user that may not
 * read `$all`). Not passing, so not retried; a storage fault all the same (503, and /health says
 * so), because no request can be served until the operator fixes the connection string.
 */
export class StoreAccessDenied extends EventStoreFault {
  override readonly name = 'StoreAccessDenied';
  readonly code = 'ESDB_ACCESS_DENIED';
  constructor(operation: string, cause: unknown) {
    super(operation, cause, `EventStoreDB refused the ledger's credentials for ${operation}: check the user and password in EVENTSTORE_URL (reading $all needs an admin user)`);
  }
}

/** A client error as the ledger reports it: access refusals become a storage fault, the rest as they are. */
export function asStoreFault(operation: string, error: unknown): unknown {
  return clientErrorType(error) === 'access-denied' ? new StoreAccessDenied(operation, error) : error;
}

export interface ResiliencePolicy {
  /** Tries per call, the first included, before StoreUnavailableError. */
  readonly attempts: number;
  /** Backoff before try n+1 is base · 2^(n-1), capped, with full jitter (writers do not retry in lockstep). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Every read is cancelled after this long: the client's reads otherwise never time out. */
  readonly readDeadlineMs: number;
  /** The gRPC deadline of an append (the client's default is 10 s). */
  readonly appendDeadlineMs: number;
  /** What Retry-After says once retries are exhausted: roughly one leader election. */
  readonly retryAfterSeconds: number;
}

/**
 * A leader election in a three-node cluster takes a few seconds; 5 tries with at most
 * 0.2 + 0.4 + 0.8 + 1.6 = 3 s of waiting between them ride out a quick one, and a request does not
 * hang much longer than a client would wait anyway. Past that, Retry-After tells the client.
 */
export const DEFAULT_RESILIENCE: ResiliencePolicy = {
  attempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 2000,
  readDeadlineMs: 5000,
  appendDeadlineMs: 10_000,
  retryAfterSeconds: 5,
};

export function backoffMs(policy: ResiliencePolicy, failedAttempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.floor(Math.random() * ceiling);
}

/**
 * Runs `call` until it succeeds, retrying passing errors with backoff; any other error is thrown
 * at once. Only for calls that are safe to repeat: reads, and appends whose outcome was resolved.
 */
export async function retryPassing<T>(operation: string, policy: ResiliencePolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!isPassingError(error)) throw asStoreFault(operation, error);
      if (attempt >= policy.attempts) throw new StoreUnavailableError(operation, error, policy.retryAfterSeconds);
      await delay(backoffMs(policy, attempt));
    }
  }
}

/**
 * Reads a whole (bounded) client read, cancelled after `deadlineMs`. The iteration surfaces the
 * read's first error; the client's stream can emit a second one after that ("The operation was
 * aborted", once the failed read is torn down), which without a listener would be an uncaught
 * exception that ends the process.
 */
export async function collectWithin<T>(read: StreamingRead<T>, deadlineMs: number): Promise<T[]> {
  read.on('error', ignoreLateError);
  const timer = setTimeout(() => {
    // cancel() ends the gRPC call (its cancellation error is swallowed by the client); destroy()
    // makes the iteration below throw the deadline instead of waiting for an end that never comes.
    void read.cancel().catch(ignoreLateError);
    read.destroy(new ReadDeadlineExceeded(deadlineMs));
  }, deadlineMs);
  try {
    const items: T[] = [];
    for await (const item of read) items.push(item as T);
    return items;
  } finally {
    clearTimeout(timer);
  }
}

function ignoreLateError(): void {}
