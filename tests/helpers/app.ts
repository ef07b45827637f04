/**
 * Builds the real app over a real SQLite file in the test's own directory, with one token per
 * role. Every HTTP test goes through this: the real store, the real fastify stack, app.inject.
 */
import type { Test } from 'tap';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { SqliteEventStore, type StoreFaults } from '../../src/store/sqlite.js';
import { TokenRegistry } from '../../src/auth/tokens.js';
import { SignInLinks } from '../../src/auth/sign-in-links.js';
import { CommandHandler } from '../../src/application/command-handler.js';
import { buildApp } from '../../src/http/app.js';
import type { RateLimits } from '../../src/http/rate-limits.js';
import { createProjectionRunner } from '../../src/projections/create.js';
import type { ProjectionRunnerOptions } from '../../src/projections/runner.js';
import { checkStoreAtStart, StoreHealth } from '../../src/store/health.js';
import type { RecordedEvent } from '../../src/store/port.js';

export interface TestClock {
  (): Date;
  set(instant: string): void;
}

/** A settable clock: "now" for commands (future-date rules) and for recordedAt (knownAt). */
export function testClock(start = '2020-06-15T10:00:00Z'): TestClock {
  let current = new Date(start);
  const clock = (() => new Date(current)) as TestClock;
  clock.set = (instant: string) => {
    current = new Date(instant);
  };
  return clock;
}

export interface TestApp {
  readonly app: FastifyInstance;
  readonly store: SqliteEventStore;
  readonly clock: TestClock;
  readonly tokens: {
    readonly treasurer: string;
    readonly accountant: string;
    readonly kascommissie: string;
    financier(id: string): string;
    teamleader(kamerId: string): string;
  };
  /** inject with the role's bearer token; `as` is a token string. */
  request(as: string, options: InjectOptions): Promise<LightMyRequestResponse>;
  post(as: string, url: string, payload: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  get(as: string, url: string): Promise<LightMyRequestResponse>;
  /** Every event in the log, for "a refused request wrote nothing" checks. */
  allEvents(): Promise<RecordedEvent[]>;
  /** The app's token registry and one-time sign-in links, for the page tests. */
  readonly registry: TokenRegistry;
  readonly signInLinks: SignInLinks;
}

/**
 * `path`: the ledger file, when a test reads it again afterwards (the CLI, say); default a new file.
 * `startCheck`: run the store's start check as main.ts does, so /health reports its outcome.
 * `anchorFile`: the anchor file GET /audit/verify checks.
 */
export interface TestAppOptions {
  readonly start?: string;
  /** Budgets the rate-limit tests set low; every other test gets budgets it never reaches. */
  readonly rateLimits?: Partial<RateLimits>;
  readonly path?: string;
  readonly startCheck?: boolean;
  readonly anchorFile?: string;
  /** The cooperative's own IBANs, as the BANK_ACCOUNTS setting gives them. */
  readonly bankAccounts?: readonly string[];
  /** Fault points in the store, for the fault-injection tests. */
  readonly faults?: StoreFaults;
  /** The projection runner's settings (small pages, a short "long catch-up"), for the fast-read tests. */
  readonly projectionOptions?: ProjectionRunnerOptions;
}

export async function createTestApp(t: Test, options: TestAppOptions = {}): Promise<TestApp> {
  const clock = testClock(options.start);
  const path = options.path ?? join(t.testdir(), `ledger-${Math.random().toString(36).slice(2)}.db`);
  const store = new SqliteEventStore(path, { now: clock, ...(options.faults ? { faults: options.faults } : {}) });
  const storeHealth = options.startCheck ? new StoreHealth(store, await checkStoreAtStart(store, { tailEvents: 1000 })) : undefined;
  const registry = TokenRegistry.inMemory();
  const projections = createProjectionRunner(store, options.projectionOptions);
  const signInLinks = SignInLinks.inMemory();
  const app = await buildApp(
    {
      store,
      tokens: registry,
      commands: new CommandHandler(store),
      projections,
      clock,
      ...(storeHealth ? { storeHealth } : {}),
      ...(options.anchorFile === undefined ? {} : { anchorFile: options.anchorFile }),
      ...(options.bankAccounts === undefined ? {} : { bankAccounts: options.bankAccounts }),
      signInLinks,
    },
    { logger: false, rateLimits: { perToken: 1_000_000, perAddress: 1_000_000, authFailuresPerAddress: 1_000_000, ...options.rateLimits } },
  );
  t.teardown(async () => {
    await app.close();
    await projections.close();
    await store.close();
  });
  const scoped = new Map<string, string>();
  const scopedToken = (role: 'financier' | 'teamleader', scope: string): string => {
    const key = `${role}:${scope}`;
    if (!scoped.has(key)) scoped.set(key, registry.create({ role, scope }).token);
    return scoped.get(key)!;
  };
  const request = (as: string, injectOptions: InjectOptions) =>
    app.inject({ ...injectOptions, headers: { authorization: `Bearer ${as}`, ...(injectOptions.headers ?? {}) } });
  return {
    app,
    store,
    clock,
    tokens: {
      treasurer: registry.create({ role: 'treasurer', name: 'Penningmeester' }).token,
      accountant: registry.create({ role: 'accountant', name: 'Accountant' }).token,
      kascommissie: registry.create({ role: 'kascommissie', name: 'Kascommissie' }).token,
      financier: (id) => scopedToken('financier', id),
      teamleader: (kamerId) => scopedToken('teamleader', kamerId),
    },
    request,
    post: (as, url, payload, headers = {}) => request(as, { method: 'POST', url, payload: payload as object, headers }),
    get: (as, url) => request(as, { method: 'GET', url }),
    registry,
    signInLinks,
    async allEvents() {
      const events: RecordedEvent[] = [];
      for await (const event of store.readAll()) events.push(event);
      return events;
    },
  };
}
