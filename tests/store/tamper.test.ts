/**
 * Someone with write access to the SQLite file edits the ledger behind the service's back. Each
 * test builds a realistic ledger in a real file, closes the store, tampers with the file through
 * a second better-sqlite3 connection, reopens it and asks what verifyLog and a digest the
 * accountant kept say: which tampering is caught, at which position, and which only a kept digest
 * catches.
 */
import t, { type Test } from 'tap';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/store/sqlite.js';
import { checkDigest, digestAt, verifyLog } from '../../src/store/integrity.js';
import { streams } from '../../src/domain/events.js';
import { rewriteAndRehash } from '../helpers/tamper.js';
import type { EventStore, NewEvent } from '../../src/store/port.js';

t.test('an untouched ledger verifies, and its digest at the last position is the one verifyLog reports', async (t) => {
  const ledger = await buildLedger(t);
  const store = ledger.open();
  const verified = await verifyLog(store);
  t.match(verified, { ok: true, events: ledger.size, lastPosition: ledger.lastPosition });
  t.equal(verified.ok && verified.digest, ledger.keptDigest);
  t.match(await checkDigest(store, ledger.lastPosition, ledger.keptDigest), { matches: true, events: ledger.size });
});

t.test('(a) one changed byte in one event is reported at exactly that position', async (t) => {
  const ledger = await buildLedger(t);
  const position = ledger.positions.firstInvoice;
  const before = ledger.rawData(position);
  ledger.tamper((db) => {
    db.prepare(`UPDATE events SET data = replace(data, '"total":"5000.00"', '"total":"5900.00"') WHERE position = ?`).run(position);
  });
  const after = ledger.rawData(position);
  t.equal(after.length, before.length);
  t.equal([...after].filter((character, index) => character !== before[index]).length, 1, 'exactly one byte differs');

  const verified = await verifyLog(ledger.open());
  t.match(verified, { ok: false, firstBadPosition: position, stream: streams.receivables(), problem: /^hash mismatch/ });
  t.equal(verified.events, Number(position) - 1, 'every event before it is reported intact');
});

t.test('(a) changing who recorded an event is caught too: the metadata is hashed with the data', async (t) => {
  const ledger = await buildLedger(t);
  const position = ledger.positions.payment;
  ledger.tamper((db) => {
    db.prepare(`UPDATE events SET metadata = replace(metadata, 'treasurer(Penningmeester)', 'treasurer(Voorzitter)') WHERE position = ?`).run(position);
  });
  t.match(await verifyLog(ledger.open()), { ok: false, firstBadPosition: position, problem: /^hash mismatch/ });
});

t.test('(b) a deleted event in the middle of a stream is reported first as the hole in the positions, at the next position of the log', async (t) => {
  const ledger = await buildLedger(t);
  const deleted = ledger.positions.pledgeCommitted;
  ledger.tamper((db) => db.prepare('DELETE FROM events WHERE position = ?').run(deleted));

  // The next event of the log belongs to another stream; the hole is seen there, before the
  // pledge stream's own next event is reached.
  const nextInLog = String(Number(deleted) + 1);
  t.equal(ledger.streamAt(nextInLog), streams.receivables(), 'the event after the hole is in another stream');
  t.match(await verifyLog(ledger.open()), {
    ok: false,
    firstBadPosition: nextInLog,
    stream: streams.receivables(),
    problem: `position ${deleted} is missing from the log`,
  });
});

t.test('(b) without contiguous positions (as on EventStoreDB) the same deletion is reported at the stream\'s next event', async (t) => {
  const ledger = await buildLedger(t);
  ledger.tamper((db) => db.prepare('DELETE FROM events WHERE position = ?').run(ledger.positions.pledgeCommitted));
  t.match(await verifyLog(withoutContiguousPositions(ledger.open())), {
    ok: false,
    firstBadPosition: ledger.positions.pledgeAmended,
    stream: ledger.pledgeStream,
    problem: `revision 2 follows 0 in stream ${ledger.pledgeStream}`,
  });
});

t.test('(c) a deleted last event is caught by the position SQLite had already assigned, and by the kept digest', async (t) => {
  const ledger = await buildLedger(t);
  const oldLast = ledger.lastPosition;
  ledger.tamper((db) => db.prepare('DELETE FROM events WHERE position = ?').run(oldLast));
  const store = ledger.open();

  t.match(await verifyLog(store), {
    ok: false,
    events: ledger.size - 1,
    firstBadPosition: oldLast,
    problem: `positions up to ${oldLast} were assigned, but the log ends at ${Number(oldLast) - 1}: the newest events were deleted`,
  });
  t.match(await checkDigest(store, oldLast, ledger.keptDigest), {
    matches: false,
    position: oldLast,
    events: ledger.size - 1,
    problem: `the log now ends at position ${Number(oldLast) - 1}, before ${oldLast}: events up to ${oldLast} were removed, or the digest belongs to another ledger`,
  });
});

