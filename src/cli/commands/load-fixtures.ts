import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CommandHandler } from '../../application/command-handler.js';
import { fixturePlan, readFixtures } from '../../application/fixtures.js';
import { Lookups } from '../../application/lookups.js';
import { TokenRegistry } from '../../auth/tokens.js';
import type { Config } from '../../config.js';
import { createProjectionRunner } from '../../projections/create.js';
import type { EventStore } from '../../store/port.js';
import { SqliteEventStore } from '../../store/sqlite.js';
import type { CliCommand } from '../command.js';
import { formatSummary, loadFixturePlan } from '../fixtures-loader.js';

export const DEFAULT_FIXTURES_PATH = '../shared/fixtures';
const USAGE = `load-fixtures [path]      load financing.json, budget-2018.json and volunteer-hours.json (default ${DEFAULT_FIXTURES_PATH}); re-running skips what exists`;

/** The store the service would open (src/main.ts); a SQLite file that does not exist yet is created. */
async function openStore(config: Config): Promise<EventStore> {
  if (config.STORE === 'eventstoredb') {
    const { EventStoreDbEventStore } = await import('../../store/eventstoredb.js');
    return EventStoreDbEventStore.fromConnectionString(config.EVENTSTORE_URL!);
  }
  return new SqliteEventStore(config.SQLITE_PATH);
}

export const loadFixturesCommand: CliCommand = {
  name: 'load-fixtures',
  summary: "load the seed agreements' rooms, financiers, budgets, valuation rates and pledges through the API",
  usage: USAGE,
  async run(args, { config, out, err }) {
    let positionals: string[];
    try {
      ({ positionals } = parseArgs({ args: [...args], options: {}, strict: true, allowPositionals: true }));
    } catch (error) {
      err(`${error instanceof Error ? error.message : String(error)}\nusage: ${USAGE}`);
      return 2;
    }
    if (positionals.length > 1) {
      err(`usage: ${USAGE}`);
      return 2;
    }
    const directory = resolve(process.cwd(), positionals[0] ?? DEFAULT_FIXTURES_PATH);
    // Read and check the files before opening anything: a typo in the path writes nothing.
    const plan = fixturePlan(readFixtures(directory));

    const store = await openStore(config);
    const projections = createProjectionRunner(store);
    const commands = new CommandHandler(store);
    // A token that lives only in this process: the loader is the treasurer's tool, and its events
    // say so ("treasurer(fixtures loader)"), without adding a lasting token to the tokens file.
    const tokens = TokenRegistry.inMemory();
    const { token } = tokens.create({ role: 'treasurer', name: 'fixtures loader' });
    // Loaded here, not at the top: every CLI command imports this module, and the HTTP stack
    // costs half a second and 40 MB that `replay` and `verify` should not pay.
    const { buildApp } = await import('../../http/app.js');
    const app = await buildApp(
      { store, tokens, commands, projections, clock: () => new Date() },
      { logger: false, rateLimits: { perToken: 1_000_000 } },
    );
    try {
      const summary = await loadFixturePlan(plan, { app, token, store, lookups: new Lookups(commands) });
      out(`fixtures from ${directory} (${store.kind} store):`);
      for (const line of formatSummary(summary)) out(line);
      return summary.failures.length === 0 ? 0 : 1;
    } finally {
      await app.close();
      await projections.close();
      await store.close();
    }
  },
};
