import t from 'tap';
import { createProjectionRunner } from '../../src/projections/create.js';
import { pledgesProjection } from '../../src/projections/pledges.js';
import { receivablesProjection } from '../../src/projections/receivables.js';
import { registryProjection } from '../../src/projections/registry.js';
import { roomsProjection } from '../../src/projections/rooms.js';
import type { TimeCut } from '../../src/projections/projection.js';
import { roomBudgetView } from '../../src/projections/views/budget.js';
import { findInvoice, invoiceView, overdueReport } from '../../src/projections/views/invoices.js';
import { allocation, appendEvents, invoice, kamer, payment, recordingClock, testStore } from './read-model-events.js';

/**
 * The accountant's two questions about the same late-recorded payment: the bank booked it on
 * 30 December 2019, the treasurer recorded it on 5 January 2020.
 */
t.test('a payment dated 2019-12-30 and recorded 2020-01-05 counts as of 2019-12-31, but not in the books known on 2020-01-01', async (t) => {
  const clock = recordingClock('2019-12-01T10:00:00.000Z');
  const store = testStore(t, clock.now);
  const issued = invoice({ number: '2019-0001', financier: 'portaal', kamer: 'top', year: 2019, issueDate: '2019-12-01', total: '1000.00' });
  await appendEvents(store, [kamer('top'), issued]);
  clock.set('2020-01-05T09:30:00.000Z');
  const paid = payment('2019-12-30', '1000.00');
  await appendEvents(store, [paid, allocation(paid, { invoice: issued }, '1000.00')]);

  const runner = createProjectionRunner(store);
  t.teardown(() => runner.close());
  const report = async (cut: TimeCut, referenceDate: string) => {
    const [registry, pledges, receivables, rooms] = await Promise.all([
      runner.read(registryProjection, cut),
      runner.read(pledgesProjection, cut),
      runner.read(receivablesProjection, cut),
      runner.read(roomsProjection, cut),
    ]);
    return {
      invoice: invoiceView(findInvoice(receivables, '2019-0001')!, referenceDate),
      received: roomBudgetView({ registry, pledges, rooms }, 'top', 2019).received,
      overdue: overdueReport(receivables, referenceDate).map((row) => row.number),
    };
  };

  const asOfYearEnd = await report({ asOf: '2019-12-31' }, '2019-12-31');
  t.match(asOfYearEnd.invoice, { status: 'paid', paidAmount: '1000.00', paidOn: '2019-12-30' });
  t.equal(asOfYearEnd.received, '1000.00');
  t.same(asOfYearEnd.overdue, []);

  const knownOnNewYear = await report({ knownAt: '2020-01-01T00:00:00Z' }, '2020-01-01');
  t.match(knownOnNewYear.invoice, { status: 'overdue', paidAmount: '0.00', openAmount: '1000.00' });
  t.equal(knownOnNewYear.received, '0.00');
  t.same(knownOnNewYear.overdue, ['2019-0001']);

  const bothCuts = await report({ asOf: '2019-12-31', knownAt: '2020-01-01T00:00:00Z' }, '2019-12-31');
  t.equal(bothCuts.received, '0.00', 'as the books stood on 1 January, nothing had arrived by 31 December');

  const now = await report({}, '2020-01-06');
  t.equal(now.received, '1000.00', 'the default cut sees everything');
});
