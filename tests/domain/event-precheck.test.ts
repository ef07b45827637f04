/**
 * The compiled first check (src/domain/event-precheck.ts) against zod's DomainEventSchema, on one
 * well-formed event of every type with all its optional fields, its minimal form, and thousands
 * of random mutations of both (keys dropped or added, values swapped for near misses or any JSON).
 * On every one: the check passes exactly the events zod accepts and returns unchanged (equal to
 * the input value for value), so a replay that trusts it folds what zod would have given it, and
 * everything else still goes to zod, which words the refusal.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import { FAST_PATTERNS, isSurelyValidEvent, precheckedEventTypes } from '../../src/domain/event-precheck.js';
import { DomainEventSchema, type DomainEvent, type DomainEventType } from '../../src/domain/events.js';

const ID = '0190a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b';
const ADDRESS = { street: 'Kanaalweg 1', postcode: '3526 KL', city: 'Utrecht', country: 'NL' };
const PARTIES = {
  supplier: {
    name: 'BuurtWerkKamer', address: ADDRESS, kvkNumber: '12345678', vatNumber: 'NL001234567B01', vatExemptionNote: 'vrijgesteld',
    iban: 'NL91ABNA0417164300', bic: 'ABNANL2A', email: 'a@b.nl', revision: 3,
  },
  customer: { name: 'Gemeente', address: ADDRESS, email: 'g@u.nl', eInvoiceId: '0190:00000000000000000001' },
};
const LOG_STATE = { position: '123', digest: 'a'.repeat(64), events: 123 };

/** One event of every type, every optional field present. */
const FULL: Record<DomainEventType, DomainEvent['data']> = {
  KamerRegistered: { kamerId: 'top', name: 'Top', teamLeaderIban: 'NL91ABNA0417164300' },
  FinancierRegistered: { financierId: 'utrecht', name: 'Gemeente', kind: 'municipality', pays: 'invoice', iban: 'NL91ABNA0417164300', address: ADDRESS, email: 'g@u.nl', eInvoiceId: '0190:1', requiresBuyerReference: true },
  FinancierDetailsChanged: { financierId: 'utrecht', address: ADDRESS, email: 'g@u.nl', eInvoiceId: '0190:1', requiresBuyerReference: false },
  CooperativeDetailsSet: { ...PARTIES.supplier, revision: undefined, logo: { mediaType: 'image/png', base64: 'iVBOR' } },
  BudgetSet: { kamerId: 'top', year: 2020, lines: [{ line: 'rent', label: 'Huur', amount: '1200.00' }], total: '1200.00' },
  ValuationRateSet: { year: 2020, kind: 'resident', perHour: '15.00' },
  PledgeMade: { pledgeId: ID, financierId: 'utrecht', kamerId: 'top', year: 2020, amount: '500.00', share: { numerator: 1, denominator: 3 }, form: 'cash', status: 'committed', reference: 'K-1', referenceDate: '2020-02-29', note: 'n' },
  PledgeStatusChanged: { pledgeId: ID, financierId: 'utrecht', kamerId: 'top', year: 2020, from: 'proposed', to: 'withdrawn', note: 'n' },
  PledgeAmended: { pledgeId: ID, financierId: 'utrecht', kamerId: 'top', year: 2020, previousAmount: '500.00', amount: '-0.01', reason: 'r' },
  InvoiceIssued: {
    invoiceId: ID, number: '2020-0001', financierId: 'utrecht', kamerId: 'top', year: 2020, pledgeId: ID, issueDate: '2020-01-31', dueDate: '2020-02-28',
    lines: [{ description: 'd', amount: '1.00' }], total: '1.00', reference: 'r', paymentReference: 'RF18539007547034', parties: PARTIES,
  },
  CreditNoteIssued: { creditNoteId: ID, number: '2020-0002', invoiceId: ID, invoiceNumber: '2020-0001', financierId: 'utrecht', kamerId: 'top', year: 2020, pledgeId: ID, issueDate: '2020-03-01', amount: '1.00', reason: 'r', reference: 'r', parties: PARTIES },
  PaymentReceived: { paymentId: ID, date: '2020-03-02', amount: '1.00', payerName: 'p', payerIban: 'NL91ABNA0417164300', description: 'd', bankReference: 'b', creditorReference: 'RF18', source: 'camt053', account: 'NL91ABNA0417164300' },
  PaymentAllocated: { allocationId: ID, paymentId: ID, paymentDate: '2020-03-02', amount: '1.00', invoiceId: ID, invoiceNumber: '2020-0001', pledgeId: ID, financierId: 'utrecht', kamerId: 'top', year: 2020, matchedBy: 'payment-reference', reason: 'r' },
  BankAccountsSet: { accounts: ['NL91ABNA0417164300'] },
  BankOpeningBalanceRecorded: { account: 'NL91ABNA0417164300', date: '2019-12-31', amount: '-5.00', messageId: 'm' },
  BankEntryBooked: {
    entryId: ID, account: 'NL91ABNA0417164300', direction: 'debit', date: '2020-03-03', amount: '2.00', bankReference: 'b', counterpartyName: 'c', counterpartyIban: 'NL91ABNA0417164300',
    description: 'd', booking: 'expense', kamerId: 'top', pettyCashTransferId: ID, expenseId: ID,
  },
  BankEntryAssigned: { entryId: ID, date: '2020-03-03', amount: '2.00', assignment: 'budget-line', kamerId: 'top', line: 'rent', year: 2020 },
  BankStatementReconciled: {
    messageId: 'm', account: 'NL91ABNA0417164300', opening: { date: '2020-03-01', statement: '1.00', ledger: '1.00' }, closing: { date: '2020-03-31', statement: '2.00', ledger: '1.00' },
    difference: '1.00', differenceAccepted: true, confirmedReferences: ['b'],
  },
  ReminderSent: { reminderId: ID, invoiceId: ID, invoiceNumber: '2020-0001', financierId: 'utrecht', kind: 'aanmaning', date: '2020-04-01', channel: 'email', dueDate: '2020-02-28', daysOverdue: 0, openAmount: '1.00', sequence: 1, parties: PARTIES },
  ExpensePaid: { expenseId: ID, kamerId: 'top', year: 2020, line: 'rent', date: '2020-03-04', amount: '3.00', payee: 'p', description: 'd' },
  PettyCashTransferred: { transferId: ID, kamerId: 'top', date: '2020-03-05', month: '2020-03', amount: '50.00' },
  PettyCashSpent: { spendingId: ID, kamerId: 'top', date: '2020-03-06', category: 'F', amount: '5.00', description: 'd', receipt: 'r' },
  VolunteerHoursRecorded: { entryId: ID, kamerId: 'top', volunteerId: 'v-1', date: '2020-03-07', hours: '2.50', kind: 'professional', activity: 'a' },
  VolunteerHoursReversed: { entryId: ID, kamerId: 'top', volunteerId: 'v-1', date: '2020-03-07', hours: '2.50', kind: 'resident', activity: 'a', reason: 'r' },
  YearChecked: { ...LOG_STATE, year: 2020, remarks: 'r' },
  YearApproved: { ...LOG_STATE, year: 2020, note: 'n' },
  YearClosed: { year: 2020, filesAtPosition: '123', closedAt: '2021-01-01T00:00:00Z', files: [{ name: 'f', sha256: 'b'.repeat(64) }], note: 'n' },
  YearReopened: { year: 2020, reason: 'r' },
} as Record<DomainEventType, DomainEvent['data']>;
// The supplier on the cooperative's own event has no revision.
delete (FULL.CooperativeDetailsSet as { revision?: number }).revision;

