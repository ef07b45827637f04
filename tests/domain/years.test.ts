import t from 'tap';
import { yearBindingsOf, yearsWrittenBy, closedYearsGuard } from '../../src/application/closed-years.js';
import { DomainError } from '../../src/domain/errors.js';
import type { DomainEvent } from '../../src/domain/events.js';
import { yearsDecider, type LogVerification } from '../../src/domain/years/decider.js';
import { nothingDatedInYearSince } from '../../src/application/years.js';
import { ConcurrencyError, type RecordedEvent } from '../../src/store/port.js';
import { specFor } from '../helpers/decider.js';

const DIGEST = 'ab'.repeat(32);
const VERIFIED: LogVerification = { ok: true, position: '41', digest: DIGEST, events: 41 };
const AFTER_2019 = '2020-03-01';

t.test('the kascommissie checks an ended year: the check records the position and digest the log verified at', async (t) => {
  specFor(t, yearsDecider)
    .given([])
    .when({ type: 'CheckYear', year: 2019, remarks: 'kas klopt', today: AFTER_2019, verification: VERIFIED })
    .then([{ type: 'YearChecked', data: { year: 2019, remarks: 'kas klopt', position: '41', digest: DIGEST, events: 41 } }]);
});

t.test('a year that has not ended cannot be checked or approved', async (t) => {
  const spec = specFor(t, yearsDecider);
  spec.given([]).when({ type: 'CheckYear', year: 2019, remarks: 'x', today: '2019-12-31', verification: VERIFIED }).thenFails('YEAR_NOT_ENDED', 'year');
  spec.given([checked()]).when({ type: 'ApproveYear', year: 2019, today: '2019-12-31', verification: VERIFIED }).thenFails('YEAR_NOT_ENDED', 'year');
});

t.test('a check or an approval is refused when the log does not verify', async (t) => {
  const broken: LogVerification = { ok: false, problem: 'hash mismatch at 7' };
  const spec = specFor(t, yearsDecider);
  spec.given([]).when({ type: 'CheckYear', year: 2019, remarks: 'x', today: AFTER_2019, verification: broken }).thenFails('LOG_NOT_VERIFIED');
  spec.given([checked()]).when({ type: 'ApproveYear', year: 2019, today: AFTER_2019, verification: broken }).thenFails('LOG_NOT_VERIFIED');
});

t.test('the accountant approves only a checked year, and the approval records its own position and digest', async (t) => {
  const spec = specFor(t, yearsDecider);
  spec.given([]).when({ type: 'ApproveYear', year: 2019, today: AFTER_2019, verification: VERIFIED }).thenFails('YEAR_NOT_CHECKED');
  spec
    .given([checked()])
    .when({ type: 'ApproveYear', year: 2019, note: 'akkoord', today: AFTER_2019, verification: { ok: true, position: '50', digest: DIGEST, events: 50 } })
    .then([{ type: 'YearApproved', data: { year: 2019, position: '50', digest: DIGEST, events: 50, note: 'akkoord' } }]);
});

t.test('the treasurer closes only an approved year, and a closed year refuses checks, approvals and a second close', async (t) => {
  const spec = specFor(t, yearsDecider);
  spec.given([]).when(closeCommand()).thenFails('YEAR_NOT_APPROVED');
  spec.given([checked()]).when(closeCommand()).thenFails('YEAR_NOT_APPROVED');
  spec.given([checked(), approved()]).when(closeCommand()).then([{ type: 'YearClosed', data: closeCommand().closing }]);
  const closedYear = [checked(), approved(), closed()];
  spec.given(closedYear).when(closeCommand()).thenFails('PERIOD_CLOSED');
  spec.given(closedYear).when({ type: 'CheckYear', year: 2019, remarks: 'x', today: AFTER_2019, verification: VERIFIED }).thenFails('PERIOD_CLOSED');
  spec.given(closedYear).when({ type: 'ApproveYear', year: 2019, today: AFTER_2019, verification: VERIFIED }).thenFails('PERIOD_CLOSED');
});

t.test('reopening needs a closed year and a reason, and withdraws the approval: the year must be approved again to close', async (t) => {
  const spec = specFor(t, yearsDecider);
  spec.given([checked(), approved()]).when({ type: 'ReopenYear', year: 2019, reason: 'factuur vergeten' }).thenFails('YEAR_NOT_CLOSED');
  spec.given([checked(), approved(), closed()]).when({ type: 'ReopenYear', year: 2019, reason: '  ' }).thenFails('INVALID_INPUT', 'reason');
  const reopened: DomainEvent = { type: 'YearReopened', data: { year: 2019, reason: 'factuur vergeten' } };
  spec.given([checked(), approved(), closed()]).when({ type: 'ReopenYear', year: 2019, reason: 'factuur vergeten' }).then([reopened as never]);
  spec.given([checked(), approved(), closed(), reopened]).when(closeCommand()).thenFails('YEAR_NOT_APPROVED');
  // The checks stand after a reopening: a new approval needs no new check.
  spec.given([checked(), approved(), closed(), reopened]).when({ type: 'ApproveYear', year: 2019, today: AFTER_2019, verification: VERIFIED }).then((events) => {
    t.equal(events[0]!.type, 'YearApproved');
  });
});

