/**
 * Closing the year through the real HTTP stack and SQLite store (issue 12): the kascommissie's
 * check, the accountant's approval, the treasurer's close, the accountant's reopening, GET
 * /years/:year, corrections booked in the open year, and a close racing a write.
 */
import t from 'tap';
import { CommandHandler } from '../../src/application/command-handler.js';
import { DomainError } from '../../src/domain/errors.js';
import { pettyCashDecider } from '../../src/domain/petty-cash/decider.js';
import { assertRefused, issue } from './receivables.fixtures.js';
import { close, view, year2020 } from './years.fixtures.js';

t.test('a year is checked by the kascommissie, approved by the accountant and closed by the treasurer; GET shows who and when', async (t) => {
  const { api } = await year2020(t);
  t.equal((await view(api)).status, 'open');

  const check = await api.post(api.tokens.kascommissie, '/years/2020/checks', { remarks: 'kas klopt' });
  t.equal(check.statusCode, 201, check.body);
  const last = await api.store.lastPosition();
  t.equal(check.json().covers.position, String(Number(last) - 1), 'the check covers the log as it stood before it');
  const digest = (await api.get(api.tokens.accountant, `/audit/digest?at=${check.json().covers.position}`)).json() as { digest: string };
  t.equal(check.json().covers.digest, digest.digest, 'its digest is the one GET /audit/digest gives at that position');
  t.equal((await view(api)).status, 'checked');

  const approval = await api.post(api.tokens.accountant, '/years/2020/approval', {});
  t.equal(approval.statusCode, 201, approval.body);
  t.equal((await view(api)).status, 'approved');

  api.clock.set('2021-03-01T09:00:00Z');
  const closing = await api.post(api.tokens.treasurer, '/years/2020/close', { note: 'na de ledenvergadering' });
  t.equal(closing.statusCode, 201, closing.body);
  t.same(closing.json().files.map((file: { name: string }) => file.name), ['xaf', 'hledger', 'journal.csv', 'journal-nl.csv', 'annual-report.pdf']);

  const shown = await view(api);
  t.equal(shown.status, 'closed');
  t.match(shown.checks, [{ by: /kascommissie/, at: '2021-02-01T10:00:00.000Z', remarks: 'kas klopt', verifies: true }]);
  t.match(shown.approval, { by: /accountant/, at: '2021-02-01T10:00:00.000Z', verifies: true });
  t.match(shown.closing, { by: /treasurer/, at: '2021-03-01T09:00:00.000Z', closedAt: '2021-03-01T09:00:00.000Z' });
  t.same(shown.closing!.files, closing.json().files);
  t.same(shown.history.map((entry) => entry.event), ['checked', 'approved', 'closed']);
  t.equal((await api.get(api.tokens.kascommissie, '/years/2020')).statusCode, 200, 'the kascommissie reads it');
  t.equal((await api.get(api.tokens.treasurer, '/years/2020')).statusCode, 200, 'the treasurer reads it');
  t.equal((await api.get(api.tokens.financier('portaal'), '/years/2020')).statusCode, 403, 'a financier does not');
});

t.test('the order is kept and each step has its role; a refused step writes nothing', async (t) => {
  const { api } = await year2020(t);
  const before = (await api.allEvents()).length;
  assertRefused(t, await api.post(api.tokens.accountant, '/years/2020/approval', {}), 409, 'YEAR_NOT_CHECKED');
  assertRefused(t, await api.post(api.tokens.treasurer, '/years/2020/close', {}), 409, 'YEAR_NOT_APPROVED');
  assertRefused(t, await api.post(api.tokens.kascommissie, '/years/2021/checks', { remarks: 'te vroeg' }), 422, 'YEAR_NOT_ENDED', 'year');
  assertRefused(t, await api.post(api.tokens.accountant, '/years/2020/reopen', { reason: 'x' }), 409, 'YEAR_NOT_CLOSED');
  assertRefused(t, await api.post(api.tokens.accountant, '/years/2020/reopen', {}), 400, 'VALIDATION_FAILED', 'reason');
  t.equal((await api.post(api.tokens.treasurer, '/years/2020/checks', { remarks: 'x' })).statusCode, 403, 'only the kascommissie checks');
  t.equal((await api.post(api.tokens.kascommissie, '/years/2020/approval', {})).statusCode, 403, 'only the accountant approves');
  t.equal((await api.post(api.tokens.accountant, '/years/2020/close', {})).statusCode, 403, 'only the treasurer closes');
  t.equal((await api.post(api.tokens.treasurer, '/years/2020/reopen', { reason: 'x' })).statusCode, 403, 'only the accountant reopens');
  t.equal((await api.allEvents()).length, before, 'nothing written');
});