const TYPES = Object.keys(FULL) as DomainEventType[];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What zod makes of it: undefined when it refuses. */
function zodData(type: string, data: unknown): unknown {
  const parsed = DomainEventSchema.safeParse({ type, data });
  return parsed.success ? parsed.data.data : undefined;
}

function agrees(type: string, data: unknown): boolean {
  const parsed = zodData(type, data);
  const zodUnchanged = parsed !== undefined && isDeepStrictEqual(parsed, data);
  return isSurelyValidEvent(type, data) === zodUnchanged;
}

t.test('every event type of the contract is compiled', async (t) => {
  t.same([...precheckedEventTypes()].sort(), [...TYPES].sort());
  t.equal(DomainEventSchema.options.length, TYPES.length, 'the samples cover the whole union');
});

t.test('the full samples pass both, and zod returns them unchanged', async (t) => {
  for (const type of TYPES) {
    t.ok(DomainEventSchema.safeParse({ type, data: FULL[type] }).success, `${type}: zod accepts the sample`);
    t.ok(isSurelyValidEvent(type, FULL[type]), `${type}: surely valid`);
    t.ok(agrees(type, FULL[type]), type);
  }
});

t.test('near misses zod refuses are not surely valid', async (t) => {
  const misses: Array<[DomainEventType, Record<string, unknown>]> = [
    ['ExpensePaid', { ...FULL.ExpensePaid, amount: 12 }],
    ['ExpensePaid', { ...FULL.ExpensePaid, amount: '12.5' }],
    ['ExpensePaid', { ...FULL.ExpensePaid, date: '2021-02-29' }],
    ['ExpensePaid', { ...FULL.ExpensePaid, year: 2101 }],
    ['ExpensePaid', { ...FULL.ExpensePaid, year: 2020.5 }],
    ['KamerRegistered', { kamerId: 'Not A Slug', name: 'x' }],
    ['VolunteerHoursRecorded', { ...FULL.VolunteerHoursRecorded, volunteerId: 'a b' }],
    ['VolunteerHoursRecorded', { ...FULL.VolunteerHoursRecorded, volunteerId: 'v'.repeat(41) }],
    ['PledgeMade', { ...FULL.PledgeMade, status: 'withdrawn' }],
    ['PledgeMade', { ...FULL.PledgeMade, pledgeId: 'not-a-uuid' }],
    ['PledgeMade', { ...FULL.PledgeMade, share: { numerator: 0, denominator: 1 } }],
  ];
  for (const [type, data] of misses) {
    t.equal(zodData(type, data), undefined, `zod refuses ${JSON.stringify(data).slice(0, 60)}`);
    t.notOk(isSurelyValidEvent(type, data));
  }
  t.notOk(isSurelyValidEvent('NoSuchEvent', {}), 'an unknown type');
  t.notOk(isSurelyValidEvent('ExpensePaid', null), 'data that is no object');
});