t.test('(c) once the service writes again after the last event was deleted, the hole shows: SQLite never reuses a position', async (t) => {
  const ledger = await buildLedger(t);
  const oldLast = ledger.lastPosition;
  ledger.tamper((db) => db.prepare('DELETE FROM events WHERE position = ?').run(oldLast));
  const store = ledger.open();
  const appended = await store.append(streams.pettyCash('top'), [spending('B', '31.40', 'soep voor de kookgroep')], 'any');
  t.equal(appended.position, String(Number(oldLast) + 1), 'AUTOINCREMENT continues after the deleted position');
  t.match(await verifyLog(store), { ok: false, firstBadPosition: appended.position, problem: `position ${oldLast} is missing from the log` });
});

t.test('(c) an attacker who also rewinds sqlite_sequence hides the hole from verifyLog, not from the kept digest', async (t) => {
  const ledger = await buildLedger(t);
  const oldLast = ledger.lastPosition;
  ledger.tamper((db) => {
    db.prepare('DELETE FROM events WHERE position = ?').run(oldLast);
    db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'").run(Number(oldLast) - 1);
  });
  const store = ledger.open();
  const appended = await store.append(streams.pettyCash('top'), [spending('B', '31.40', 'soep voor de kookgroep')], 'any');
  t.equal(appended.position, oldLast, 'the replacement takes the deleted position');
  t.match(await verifyLog(store), { ok: true, events: ledger.size });
  t.match(await checkDigest(store, oldLast, ledger.keptDigest), {
    matches: false,
    problem: `the events up to position ${oldLast} are not the ones the digest was taken over: an event was changed, removed, inserted or reordered`,
  });
});

t.test('(d) swapping the data of two events is reported at the first of the two', async (t) => {
  const ledger = await buildLedger(t);
  const { firstInvoice, secondInvoice } = ledger.positions;
  ledger.tamper((db) => {
    const data = (position: string) => db.prepare<[string], { data: string }>('SELECT data FROM events WHERE position = ?').get(position)!.data;
    const [first, second] = [data(firstInvoice), data(secondInvoice)];
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(second, firstInvoice);
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(first, secondInvoice);
  });
  t.match(await verifyLog(ledger.open()), { ok: false, firstBadPosition: firstInvoice, stream: streams.receivables(), problem: /^hash mismatch/ });
});

t.test('(d) swapping the positions of two events of one stream is reported at the first of the two', async (t) => {
  const ledger = await buildLedger(t);
  const { pettyCashTransfer, pettyCashSpending } = ledger.positions;
  ledger.tamper((db) => swapPositions(db, pettyCashTransfer, pettyCashSpending));
  t.match(await verifyLog(ledger.open()), {
    ok: false,
    firstBadPosition: pettyCashTransfer,
    stream: streams.pettyCash('top'),
    problem: `revision 1 follows nothing in stream ${streams.pettyCash('top')}`,
  });
});

t.test('(d) swapping two events of different streams keeps every chain intact: only the kept digest sees the new order', async (t) => {
  // Each hash chains within its stream and does not cover the global position, so reordering the
  // first events of two streams is invisible to verifyLog; the digest folds the log in order.
  const ledger = await buildLedger(t);
  const { mitros, budget } = ledger.positions;
  ledger.tamper((db) => swapPositions(db, mitros, budget));
  const store = ledger.open();
  t.match(await verifyLog(store), { ok: true, events: ledger.size });
  t.match(await checkDigest(store, ledger.lastPosition, ledger.keptDigest), { matches: false });
  const beforeSwap = String(Number(mitros) - 1);
  t.equal((await digestAt(store, beforeSwap)).digest, ledger.digestBefore(beforeSwap), 'a digest taken before the swapped events still matches');
});

t.test('(e) a rewrite with every later hash of the stream recomputed passes verifyLog, but the kept digest no longer matches', async (t) => {
  const ledger = await buildLedger(t);
  const rewritten = ledger.positions.firstInvoice;
  ledger.tamper((db) => rewriteAndRehash(db, rewritten, (data) => ({ ...data, lines: [{ description: 'Huurbijdrage 2020', amount: '500.00' }], total: '500.00' })));
  const store = ledger.open();

  t.match(await verifyLog(store), { ok: true, events: ledger.size }, 'the chains recompute: the attacker used the real hash function');
  t.match(await checkDigest(store, ledger.lastPosition, ledger.keptDigest), { matches: false, position: ledger.lastPosition });
  t.match(await checkDigest(store, rewritten, ledger.digestBefore(rewritten)), { matches: false }, 'caught from the rewritten position on');
  const justBefore = String(Number(rewritten) - 1);
  t.match(
    await checkDigest(store, justBefore, ledger.digestBefore(justBefore)),
    { matches: true, events: Number(justBefore) },
    'a digest taken before the rewritten event still proves everything up to it unchanged',
  );
});

