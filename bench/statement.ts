/**
 * Bank-statement benchmark: the whole HTTP stack over a fresh SQLite file imports a camt.053
 * statement of BENCH_STATEMENT_ENTRIES credits (default 26,000, about 4.5 MB), twice (the second
 * into a ledger that holds the first), while a second client asks GET /health every 20 ms. It
 * reports how long each import took end to end, how often and how slowly /health was answered
 * meanwhile, and the longest the event loop was held at a time: what another user waits while a
 * large statement goes in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../src/store/sqlite.js';
import { TokenRegistry } from '../src/auth/tokens.js';
import { CommandHandler } from '../src/application/command-handler.js';
import { buildApp } from '../src/http/app.js';
import { createProjectionRunner } from '../src/projections/create.js';

export const BENCH_ACCOUNT = 'NL91ABNA0417164300';

/** A statement of `count` credits of 12.34 each, every one with its own reference and text. */
export function largeStatement(count: number, account = BENCH_ACCOUNT, round = 1): string {
  const entries: string[] = [];
  for (let index = 0; index < count; index += 1) {
    // about 155 bytes an entry, as in the tester's 4 MB statement of 26,000 credits
    entries.push(
      `<Ntry><NtryRef>B${round}-${index}</NtryRef><Amt Ccy="EUR">12.34</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2020-06-12</Dt></BookgDt><AddtlNtryInf>Gift ${index}</AddtlNtryInf></Ntry>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>BENCH-${round}-${count}</MsgId><CreDtTm>2020-06-13T08:00:00+02:00</CreDtTm></GrpHdr><Stmt><Id>BENCH-1</Id><Acct><Id><IBAN>${account}</IBAN></Id><Ccy>EUR</Ccy></Acct>${entries.join('')}</Stmt></BkToCstmrStmt></Document>`;
}

export interface StatementRound {
  readonly importMs: number;
  readonly slowestHealthMs: number;
  readonly healthAnswers: number;
  readonly stallMs: number;
}

/** Imports `rounds` statements of `entries` credits each into one ledger, the later ones into a ledger holding the earlier. */
export async function benchStatement(entries: number, rounds = 2, log: (line: string) => void = console.log): Promise<StatementRound[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-statement-'));
  const clock = () => new Date('2020-06-15T10:00:00Z');
  const store = new SqliteEventStore(join(dir, 'ledger.db'), { now: clock });
  const tokens = TokenRegistry.inMemory();
  const projections = createProjectionRunner(store);
  const app = await buildApp(
    { store, tokens, commands: new CommandHandler(store), projections, clock },
    { logger: false, rateLimits: { perToken: 1_000_000 } },
  );
  try {
    const treasurer = `Bearer ${tokens.create({ role: 'treasurer', name: 'bench' }).token}`;
    await app.inject({ method: 'PUT', url: '/cooperative/bank-accounts', headers: { authorization: treasurer }, payload: { accounts: [BENCH_ACCOUNT] } });
    const results: StatementRound[] = [];
    for (let round = 1; round <= rounds; round += 1) {
      const xml = largeStatement(entries, BENCH_ACCOUNT, round);
      const result = await importWhileAskingHealth(app, treasurer, xml);
      log(
        `round ${round}: statement of ${entries} credits (${(xml.length / 1024 / 1024).toFixed(1)} MB) into a ledger of ${(round - 1) * entries} payments: ` +
          `imported in ${(result.importMs / 1000).toFixed(1)} s; GET /health ${result.healthAnswers} answers, slowest ${result.slowestHealthMs.toFixed(0)} ms; ` +
          `event loop held at most ${result.stallMs.toFixed(0)} ms at a time`,
      );
      results.push(result);
    }
    return results;
  } finally {
    await app.close();
    await projections.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function importWhileAskingHealth(app: Awaited<ReturnType<typeof buildApp>>, treasurer: string, xml: string): Promise<StatementRound> {
  // A 10 ms ticker: the longest gap between two ticks is the longest the event loop was held.
  let lastTick = performance.now();
  let longestGap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - lastTick);
    lastTick = now;
  }, 10);
  const started = performance.now();
  let done = false;
  let slowest = 0;
  let answers = 0;
  const importing = app.inject({ method: 'POST', url: '/bank-statements', headers: { authorization: treasurer, 'content-type': 'application/xml' }, payload: xml }).finally(() => {
    done = true;
  });
  // A request that arrives while the event loop is busy waits for it: count from when the
  // request was due (20 ms after the previous answer), not from when the timer finally fired.
  let due = performance.now();
  // The last stretch of an import (deciding, appending, answering) ends with `done`: measure once more after it.
  for (let last = false; !last; last = done) {
    await app.inject({ method: 'GET', url: '/health' });
    const answered = performance.now();
    slowest = Math.max(slowest, answered - due);
    answers += 1;
    due = answered + 20;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const response = await importing;
  const importMs = performance.now() - started;
  // Let the ticker see the end of the last stretch before it stops.
  await new Promise((resolve) => setTimeout(resolve, 50));
  clearInterval(ticker);
  if (response.statusCode !== 201) throw new Error(`import failed: ${response.body.slice(0, 500)}`);
  return { importMs, slowestHealthMs: slowest, healthAnswers: answers, stallMs: Math.max(0, longestGap - 10) };
}

export function statementEntriesFromEnv(): number {
  const value = Number(process.env['BENCH_STATEMENT_ENTRIES'] ?? '26000');
  return Number.isInteger(value) && value > 0 ? value : 26000;
}