t.test('an unknown key is left to zod, which drops it', async (t) => {
  const data = { ...FULL.ExpensePaid, extra: 1 };
  t.ok(zodData('ExpensePaid', data) !== undefined, 'zod accepts it');
  t.notOk(isSurelyValidEvent('ExpensePaid', data), 'not unchanged, so not surely valid');
});

/** Values that sit just inside or outside the contract's rules, and some of every JSON kind. */
const NEAR_VALUES: Json[] = [
  '2020-02-29', '2021-02-29', '2020-13-01', '1999-12-31', '2100-12-31', '2101-01-01', '2020-1-01', '2020-03', '2020-00', '2020-12',
  '0.00', '-0.01', '12.5', '1234567890123.45', '12345678901234.00', '1,00', ' 1.00', '2.50', '2.5',
  ID, ID.toUpperCase(), '00000000-0000-0000-0000-000000000000', '0190a3b4-5c6d-0e8f-9a0b-1c2d3e4f5a6b', '0190a3b4-5c6d-7e8f-7a0b-1c2d3e4f5a6b',
  'top', 'Top', '-top', 'a'.repeat(40), 'a'.repeat(41), '', ' ', 'v 1', 'NL', 'nl', '2020-0001', '20-0001', 'a'.repeat(64), 'A'.repeat(64), '123', '12a',
  'cash', 'in-kind', 'committed', 'withdrawn', 'resident', 'camt053', 'F', 'G', 'image/png', 'municipality', 'budget-line',
  0, 1, -1, 1999, 2000, 2100, 2101, 2020.5, 1e21, 9007199254740993, true, false, null, [], {}, ['x'], { x: 1 },
];

const jsonValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NEAR_VALUES) },
  { weight: 1, arbitrary: fc.jsonValue() as fc.Arbitrary<Json> },
);

/** A step into the value: which key or index (taken modulo what is there), and what to do at the end. */
type Mutation = { path: number[]; action: 'delete' | 'add' | 'set'; value: Json; key: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.array(fc.nat(), { maxLength: 4 }),
  action: fc.constantFrom('delete', 'add', 'set', 'set', 'set'),
  value: jsonValue,
  key: fc.constantFrom('extra', 'amount', 'date', '__proto__', 'type', 'constructor'),
});

/** Drops a key, or an element (spliced: JSON has no holes in arrays). */
function remove(container: Json[] | { [key: string]: Json }, at: string): void {
  if (Array.isArray(container)) container.splice(Number(at), 1);
  else delete container[at];
}