t.test('reopening (accountant, with a reason) withdraws the approval; closing again is recorded and shown', async (t) => {
  const { api } = await year2020(t);
  await close(api);
  const reopened = await api.post(api.tokens.accountant, '/years/2020/reopen', { reason: 'een factuur van december ontbrak' });
  t.equal(reopened.statusCode, 201, reopened.body);
  let shown = await view(api);
  t.equal(shown.status, 'checked', 'back to checked: the approval is withdrawn');
  t.equal(shown.approval, null);
  t.equal(shown.closing, null);
  assertRefused(t, await api.post(api.tokens.treasurer, '/years/2020/close', {}), 409, 'YEAR_NOT_APPROVED');

  const late = await issue(api, { issueDate: '2020-12-20', lines: [{ description: 'Bijdrage december', amount: '50.00' }] });
  t.equal(late.statusCode, 201, `a reopened year takes writes again: ${late.body}`);

  t.equal((await api.post(api.tokens.accountant, '/years/2020/approval', { note: 'opnieuw goedgekeurd' })).statusCode, 201);
  t.equal((await api.post(api.tokens.treasurer, '/years/2020/close', {})).statusCode, 201);
  shown = await view(api);
  t.equal(shown.status, 'closed');
  t.same(shown.history.map((entry) => entry.event), ['checked', 'approved', 'closed', 'reopened', 'approved', 'closed']);
  t.match(shown.history[3], { event: 'reopened', by: /accountant/, reason: 'een factuur van december ontbrak' });
  assertRefused(t, await issue(api, { issueDate: '2020-12-21' }), 409, 'PERIOD_CLOSED', 'issueDate');
});

t.test('a correction of a closed year is booked in the open year, referring to what it corrects', async (t) => {
  const { api, invoice } = await year2020(t);
  await close(api);
  assertRefused(t, await api.post(api.tokens.treasurer, `/invoices/${invoice}/credit-notes`, { amount: '100.00', reason: 'te veel', issueDate: '2020-12-31' }), 409, 'PERIOD_CLOSED', 'issueDate');
  const credit = await api.post(api.tokens.treasurer, `/invoices/${invoice}/credit-notes`, { amount: '100.00', reason: 'te veel gefactureerd in 2020', issueDate: '2021-01-15' });
  t.equal(credit.statusCode, 201, credit.body);
  const recorded = (await api.allEvents()).at(-1)!;
  t.equal(recorded.type, 'CreditNoteIssued');
  t.match(recorded.data, { invoiceId: invoice, invoiceNumber: '2020-0001', issueDate: '2021-01-15' }, 'dated in 2021, naming the 2020 invoice it corrects');
});

t.test('a write racing the close either commits before the files are cut or is refused: never in the closed year after them', async (t) => {
  for (let round = 0; round < 5; round += 1) {
    const { api } = await year2020(t);
    t.equal((await api.post(api.tokens.kascommissie, '/years/2020/checks', { remarks: 'x' })).statusCode, 201);
    t.equal((await api.post(api.tokens.accountant, '/years/2020/approval', {})).statusCode, 201);
    const [closing, write] = await Promise.all([
      api.post(api.tokens.treasurer, '/years/2020/close', {}),
      api.post(api.tokens.treasurer, '/payments/received', { date: '2020-12-30', amount: '5.00', allocations: [] }),
    ]);
    t.equal(closing.statusCode, 201, closing.body);
    if (write.statusCode === 201) {
      t.ok(BigInt(write.json().position) <= BigInt(closing.json().filesAtPosition), 'the write that won is inside the closed files');
    } else {
      assertRefused(t, write, 409, 'PERIOD_CLOSED');
    }
  }
});

t.test('a write already being decided when the year closes cannot commit after the close: the guard runs inside the append', async (t) => {
  const { api } = await year2020(t);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let decided!: () => void;
  const deciding = new Promise<void>((resolve) => (decided = resolve));
  const spending = { spendingId: '00000000-0000-4000-8000-000000000001', kamerId: 'top', date: '2020-12-30', category: 'A' as const, amount: '1.00', description: 'koffie' };
  const transfer = { transferId: '00000000-0000-4000-8000-000000000002', kamerId: 'top', date: '2020-12-01', month: '2020-12', amount: '10.00' };
  const commands = new CommandHandler(api.store);
  await commands.execute(pettyCashDecider, 'petty-cash-top', () => ({ type: 'TransferPettyCash' as const, transfer, today: '2021-02-01', kamerExists: true }), { actor: 'test' });
  const write = commands.execute(
    pettyCashDecider,
    'petty-cash-top',
    async () => {
      decided();
      await gate; // the year closes while this write is between its decision and its append
      return { type: 'SpendPettyCash' as const, spending, today: '2021-02-01', kamerExists: true };
    },
    { actor: 'test' },
  );
  await deciding;
  await close(api);
  release();
  const outcome = await write.then(
    () => 'committed',
    (error: unknown) => (error instanceof DomainError ? error.code : String(error)),
  );
  t.equal(outcome, 'PERIOD_CLOSED');
  t.notOk((await api.allEvents()).some((event) => event.type === 'PettyCashSpent'), 'the spending was not written');
});