// Fixtures --------------------------------------------------------------------------------------

/**
 * One event per append, streams interleaved as they are in real use; position n is the n-th.
 * A function, not a constant: the first test runs before the module's constants are initialised.
 */
function ledgerEvents(): readonly LedgerEvent[] {
  const PLEDGE_ID = '6f9c1c2e-2f1b-4c3a-9d55-0b8f3a1e7c01';
  const INVOICE_1 = '0d7e8a51-9b7c-4a0e-8d2a-3c1f5e6b7a01';
  const INVOICE_2 = '0d7e8a51-9b7c-4a0e-8d2a-3c1f5e6b7a02';
  const PAYMENT = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c01';
  const ENTRY = '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d01';
  return [
    ev('top', streams.kamer('top'), 'KamerRegistered', { kamerId: 'top', name: 'TOP', teamLeaderIban: 'NL91ABNA0417164300' }),
    ev('mitros', streams.financier('mitros'), 'FinancierRegistered', { financierId: 'mitros', name: 'Mitros', kind: 'housing-corporation', pays: 'invoice' }),
    ev('budget', streams.budget('top', 2020), 'BudgetSet', {
      kamerId: 'top',
      year: 2020,
      lines: [{ line: 'rent', label: 'Huur', amount: '9000.00' }, { line: 'coordination', label: 'Coördinatie', amount: '24000.00' }],
      total: '33000.00',
    }),
    ev('pledge', streams.pledge(PLEDGE_ID), 'PledgeMade', { pledgeId: PLEDGE_ID, financierId: 'mitros', kamerId: 'top', year: 2020, amount: '5000.00', form: 'cash', status: 'proposed' }),
    ev('pledgeCommitted', streams.pledge(PLEDGE_ID), 'PledgeStatusChanged', { pledgeId: PLEDGE_ID, financierId: 'mitros', kamerId: 'top', year: 2020, from: 'proposed', to: 'committed' }),
    ev('firstInvoice', streams.receivables(), 'InvoiceIssued', {
      invoiceId: INVOICE_1,
      number: '2020-0001',
      financierId: 'mitros',
      kamerId: 'top',
      year: 2020,
      pledgeId: PLEDGE_ID,
      issueDate: '2020-03-02',
      dueDate: '2020-03-30',
      lines: [{ description: 'Bijdrage 2020', amount: '5000.00' }],
      total: '5000.00',
    }),
    ev('pettyCashTransfer', streams.pettyCash('top'), 'PettyCashTransferred', { transferId: '3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e01', kamerId: 'top', date: '2020-03-02', month: '2020-03', amount: '250.00' }),
    ev('payment', streams.receivables(), 'PaymentReceived', { paymentId: PAYMENT, date: '2020-03-25', amount: '5000.00', payerName: 'Mitros', description: 'factuur 2020-0001', source: 'manual' }),
    ev('allocation', streams.receivables(), 'PaymentAllocated', {
      allocationId: '4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f01',
      paymentId: PAYMENT,
      paymentDate: '2020-03-25',
      amount: '5000.00',
      invoiceId: INVOICE_1,
      invoiceNumber: '2020-0001',
      financierId: 'mitros',
      kamerId: 'top',
      year: 2020,
      matchedBy: 'invoice-number-in-description',
    }),
    ev('pettyCashSpending', streams.pettyCash('top'), 'PettyCashSpent', { spendingId: '5e6f7a8b-9c0d-4e1f-8a2b-4c5d6e7f8a01', kamerId: 'top', date: '2020-03-05', category: 'A', amount: '12.50', description: 'koffie en thee' }),
    ev('hours', streams.volunteerEntry(ENTRY), 'VolunteerHoursRecorded', { entryId: ENTRY, kamerId: 'top', volunteerId: 'vrijwilliger-17', date: '2020-03-06', hours: '3.50', kind: 'resident', activity: 'formulierenbrigade' }),
    ev('secondInvoice', streams.receivables(), 'InvoiceIssued', {
      invoiceId: INVOICE_2,
      number: '2020-0002',
      financierId: 'mitros',
      kamerId: 'top',
      year: 2020,
      issueDate: '2020-04-01',
      dueDate: '2020-04-29',
      lines: [{ description: 'Huurkorting april', amount: '350.00' }],
      total: '350.00',
    }),
    ev('pledgeAmended', streams.pledge(PLEDGE_ID), 'PledgeAmended', { pledgeId: PLEDGE_ID, financierId: 'mitros', kamerId: 'top', year: 2020, previousAmount: '5000.00', amount: '5350.00', reason: 'huurkorting erbij' }, 'huurkorting erbij'),
  ];
}