/**
 * Applies the mutation to a copy; the path stops where it meets a value that is not a container.
 * Every result is still a value JSON.parse could return (the reader's data): an array gets
 * elements, never named keys.
 */
function mutate(data: Json, { path, action, value, key }: Mutation): Json {
  const copy = structuredClone(data);
  if (copy === null || typeof copy !== 'object') return value;
  let container: Json[] | { [key: string]: Json } = copy;
  for (const step of path) {
    const keys = Object.keys(container);
    if (keys.length === 0) break;
    const next: Json | undefined = (container as Record<string, Json>)[keys[step % keys.length]!];
    if (next === null || typeof next !== 'object') {
      if (action !== 'add') {
        const at = keys[step % keys.length]!;
        if (action === 'delete') remove(container, at);
        else (container as Record<string, Json>)[at] = value;
        return copy;
      }
      break;
    }
    container = next;
  }
  if (action === 'add') {
    if (Array.isArray(container)) container.push(value);
    // defineProperty: `__proto__` becomes an own key, as JSON.parse makes it.
    else Object.defineProperty(container, key, { value, enumerable: true, configurable: true, writable: true });
  } else {
    const keys = Object.keys(container);
    if (keys.length > 0) {
      const at = keys[(path.at(-1) ?? 0) % keys.length]!;
      if (action === 'delete') remove(container, at);
      else (container as Record<string, Json>)[at] = value;
    }
  }
  return copy;
}

/** The sample without its optional fields: each key zod still accepts without, dropped. */
function minimal(type: DomainEventType): Json {
  const data = structuredClone(FULL[type]) as Record<string, Json>;
  for (const key of Object.keys(data)) {
    const without = { ...data };
    delete without[key];
    if (zodData(type, without) !== undefined) delete data[key];
  }
  return data;
}

t.test('random mutations of every type: surely valid exactly when zod accepts them unchanged', async (t) => {
  const samples = TYPES.flatMap((type) => [{ type, data: FULL[type] as Json }, { type, data: minimal(type) }]);
  let surelyValid = 0;
  let refused = 0;
  fc.assert(
    fc.property(fc.constantFrom(...samples), fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.constantFrom(...TYPES, 'Unknown'), fc.nat(9), (sample, mutations, otherType, swap) => {
      // Now and then the data of one type under another type's name.
      const type = swap === 0 ? otherType : sample.type;
      const data = mutations.reduce(mutate, sample.data);
      if (isSurelyValidEvent(type, data)) surelyValid += 1;
      if (zodData(type, data) === undefined) refused += 1;
      return agrees(type, data);
    }),
    { numRuns: 20_000, seed: 20261130 },
  );
  t.ok(surelyValid > 1_000 && refused > 1_000, `both verdicts were exercised (${surelyValid} surely valid, ${refused} refused by zod)`);
});

t.test('each hand-written pattern test answers as its regex on matching strings and near misses', async (t) => {
  t.equal(FAST_PATTERNS.size, 4);
  for (const [key, fast] of FAST_PATTERNS) {
    const pattern = new RegExp(key.slice(1, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1));
    // A matching string, then characters replaced, inserted or dropped; and any string at all.
    const edit = fc.record({ at: fc.nat(), action: fc.constantFrom('replace', 'insert', 'drop'), char: fc.oneof(fc.constantFrom('-', '.', '0', '9', 'a', 'f', 'g', 'A', 'F', 'G', '8', 'b', 'B', 'c', ' ', '\n', '\u0018', '\u0010', '\u0660'), fc.string({ minLength: 1, maxLength: 1 })) });
    const nearMiss = fc.tuple(fc.stringMatching(pattern), fc.array(edit, { maxLength: 2 })).map(([text, edits]) =>
      edits.reduce((current, { at, action, char }) => {
        const index = current.length === 0 ? 0 : at % current.length;
        if (action === 'drop') return current.slice(0, index) + current.slice(index + 1);
        return current.slice(0, index) + char + current.slice(action === 'replace' ? index + 1 : index);
      }, text),
    );
    let matched = 0;
    fc.assert(
      fc.property(fc.oneof(nearMiss, fc.string()), (text) => {
        const expected = pattern.test(text);
        if (expected) matched += 1;
        return fast(text) === expected;
      }),
      { numRuns: 20_000, seed: 20261130 },
    );
    t.ok(matched > 1_000, `${key}: both answers were exercised (${matched} matches)`);
  }
});
