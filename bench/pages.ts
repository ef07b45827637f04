/**
 * Page benchmark: each page's server time on the fixtures' data. It loads ../shared/fixtures (env
 * BENCH_FIXTURES) through the API as `load-fixtures` does, adds a year of petty cash for one room
 * and a year of invoices for one financier that pays by invoice, signs each role in with a one-time
 * link (a real session cookie) and times BENCH_PAGE_REQUESTS (default 200) GETs of each page with
 * app.inject: the whole fastify stack (session, CSRF token, projections, preact rendering), no
 * network. It prints p50/p99 in ms against the goal (p99 under 50 ms); it asserts nothing.
 * Pages that do not exist on this build (another helper's) are named and skipped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { CommandHandler } from '../src/application/command-handler.js';
import { fixturePlan, readFixtures } from '../src/application/fixtures.js';
import { Lookups } from '../src/application/lookups.js';
import { SignInLinks } from '../src/auth/sign-in-links.js';
import { TokenRegistry, type Role } from '../src/auth/tokens.js';
import { DEFAULT_FIXTURES_PATH } from '../src/cli/commands/load-fixtures.js';
import { loadFixturePlan } from '../src/cli/fixtures-loader.js';
import { buildApp } from '../src/http/app.js';
import { createProjectionRunner } from '../src/projections/create.js';
import { registryProjection } from '../src/projections/registry.js';
import { SqliteEventStore } from '../src/store/sqlite.js';

const GOAL_P99_MS = 50;
const WARM_UP_REQUESTS = 20;
/** Late in the fixtures' last year, so each page's default year is the one with the most data. */
const BENCH_NOW = new Date('2020-12-31T12:00:00Z');

export interface PageTiming {
  readonly page: string;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

interface PageToTime {
  readonly path: string;
  readonly role: Role;
  /** For a financier or a team leader: whose page. */
  readonly scope?: string;
}

export function pageRequestsFromEnv(): number {
  const requests = Number.parseInt(process.env.BENCH_PAGE_REQUESTS ?? '200', 10);
  return Number.isInteger(requests) && requests > 0 ? requests : 200;
}

function percentile(sortedMs: readonly number[], fraction: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil(fraction * sortedMs.length) - 1)]!;
}

/** A session cookie for `role` (and `scope`), made the way a person gets one: a one-time link. */
async function sessionCookie(app: FastifyInstance, tokens: TokenRegistry, links: SignInLinks, page: PageToTime): Promise<string> {
  const tokenId = tokens.create({ role: page.role, ...(page.scope === undefined ? {} : { scope: page.scope }), name: 'bench' }).record.id;
  const response = await app.inject({ method: 'GET', url: `/inloggen/${links.create(tokenId, BENCH_NOW)}` });
  const cookies = response.cookies as Array<{ name: string; value: string }>;
  if (response.statusCode !== 303 || cookies.length === 0) throw new Error(`sign-in for ${page.path} failed: ${response.statusCode}`);
  return cookies.map((cookie) => `${cookie.name}=${encodeURIComponent(cookie.value)}`).join('; ');
}

/** A year of petty cash for `kamer` and of monthly invoices for `financier`, through the API. */
async function addYearOfActivity(app: FastifyInstance, treasurer: string, kamer: string, financier: string | undefined): Promise<string[]> {
  const failures: string[] = [];
  const post = async (url: string, payload: object) => {
    const response = await app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${treasurer}` } });
    if (response.statusCode !== 201) failures.push(`POST ${url}: ${response.statusCode} ${response.body.slice(0, 160)}`);
  };
  for (let month = 1; month <= 12; month += 1) {
    const day = (dayOfMonth: number) => `2020-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
    await post(`/kamers/${kamer}/petty-cash/transfers`, { date: day(1), amount: '250.00' });
    for (const [dayOfMonth, category, amount] of [[5, 'A', '23.45'], [12, 'B', '61.20'], [20, 'F', '18.99']] as const) {
      await post(`/kamers/${kamer}/petty-cash/spending`, { date: day(dayOfMonth), category, amount, description: 'bench' });
    }
    if (financier !== undefined) await post('/invoices', { financier, kamer, year: 2020, issueDate: day(2), lines: [{ description: 'Bijdrage', amount: '100.00' }] });
  }
  return failures;
}

