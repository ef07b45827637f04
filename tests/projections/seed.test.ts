/**
 * The seed agreements (../shared/fixtures) loaded through the fixtures loader into a real app,
 * then read back through the read routes: every room's and every financier's pledged totals
 * must equal the sums this test computes itself from the fixture lines.
 */
import t from 'tap';
import { SHARED_FIXTURES } from '../helpers/shared.js';
import { fixturePledgeStatus as statusOf, seedFinancing as financing, type SeedPledgeLine as PledgeLine } from '../helpers/seed.js';
import { CommandHandler } from '../../src/application/command-handler.js';
import { fixturePlan, readFixtures } from '../../src/application/fixtures.js';
import { Lookups } from '../../src/application/lookups.js';
import { loadFixturePlan } from '../../src/cli/fixtures-loader.js';
import { formatAmount, sum } from '../../src/domain/money.js';
import { createTestApp } from '../helpers/app.js';

const FIXTURES_DIR = SHARED_FIXTURES;

function total(lines: readonly PledgeLine[]): string {
  return formatAmount(sum(lines.map((line) => line.amount)));
}

t.test('after loading the seed agreements, every room and financier shows the pledged sums of the fixture lines', async (t) => {
  t.ok(financing.pledges.every((line) => typeof line.amount === 'string'), 'the seed pledges are amounts (no shares)');
  const api = await createTestApp(t);
  const summary = await loadFixturePlan(fixturePlan(readFixtures(FIXTURES_DIR)), {
    app: api.app,
    token: api.tokens.treasurer,
    store: api.store,
    lookups: new Lookups(new CommandHandler(api.store)),
  });
  t.same(summary.failures, [], 'every fixture line was accepted');
  t.equal(summary.pledges.loaded, financing.pledges.length);

  const pledges = await api.get(api.tokens.accountant, '/pledges');
  t.equal(pledges.json().length, financing.pledges.length, 'GET /pledges lists every line');

  const years = [...new Set(financing.pledges.map((line) => line.year))].sort();
  for (const { id: kamer } of financing.kamers) {
    for (const year of years) {
      const lines = financing.pledges.filter((line) => line.kamer === kamer && line.year === year);
      const byStatus = (status: string) => total(lines.filter((line) => statusOf(line) === status));
      const response = await api.get(api.tokens.accountant, `/kamers/${kamer}/budget/${year}`);
      t.equal(response.statusCode, 200, `${kamer} ${year}: ${response.body.slice(0, 200)}`);
      t.same(
        response.json().pledged,
        {
          committed: byStatus('committed'),
          conditional: byStatus('conditional'),
          proposed: byStatus('proposed'),
          withdrawn: byStatus('withdrawn'),
          inKind: total(lines.filter((line) => line.form === 'in-kind' && statusOf(line) !== 'withdrawn')),
        },
        `${kamer} ${year}: pledged by status`,
      );
    }
  }

  for (const { id: financier } of financing.financiers) {
    const lines = financing.pledges.filter((line) => line.financier === financier);
    const response = await api.get(api.tokens.accountant, `/financiers/${financier}/position`);
    t.equal(response.statusCode, 200, financier);
    const body = response.json();
    t.equal(body.pledged, total(lines.filter((line) => statusOf(line) === 'committed')), `${financier}: pledged (committed)`);
    t.match(
      body.pledgedByStatus,
      { conditional: total(lines.filter((line) => statusOf(line) === 'conditional')), proposed: total(lines.filter((line) => statusOf(line) === 'proposed')) },
      `${financier}: conditional and proposed`,
    );
    for (const year of years) {
      const position = await api.get(api.tokens.accountant, `/financiers/${financier}/position?year=${year}`);
      t.equal(position.json().pledged, total(lines.filter((line) => line.year === year && statusOf(line) === 'committed')), `${financier} ${year}`);
    }
  }
});
