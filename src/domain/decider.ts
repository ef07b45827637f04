import type { DomainEvent } from './events.js';

/**
 * The shape of every area's write model. `decide` and `evolve` are pure: time and anything read
 * from other streams arrive inside the command.
 */
export interface Decider<Command, State, Event extends DomainEvent = DomainEvent> {
  readonly name: string;
  readonly initialState: State;
  /** Refuses (throws DomainError) or returns the events that record the command. */
  decide(command: Command, state: State): readonly Event[];
  /** Folds one event of this stream into the state; throws on an event that cannot follow it. */
  evolve(state: State, event: DomainEvent): State;
}

/** Folds a list of events, for tests and for small streams. */
export function foldEvents<State>(decider: Pick<Decider<unknown, State>, 'initialState' | 'evolve'>, events: readonly DomainEvent[]): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState);
}

export function unexpectedEvent(decider: string, event: DomainEvent, why = 'does not belong in this stream'): never {
  throw new Error(`${decider}: ${event.type} ${why}: the stream is corrupt`);
}
