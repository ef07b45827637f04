/**
 * Given/when/then for deciders: given([events]).when(command).then([events]) or .thenFails(CODE).
 */
import type { Test } from 'tap';
import type { Decider } from '../../src/domain/decider.js';
import { DomainError, type DomainErrorCode } from '../../src/domain/errors.js';
import type { DomainEvent } from '../../src/domain/events.js';

export function specFor<Command, State, Event extends DomainEvent>(t: Test, decider: Decider<Command, State, Event>) {
  return {
    given(history: readonly DomainEvent[]) {
      const state = history.reduce((folded, event) => decider.evolve(folded, event), decider.initialState);
      return {
        when(command: Command) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: readonly Event[] | ((events: readonly Event[]) => void)) {
              const events = run();
              if (typeof expected === 'function') expected(events);
              else t.same(events, expected);
              // Whatever was decided must fold back into a valid state.
              events.reduce((folded, event) => decider.evolve(folded, event), state);
              return events;
            },
            thenFails(code: DomainErrorCode, field?: string) {
              try {
                run();
                t.fail(`expected ${code}, but the command was accepted`);
              } catch (error) {
                if (!(error instanceof DomainError)) throw error;
                t.equal(error.code, code, `refused with ${code}`);
                if (field !== undefined) t.equal(error.field, field, `names the field ${field}`);
              }
            },
          };
        },
      };
    },
  };
}
