/**
 * Loads a fixture plan through the HTTP API, in process: every write is an `app.inject` request
 * with a treasurer token, so it passes the same validation, rules, command handler and audit
 * metadata as a request from the treasurer's own client. Nothing here appends an event itself.
 *
 * Re-runnable: what already exists is skipped, never written twice.
 * - rooms and financiers have the fixture's own ids: a 409 DUPLICATE_ID means "already there";
 * - a budget or a valuation rate that is already set (by an earlier run or by the treasurer) is
 *   left alone, so a re-run never overwrites a correction with the scanned figure;
 * - pledges get server-generated ids, so each fixture line is named by an Idempotency-Key
 *   (`fixture:pledge:<financier>:<kamer>:<year>:<n>`). The key goes into the event's metadata, and
 *   the log, not the idempotency store, is what a re-run consults: that store is per token and,
 *   with EventStoreDB, lives only as long as one process, while the log is durable under every
 *   adapter and shows the auditor which fixture line each pledge came from.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Lookups } from '../application/lookups.js';
import { FIXTURE_PLEDGE_KEY_PREFIX, type FixturePlan } from '../application/fixtures.js';
import type { EventStore } from '../store/port.js';

export interface Tally {
  loaded: number;
  skipped: number;
  failed: number;
}

export interface LoadSummary {
  readonly rooms: Tally;
  readonly financiers: Tally;
  readonly budgets: Tally;
  readonly rates: Tally;
  readonly pledges: Tally;
  /** One line per refused request: what, status, code and the API's own detail. */
  readonly failures: string[];
}

export interface LoaderDeps {
  readonly app: FastifyInstance;
  /** A treasurer token the app accepts. */
  readonly token: string;
  readonly store: EventStore;
  readonly lookups: Lookups;
}

type Outcome = 'loaded' | 'skipped' | 'failed';

function emptySummary(): LoadSummary {
  const tally = (): Tally => ({ loaded: 0, skipped: 0, failed: 0 });
  return { rooms: tally(), financiers: tally(), budgets: tally(), rates: tally(), pledges: tally(), failures: [] };
}

/** The fixture keys of pledges already in the log (from any earlier run, whoever ran it). */
async function loadedPledgeKeys(store: EventStore): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const event of store.readAll()) {
    const key = event.metadata.idempotencyKey;
    if (event.type === 'PledgeMade' && key?.startsWith(FIXTURE_PLEDGE_KEY_PREFIX)) keys.add(key);
  }
  return keys;
}

function problemOf(response: LightMyRequestResponse): { code?: string; detail?: string } {
  try {
    return response.json() as { code?: string; detail?: string };
  } catch {
    return {};
  }
}

export async function loadFixturePlan(plan: FixturePlan, deps: LoaderDeps): Promise<LoadSummary> {
  const { app, token, store, lookups } = deps;
  const summary = emptySummary();
  const send = (method: 'POST' | 'PUT', url: string, payload: object, headers: Record<string, string> = {}) =>
    app.inject({ method, url, payload, headers: { authorization: `Bearer ${token}`, ...headers } });
  /** 201 is loaded; a 409 DUPLICATE_ID is loaded already; anything else is reported. */
  const outcome = (what: string, response: LightMyRequestResponse): Outcome => {
    if (response.statusCode === 201) return 'loaded';
    const problem = problemOf(response);
    if (response.statusCode === 409 && problem.code === 'DUPLICATE_ID') return 'skipped';
    summary.failures.push(`${what}: ${response.statusCode} ${problem.code ?? ''} ${problem.detail ?? response.body}`);
    return 'failed';
  };

  for (const kamer of plan.kamers) {
    summary.rooms[outcome(`room ${kamer.id}`, await send('POST', '/kamers', kamer))] += 1;
  }
  for (const financier of plan.financiers) {
    summary.financiers[outcome(`financier ${financier.id}`, await send('POST', '/financiers', financier))] += 1;
  }
  for (const { kamer, year, lines } of plan.budgets) {
    const exists = (await lookups.budget(kamer, year)) !== undefined;
    const result = exists ? 'skipped' : outcome(`budget ${kamer} ${year}`, await send('PUT', `/kamers/${encodeURIComponent(kamer)}/budgets/${year}`, { lines }));
    summary.budgets[result] += 1;
  }
  for (const rate of plan.rates) {
    const current = await lookups.valuationRates(rate.year);
    const exists = (current as Record<string, string | undefined>)[rate.kind] !== undefined;
    summary.rates[exists ? 'skipped' : outcome(`rate ${rate.year} ${rate.kind}`, await send('POST', '/valuation-rates', rate))] += 1;
  }
  const existing = await loadedPledgeKeys(store);
  for (const { key, body } of plan.pledges) {
    const result = existing.has(key) ? 'skipped' : outcome(`pledge ${key}`, await send('POST', '/pledges', body, { 'idempotency-key': key }));
    summary.pledges[result] += 1;
  }
  return summary;
}

export function formatSummary(summary: LoadSummary): string[] {
  const rows: Array<[string, Tally]> = [
    ['rooms', summary.rooms],
    ['financiers', summary.financiers],
    ['budgets', summary.budgets],
    ['rates', summary.rates],
    ['pledges', summary.pledges],
  ];
  return [
    ...rows.map(([name, tally]) => `  ${`${name}:`.padEnd(12)}${String(tally.loaded).padStart(4)} loaded, ${String(tally.skipped).padStart(4)} skipped${tally.failed ? `, ${tally.failed} FAILED` : ''}`),
    ...summary.failures.map((failure) => `  failed: ${failure}`),
  ];
}