interface LedgerEvent {
  readonly label: LedgerLabel;
  readonly stream: string;
  readonly event: NewEvent;
}

type LedgerLabel =
  | 'top' | 'mitros' | 'budget' | 'pledge' | 'pledgeCommitted' | 'firstInvoice' | 'pettyCashTransfer'
  | 'payment' | 'allocation' | 'pettyCashSpending' | 'hours' | 'secondInvoice' | 'pledgeAmended';

function ev(label: LedgerLabel, stream: string, type: string, data: unknown, reason?: string): LedgerEvent {
  return { label, stream, event: { type, data, metadata: { recordedBy: 'treasurer(Penningmeester)', ...(reason ? { reason } : {}) } } };
}

function spending(category: string, amount: string, description: string): NewEvent {
  return {
    type: 'PettyCashSpent',
    data: { spendingId: randomUUID(), kamerId: 'top', date: '2020-06-20', category, amount, description },
    metadata: { recordedBy: 'teamleader:top' },
  };
}

interface Ledger {
  readonly path: string;
  readonly size: number;
  readonly pledgeStream: string;
  readonly positions: Record<LedgerLabel, string>;
  streamAt(position: string): string;
  readonly lastPosition: string;
  /** The digest at the last position, as the accountant kept it before anyone touched the file. */
  readonly keptDigest: string;
  /** The digest at a position, taken before tampering. */
  digestBefore(position: string): string;
  /** Changes the file through a second connection while no store has it open. */
  tamper(change: (db: Database.Database) => void): void;
  /** The stored JSON text of an event's data. */
  rawData(position: string): string;
  /** Reopens the file as the service would (closed at the end of the test). */
  open(): SqliteEventStore;
}

async function buildLedger(t: Test): Promise<Ledger> {
  const path = join(t.testdir(), 'ledger.db');
  let minute = 0;
  const store = new SqliteEventStore(path, { now: () => new Date(Date.UTC(2020, 2, 2, 9, minute++)) });
  const events = ledgerEvents();
  const positions = {} as Record<LedgerLabel, string>;
  const streamsByPosition = new Map<string, string>();
  for (const { label, stream, event } of events) {
    positions[label] = (await store.append(stream, [event], 'any')).position;
    streamsByPosition.set(positions[label], stream);
  }
  const lastPosition = (await store.lastPosition())!;
  const digestsBefore = new Map<string, string>();
  for (let position = 1; position <= Number(lastPosition); position += 1) {
    digestsBefore.set(String(position), (await digestAt(store, String(position))).digest);
  }
  const digestBefore = (position: string): string => {
    const digest = digestsBefore.get(position);
    if (digest === undefined) throw new Error(`no digest was taken at ${position}`);
    return digest;
  };
  await store.close();
  const opened: SqliteEventStore[] = [];
  t.teardown(async () => {
    for (const store of opened) await store.close();
  });
  const withConnection = <T>(use: (db: Database.Database) => T): T => {
    const db = new Database(path);
    try {
      return use(db);
    } finally {
      db.close();
    }
  };
  return {
    path,
    size: events.length,
    pledgeStream: events.find((entry) => entry.label === 'pledge')!.stream,
    positions,
    streamAt: (position) => streamsByPosition.get(position) ?? '(none)',
    lastPosition,
    keptDigest: digestBefore(lastPosition),
    digestBefore,
    tamper: (change) => withConnection((db) => db.transaction(() => change(db))()),
    rawData: (position) => withConnection((db) => db.prepare<[string], { data: string }>('SELECT data FROM events WHERE position = ?').get(position)!.data),
    open() {
      const reopened = new SqliteEventStore(path);
      opened.push(reopened);
      return reopened;
    },
  };
}

function swapPositions(db: Database.Database, first: string, second: string): void {
  const move = db.prepare('UPDATE events SET position = ? WHERE position = ?');
  move.run(-1, first);
  move.run(first, second);
  move.run(second, -1);
}


/** The same store seen as an adapter whose positions have gaps (EventStoreDB), so verifyLog skips the hole check. */
function withoutContiguousPositions(store: SqliteEventStore): EventStore & { positionsAreContiguous: boolean } {
  return {
    kind: store.kind,
    positionsAreContiguous: false,
    append: (stream, events, expected) => store.append(stream, events, expected),
    readStream: (stream, fromRevision) => store.readStream(stream, fromRevision),
    readAll: (options) => store.readAll(options),
    scanAll: (after, batchSize) => store.scanAll(after, batchSize),
    scanBusinessYear: (year, after, batchSize) => store.scanBusinessYear(year, after, batchSize),
    subscribe: (after, handler) => store.subscribe(after, handler),
    lastPosition: () => store.lastPosition(),
    idempotentResponse: (key) => store.idempotentResponse(key),
    close: () => store.close(),
  };
}