t.test('evolve refuses a year stream out of order: it is corrupt', async (t) => {
  t.throws(() => yearsDecider.evolve(yearsDecider.initialState, closed()), /corrupt/);
  t.throws(() => yearsDecider.evolve(yearsDecider.initialState, approved()), /corrupt/);
});

t.test('which year a write is bound to: its business date, or the year it declares; registrations have none', async (t) => {
  t.same(yearBindingsOf(invoice('2019-12-31')), [{ year: 2019, field: 'issueDate' }]);
  t.same(yearBindingsOf({ type: 'BudgetSet', data: { kamerId: 'top', year: 2019, lines: [], total: '0.00' } }), [{ year: 2019, field: 'year' }]);
  t.same(yearBindingsOf({ type: 'PettyCashSpent', data: { spendingId: id(1), kamerId: 'top', date: '2020-01-01', category: 'A', amount: '1.00', description: 'x' } }), [{ year: 2020, field: 'date' }]);
  t.same(yearBindingsOf({ type: 'KamerRegistered', data: { kamerId: 'top', name: 'Top' } }), []);
  t.same(yearBindingsOf({ type: 'BankAccountsSet', data: { accounts: [] } }), []);
  t.same(yearBindingsOf(closed()), [], "the year's own events are not bound to it");
  const statement: DomainEvent = {
    type: 'BankStatementReconciled',
    data: { messageId: 'm', account: 'NL', opening: { date: '2019-12-30', statement: '0.00', ledger: '0.00' }, closing: { date: '2020-01-03', statement: '0.00', ledger: '0.00' }, difference: '0.00', differenceAccepted: false, confirmedReferences: [] },
  };
  t.same(yearBindingsOf(statement), [{ year: 2019, field: 'opening.date' }, { year: 2020, field: 'closing.date' }], 'a statement over New Year is bound to both years');
  t.same(yearsWrittenBy([invoice('2019-01-02'), invoice('2019-05-01'), invoice('2020-01-01')]).map((binding) => binding.year), [2019, 2020]);
});

t.test('the closed-years guard reads the years it needs and refuses a closed one with PERIOD_CLOSED naming the field', async (t) => {
  t.equal(closedYearsGuard([{ type: 'KamerRegistered', data: { kamerId: 'top', name: 'Top' } }]), undefined, 'no year, no guard');
  const guard = closedYearsGuard([invoice('2019-06-01')])!;
  t.same(guard.streams, ['year-2019']);
  const recorded = (events: DomainEvent[]) => events.map((event, revision) => ({ ...event, stream: 'year-2019', revision, position: String(revision + 1), id: id(revision), hash: DIGEST, metadata: { recordedAt: '', recordedBy: '', correlationId: '', causationId: '' } }) as RecordedEvent);
  t.doesNotThrow(() => guard.check({ events: () => recorded([checked(), approved()]), lastPosition: '2', eventsAfter: [] }), 'an approved year is still open');
  try {
    guard.check({ events: () => recorded([checked(), approved(), closed()]), lastPosition: '3', eventsAfter: [] });
    t.fail('a closed year must refuse');
  } catch (error) {
    t.ok(error instanceof DomainError);
    t.equal((error as DomainError).code, 'PERIOD_CLOSED');
    t.equal((error as DomainError).field, 'issueDate');
  }
});

t.test("the close's guard: a write dated in the year after the files were cut makes it render again; writes to other years do not", async (t) => {
  const guard = nothingDatedInYearSince(2019, () => '10');
  t.equal(guard.readsAfter?.(), '10', 'it reads what came after the cut');
  const at = (position: string, event: DomainEvent) => ({ ...event, stream: 'receivables', revision: 0, position, id: id(Number(position)), hash: DIGEST, metadata: { recordedAt: '', recordedBy: '', correlationId: '', causationId: '' } }) as RecordedEvent;
  t.doesNotThrow(() => guard.check({ events: () => [], lastPosition: '12', eventsAfter: [at('11', invoice('2020-01-05')), at('12', { type: 'KamerRegistered', data: { kamerId: 'hart', name: 'Hart' } })] }));
  t.throws(() => guard.check({ events: () => [], lastPosition: '12', eventsAfter: [at('11', invoice('2020-01-05')), at('12', invoice('2019-12-31'))] }), ConcurrencyError);
});

function id(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}
function checked(): DomainEvent {
  return { type: 'YearChecked', data: { year: 2019, remarks: 'kas klopt', position: '41', digest: DIGEST, events: 41 } };
}
function approved(): DomainEvent {
  return { type: 'YearApproved', data: { year: 2019, position: '42', digest: DIGEST, events: 42 } };
}
function closeCommand() {
  return { type: 'CloseYear' as const, closing: { year: 2019, filesAtPosition: '43', closedAt: '2020-03-01T10:00:00.000Z', files: [{ name: 'xaf', sha256: DIGEST }] } };
}
function closed(): DomainEvent {
  return { type: 'YearClosed', data: closeCommand().closing };
}
function invoice(issueDate: string): DomainEvent {
  return {
    type: 'InvoiceIssued',
    data: { invoiceId: id(9), number: '2019-0001', financierId: 'portaal', kamerId: 'top', year: 2019, issueDate, dueDate: issueDate, lines: [], total: '0.00' },
  };
}
