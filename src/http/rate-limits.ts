import type { FastifyInstance, FastifyReply } from 'fastify';
import rateLimit, { type FastifyRateLimitStore } from '@fastify/rate-limit';
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import type { TokenLookup } from '../auth/tokens.js';
import { rateLimitKeyOf } from './auth.js';
import { HttpProblem, problem, sendProblem } from './problem.js';

/**
 * Three budgets, each a minute long:
 * - `perToken`: requests of one valid token. Generous, because a treasurer's bulk load (thousands of
 *   writes a minute) is legitimate work; it only stops a runaway client from starving the others.
 * - `perAddress`: requests without a valid token (public pages, /health, and every 401), per address.
 * - `authFailuresPerAddress`: failed authentications (any 401: a wrong bearer token, a wrong token
 *   pasted on /inloggen, a spent sign-in link) per address. Past it, the address gets 429 for
 *   everything it sends without a valid token until the minute is over: guessing tokens stays slow.
 */
export interface RateLimits {
  readonly perToken: number;
  readonly perAddress: number;
  readonly authFailuresPerAddress: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perToken: 60_000, perAddress: 600, authFailuresPerAddress: 10 };

const WINDOW_MS = 60_000;

export async function registerRateLimits(app: FastifyInstance, tokens: TokenLookup, limits: RateLimits): Promise<void> {
  // One store for the library's limiter and the hook's own count of valid tokens (below).
  const counts = new LocalStore(false, false);
  await app.register(rateLimit, {
    // Not per route: the limiter runs as the first application-wide hook (below), before
    // authentication, so requests refused with 401 count too and the 404 handler is covered.
    global: false,
    max: (_request, key) => (isTokenKey(key) ? limits.perToken : limits.perAddress),
    timeWindow: WINDOW_MS,
    keyGenerator: (request) => rateLimitKeyOf(request, tokens),
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(problem(429, 'RATE_LIMITED', `more than ${context.max} requests a minute; retry after ${context.after}`)),
    store: class SharedCounts {
      incr: FastifyRateLimitStore['incr'] = (key, callback, timeWindow, max) => counts.incr(key, callback, timeWindow, max);
      // Only for limits configured per route, which no route has.
      child(): FastifyRateLimitStore {
        return this;
      }
    },
  });
  const limiter = app.rateLimit();
  const failures = new FailureCounter(limits.authFailuresPerAddress);

  const countValidToken = validTokenCounter(counts, limits.perToken);

  // A callback hook, not an async one: no promise and microtask for a valid token's request.
  app.addHook('onRequest', (request, reply, done) => {
    const key = rateLimitKeyOf(request, tokens);
    if (isTokenKey(key) && countValidToken(reply, key)) return done();
    limiter.call(app, request, reply).then(() => {
      // A valid token never meets the failure limit, nor does the load balancer's health probe,
      // which must not take the instance out because someone guessed tokens.
      if (isTokenKey(key) || request.routeOptions.url === '/health') return done();
      const blockedForMs = failures.blockedForMs(request.ip);
      if (blockedForMs === 0) return done();
      const seconds = Math.ceil(blockedForMs / 1000);
      reply.header('retry-after', String(seconds));
      // Answered here: the request ends without `done`.
      sendProblem(reply, problem(429, 'RATE_LIMITED', `more than ${limits.authFailuresPerAddress} failed authentications a minute from this address; retry after ${seconds} s`));
    }, done);
  });
  // Counted once the answer is known, so every way of failing to authenticate counts the same.
  app.addHook('onResponse', (request, reply, done) => {
    if (reply.statusCode === 401) failures.record(request.ip);
    done();
  });
}

/**
 * A valid token under its budget, the common case, is counted here, synchronously, in the
 * library's store and with the headers the library sends: the library's hook is async (four
 * awaits and a promise from the store's callback), and those promises and their microtasks
 * were 5% of a read's CPU. Everything else goes through the library's hook as before: requests
 * without a valid token (counted per address) and a token over its budget, which the library
 * counts once more (a count over the budget stays over it: no ban or back-off is configured)
 * and answers 429.
 */
function validTokenCounter(counts: LocalStore, perToken: number): (reply: FastifyReply, key: string) => boolean {
  // One callback for every count, not a closure per request: the store calls it before `incr` returns.
  const count = { current: 0, ttl: 0 };
  const keepCount = (_error: Error | null, result?: { current: number; ttl: number }): void => {
    count.current = result?.current ?? Number.POSITIVE_INFINITY;
    count.ttl = result?.ttl ?? 0;
  };
  return (reply, key) => {
    count.current = Number.POSITIVE_INFINITY;
    counts.incr(key, keepCount, WINDOW_MS, perToken);
    const { current, ttl } = count;
    if (current > perToken) return false;
    reply.header('x-ratelimit-limit', perToken);
    reply.header('x-ratelimit-remaining', perToken - current);
    reply.header('x-ratelimit-reset', Math.ceil(ttl / 1000));
    return true;
  };
}

function isTokenKey(key: string): boolean {
  return key.startsWith('token:');
}

/**
 * Failed authentications per address in fixed one-minute windows. Expired windows are swept when
 * the map has doubled since the last sweep, so addresses that stopped trying do not accumulate and
 * many addresses trying at once do not make every failure pay for a sweep.
 */
class FailureCounter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();
  private sweepAtSize = 10_000;
  constructor(private readonly max: number) {}

  record(address: string, now = Date.now()): void {
    const window = this.windows.get(address);
    if (window && window.endsAt > now) window.count += 1;
    else this.windows.set(address, { count: 1, endsAt: now + WINDOW_MS });
    if (this.windows.size > this.sweepAtSize) {
      this.sweep(now);
      this.sweepAtSize = Math.max(10_000, this.windows.size * 2);
    }
  }

  /** How long the address must wait (0: it may try). */
  blockedForMs(address: string, now = Date.now()): number {
    const window = this.windows.get(address);
    return window && window.endsAt > now && window.count >= this.max ? window.endsAt - now : 0;
  }

  private sweep(now: number): void {
    for (const [address, window] of this.windows) if (window.endsAt <= now) this.windows.delete(address);
  }
}
