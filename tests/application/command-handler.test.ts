import t from 'tap';
import { join } from 'node:path';
import { CommandHandler } from '../../src/application/command-handler.js';
import type { Decider } from '../../src/domain/decider.js';
import { DomainError } from '../../src/domain/errors.js';
import type { DomainEvent } from '../../src/domain/events.js';
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
