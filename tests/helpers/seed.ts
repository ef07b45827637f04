/**
 * The seed agreements (../shared/fixtures, through the tests' snapshot) loaded into a test app
 * the way `load-fixtures` does: through the HTTP command path, so every rule of the API holds.
 */
import type { Test } from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandHandler } from '../../src/application/command-handler.js';
import { fixturePlan, readFixtures } from '../../src/application/fixtures.js';
import { Lookups } from '../../src/application/lookups.js';
import { loadFixturePlan } from '../../src/cli/fixtures-loader.js';
import type { TestApp } from './app.js';
import { SHARED_FIXTURES } from './shared.js';

/** Loads every fixture line and asserts that the API accepted each one. */
export async function loadSeedAgreements(t: Test, api: TestApp): Promise<void> {
  const lookups = new Lookups(new CommandHandler(api.store));
  const summary = await loadFixturePlan(fixturePlan(readFixtures(SHARED_FIXTURES)), { app: api.app, token: api.tokens.treasurer, store: api.store, lookups });
  t.same(summary.failures, [], 'every fixture line was accepted');
}

/** A pledge line of financing.json as the file has it: read raw, so tests sum the file itself. */
export interface SeedPledgeLine {
  readonly financier: string;
  readonly kamer: string;
  readonly year: number;
  readonly amount: string;
  readonly form?: string;
  readonly status: string;
}

export const seedFinancing = JSON.parse(readFileSync(join(SHARED_FIXTURES, 'financing.json'), 'utf8')) as {
  kamers: Array<{ id: string; name: string }>;
  financiers: Array<{ id: string; name: string }>;
  pledges: SeedPledgeLine[];
};

/** The documents' own words for a status (voorstel, toegezegd), as well as the API's. */
const STATUS_OF_WORD: Record<string, string> = { voorstel: 'proposed', voorwaardelijk: 'conditional', toegezegd: 'committed' };
export const fixturePledgeStatus = (line: SeedPledgeLine): string => STATUS_OF_WORD[line.status.toLowerCase()] ?? line.status.toLowerCase();
