import t from 'tap';
import { join } from 'node:path';
import { CommandHandler } from '../../src/application/command-handler.js';
import type { Decider } from '../../src/domain/decider.js';
import { DomainError } from '../../src/domain/errors.js';
import type { DomainEvent } from '../../src/domain/events.js';
import { IdempotencyKeyTaken } from '../../src/store/port.js';
import { SqliteEventStore } from '../../src/store/sqlite.js';

/** A decider that decides whatever event it is given: stands in for a rule that adds up badly. */
const echo: Decider<DomainEvent, null, DomainEvent> = {
  name: 'echo',
  initialState: null,
  decide: (command) => [command],
  evolve: (state) => state,
};

t.test('an event outside the contract is refused before the append: INVALID_INPUT naming the field, nothing written', async (t) => {
  const store = new SqliteEventStore(join(t.testdir(), 'ledger.db'));
  t.teardown(() => store.close());
  const handler = new CommandHandler(store);
  const tooLarge = {
    type: 'BudgetSet',
    data: { kamerId: 'top', year: 2020, lines: [{ line: 'rent', label: 'Huur', amount: '1.00' }], total: '10000000000000.00' },
  } as DomainEvent;
  const refusal = await handler.execute(echo, 'budget-top-2020', () => tooLarge, { actor: 'test' }).then(
    () => undefined,
    (error: unknown) => error,
  );
  t.ok(refusal instanceof DomainError, 'refused with a DomainError');
  t.match(refusal, { code: 'INVALID_INPUT', field: 'total', message: /BudgetSet this request would record is not valid: total/ });
  t.equal(await store.lastPosition(), undefined, 'the log is still empty');

  const valid = { ...tooLarge, data: { ...tooLarge.data, total: '1.00' } } as DomainEvent;
  const result = await handler.execute(echo, 'budget-top-2020', () => valid, { actor: 'test' });
  t.equal(result.events.length, 1, 'a valid event of the same kind is appended');
});

const budgetSet = (total: string) =>
  ({ type: 'BudgetSet', data: { kamerId: 'top', year: 2020, lines: [{ line: 'rent', label: 'Huur', amount: total }], total } }) as DomainEvent;

t.test('the answer is built inside the append: an answer that cannot be built writes nothing', async (t) => {
  const store = new SqliteEventStore(join(t.testdir(), 'ledger.db'));
  t.teardown(() => store.close());
  const handler = new CommandHandler(store);
  const failure = await handler
    .execute(echo, 'budget-top-2020', () => budgetSet('1.00'), { actor: 'test' }, () => {
      throw new Error('the answer does not match its schema');
    })
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  t.match(failure, { message: 'the answer does not match its schema' });
  t.equal(await store.lastPosition(), undefined, 'nothing was committed');

  const result = await handler.execute(echo, 'budget-top-2020', () => budgetSet('1.00'), { actor: 'test' }, ({ position, events }) => ({
    status: 201,
    body: JSON.stringify({ position, events: events.length }),
  }));
  t.same(JSON.parse(result.answer!.body), { position: result.position, events: 1 }, 'the answer sees the position the events were committed at');
});

t.test('an Idempotency-Key is committed with its answer; a second append with it writes nothing and hands back the first answer', async (t) => {
  const store = new SqliteEventStore(join(t.testdir(), 'ledger.db'));
  t.teardown(() => store.close());
  const handler = new CommandHandler(store);
  const idempotency = { key: 'token-1/key-1', requestHash: 'hash-of-the-request' };
  const answer = ({ position }: { position: string | undefined }) => ({ status: 201, body: JSON.stringify({ position }) });
  const first = await handler.execute(echo, 'budget-top-2020', () => budgetSet('1.00'), { actor: 'test', idempotency }, answer);
  t.same(await store.idempotentResponse(idempotency.key), { requestHash: idempotency.requestHash, status: 201, body: first.answer!.body });

  // Another process (or a retry that overtook a stalled first attempt) decides again and appends.
  const second = await new CommandHandler(store)
    .execute(echo, 'budget-top-2020', () => budgetSet('2.00'), { actor: 'test', idempotency }, answer)
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  t.ok(second instanceof IdempotencyKeyTaken, 'refused as a key already taken');
  t.equal((second as IdempotencyKeyTaken).stored.body, first.answer!.body, 'with the first answer');
  t.equal(await store.lastPosition(), first.position, 'nothing more was written');
});

t.test('events written under an Idempotency-Key get ids derived from it: the same request cannot be stored twice', async (t) => {
  const store = new SqliteEventStore(join(t.testdir(), 'ledger.db'));
  t.teardown(() => store.close());
  const metadata = { actor: 'test', idempotency: { key: 'token-1/key-2', requestHash: 'h' } };
  const first = await new CommandHandler(store).execute(echo, 'budget-top-2020', () => budgetSet('1.00'), metadata);
  const other = await new CommandHandler(store).execute(echo, 'budget-de-klop-2020', () => budgetSet('1.00'), { actor: 'test', idempotency: { key: 'token-1/key-3', requestHash: 'h' } });
  t.not(first.events[0]!.id, other.events[0]!.id, 'another key, another id');
  // Without the answer (so without the key check), only the derived id stands between a retry and a second write.
  const retry = await new CommandHandler(store).execute(echo, 'budget-top-2020', () => budgetSet('1.00'), metadata).then(
    () => undefined,
    (error: unknown) => error,
  );
  t.match(retry, { code: 'SQLITE_CONSTRAINT_UNIQUE' }, 'the second write of the same events is refused by the store');
  t.equal(await store.lastPosition(), other.position);
});

/** Counts the events it has seen, and decides one event that carries the count in its total. */
const counting: Decider<null, number, DomainEvent> = {
  name: 'counting',
  initialState: 0,
  decide: (_command, seen) => [budgetSet(`${seen + 1}.00`)],
  evolve: (seen) => seen + 1,
};

t.test('a command on a stream it names itself (newStream) decides without reading it; if the stream exists after all, the retry reads it', async (t) => {
  const store = new SqliteEventStore(join(t.testdir(), 'ledger.db'));
  t.teardown(() => store.close());
  let reads = 0;
  const readStream = store.readStream.bind(store);
  store.readStream = (stream, from) => {
    reads += 1;
    return readStream(stream, from);
  };
  const handler = new CommandHandler(store);

  const fresh = await handler.execute(counting, 'entry-fresh', () => null, { actor: 'test' }, undefined, undefined, { newStream: true });
  t.equal(reads, 0, 'the empty stream was not queried');
  t.match(fresh.events, [{ revision: 0, data: { total: '1.00' } }], 'decided from the initial state, written as the first event');

  await store.append('entry-taken', [{ type: 'BudgetSet', data: budgetSet('1.00').data, metadata: { recordedBy: 'test' } }], 'no-stream');
  const taken = await handler.execute(counting, 'entry-taken', () => null, { actor: 'test' }, undefined, undefined, { newStream: true });
  t.ok(reads > 0, 'the retry read the stream');
  t.match(taken.events, [{ revision: 1, data: { total: '2.00' } }], "decided again with the stream's event seen, appended after it");
  t.equal(await store.lastPosition(), '3', 'nothing else was written');
});
