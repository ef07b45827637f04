import type { EventStore } from '../store/port.js';
import { isDefaultCut, normalizeCut } from './cut.js';
import { comparePositionStrings, LogReader, type ScanFilter } from './log-reader.js';
import type { Projection, ProjectedEvent, TimeCut } from './projection.js';
import { wantedTypes, type ProjectionRunner, type Snapshot, type StatesOf } from './runner.js';

const PAGE_SIZE = 1_000;

/**
 * The projections as the log stood at one position (inclusive): what a closed year's files are
 * rendered from. A cut by position, not by instant: the runner's `knownAt` cannot separate events
 * recorded in the same millisecond (a fixed test clock records everything at once), and a
 * position names exactly the events a closing saw.
 *
 * Read it like any runner, without a cut (the position is the cut). Each projection is replayed
 * once and kept; projections asked for in the same tick (a report reads five with Promise.all,
 * a closing renders every file at once) share one pass over the log.
 */
export class ProjectionsAtPosition implements ProjectionRunner {
  private readonly states = new Map<string, Promise<unknown>>();
  private pending: Map<string, Projection<unknown>> | undefined;
  private pendingPass: Promise<Map<string, unknown>> | undefined;

  constructor(private readonly store: EventStore, readonly position: string) {}

  async read<S>(projection: Projection<S>, cut?: TimeCut): Promise<S> {
    if (!isDefaultCut(normalizeCut(cut))) throw new Error(`the log at position ${this.position} is read without asOf or knownAt`);
    let state = this.states.get(projection.name);
    if (!state) {
      state = this.joinPass(projection as Projection<unknown>).then((states) => states.get(projection.name));
      this.states.set(projection.name, state);
      // A failed replay (the store was down) is tried again on the next read, not remembered.
      state.catch(() => this.states.delete(projection.name));
    }
    return state as Promise<S>;
  }

  /** Every state is the log at this runner's position, so that is the position they reflect. */
  async readMany<P extends readonly Projection<any>[]>(projections: P, cut?: TimeCut): Promise<Snapshot<P>> {
    const states = await Promise.all(projections.map((projection) => this.read(projection as Projection<unknown>, cut)));
    return { states: states as StatesOf<P>, position: this.position };
  }

  async close(): Promise<void> {
    this.states.clear();
  }

  private joinPass(projection: Projection<unknown>): Promise<Map<string, unknown>> {
    if (!this.pending || !this.pendingPass) {
      const projections = new Map<string, Projection<unknown>>();
      this.pending = projections;
      this.pendingPass = new Promise((resolve, reject) => {
        setImmediate(() => {
          this.pending = undefined;
          this.pendingPass = undefined;
          replayUpTo(this.store, this.position, [...projections.values()]).then(resolve, reject);
        });
      });
    }
    this.pending.set(projection.name, projection);
    return this.pendingPass;
  }
}

/** Folds the log from its start up to `position` (inclusive) into each projection, in one pass. */
async function replayUpTo(store: EventStore, position: string, projections: readonly Projection<unknown>[]): Promise<Map<string, unknown>> {
  const states = projections.map((projection) => projection.initial());
  const reader = new LogReader(store);
  const types = wantedTypes(projections);
  const filter: ScanFilter = types === undefined ? {} : { types };
  const fold = (event: ProjectedEvent): void => {
    if (comparePositionStrings(event.position, position) > 0) return;
    // An event the reader validated on the way but no projection here wants.
    if (types !== undefined && !types.has(event.event.type)) return;
    for (let index = 0; index < projections.length; index += 1) states[index] = projections[index]!.apply(states[index], event);
  };
  let after: string | undefined;
  for (;;) {
    const page = await reader.scan(after, PAGE_SIZE, fold, filter);
    if (page.lastPosition !== undefined) after = page.lastPosition;
    if (page.rowsRead < PAGE_SIZE || (after !== undefined && comparePositionStrings(after, position) >= 0)) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return new Map(projections.map((projection, index) => [projection.name, states[index]]));
}