export async function benchPages(requests: number, log: (line: string) => void = console.log): Promise<PageTiming[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pages-'));
  const store = new SqliteEventStore(join(dir, 'ledger.db'), { now: () => BENCH_NOW });
  const tokens = TokenRegistry.inMemory();
  const links = SignInLinks.inMemory();
  const commands = new CommandHandler(store);
  const projections = createProjectionRunner(store);
  const app = await buildApp(
    { store, tokens, commands, projections, clock: () => BENCH_NOW, signInLinks: links },
    { logger: false, rateLimits: { perToken: 1_000_000, perAddress: 1_000_000 } },
  );
  try {
    const directory = resolve(process.cwd(), process.env.BENCH_FIXTURES ?? DEFAULT_FIXTURES_PATH);
    const treasurer = tokens.create({ role: 'treasurer', name: 'bench loader' }).token;
    const summary = await loadFixturePlan(fixturePlan(readFixtures(directory)), { app, token: treasurer, store, lookups: new Lookups(commands) });
    const registry = await projections.read(registryProjection, {});
    const kamer = [...registry.kamers.keys()][0]!;
    const financier = [...registry.financiers.values()].find((record) => record.pays === 'invoice')?.financierId;
    const failures = [...summary.failures, ...(await addYearOfActivity(app, treasurer, kamer, financier))];
    log(`fixtures from ${directory}: ${registry.kamers.size} rooms, ${registry.financiers.size} financiers; a year of petty cash for ${kamer}, of invoices for ${financier ?? '(no financier pays by invoice)'}`);
    for (const failure of failures.slice(0, 5)) log(`  not loaded: ${failure}`);

    const pages: PageToTime[] = [
      { path: '/financier', role: 'financier', scope: financier ?? [...registry.financiers.keys()][0]! },
      { path: '/kamer', role: 'teamleader', scope: kamer },
      { path: '/accountant', role: 'accountant' },
      { path: '/penningmeester', role: 'treasurer' },
    ];
    // A p99 of a few hundred requests is the machine's scheduling as much as the page: say how busy it was.
    log(`machine: ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)} at the start`);
    const timings: PageTiming[] = [];
    for (const page of pages) {
      if (!app.hasRoute({ method: 'GET', url: page.path })) {
        log(`${page.path.padEnd(16)} skipped: no such page on this build (another helper's branch adds it)`);
        continue;
      }
      const cookie = await sessionCookie(app, tokens, links, page);
      timings.push(await timePage(app, page.path, { cookie }, requests, log));
    }
    timings.push(await timePage(app, '/inloggen', {}, requests, log));
    return timings;
  } finally {
    await app.close();
    await projections.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timePage(app: FastifyInstance, path: string, headers: Record<string, string>, requests: number, log: (line: string) => void): Promise<PageTiming> {
  const durationsMs: number[] = [];
  for (let index = 0; index < WARM_UP_REQUESTS + requests; index += 1) {
    const started = process.hrtime.bigint();
    const response = await app.inject({ method: 'GET', url: path, headers });
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (response.statusCode !== 200) throw new Error(`GET ${path}: ${response.statusCode} ${response.body.slice(0, 200)}`);
    if (index >= WARM_UP_REQUESTS) durationsMs.push(elapsedMs);
  }
  durationsMs.sort((a, b) => a - b);
  const timing = { page: path, p50Ms: percentile(durationsMs, 0.5), p99Ms: percentile(durationsMs, 0.99) };
  const verdict = timing.p99Ms < GOAL_P99_MS ? 'within' : 'OVER';
  log(`${path.padEnd(16)} ${requests} requests: p50 ${timing.p50Ms.toFixed(1)} ms, p99 ${timing.p99Ms.toFixed(1)} ms (${verdict} the goal of p99 < ${GOAL_P99_MS} ms)`);
  return timing;
}
