import type { EventStore } from '../store/port.js';
import { isInCut, normalizeCut, type NormalizedCut } from './cut.js';
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
 * Read it like any runner, without `knownAt` (the position is the cut); an `asOf` cut is applied
 * on top (one year's journal reads the log through the year's end). Each projection is replayed
 * once and kept; projections asked for in the same tick (a report reads five with Promise.all,
 * a closing renders every file at once) share one pass over the log.
 */
export class ProjectionsAtPosition implements ProjectionRunner {
  private readonly states = new Map<string, Promise<unknown>>();
  private pending: Map<string, PositionRead> | undefined;
  private pendingPass: Promise<Map<string, unknown>> | undefined;

  constructor(private readonly store: EventStore, readonly position: string) {}

  async read<S>(projection: Projection<S>, cut?: TimeCut): Promise<S> {
    const normalized = normalizeCut(cut);
    if (normalized.knownAt !== undefined) throw new Error(`the log at position ${this.position} is read without knownAt`);
    const key = `${projection.name}\u0000${normalized.asOf ?? ''}`;
    let state = this.states.get(key);
    if (!state) {
      state = this.joinPass({ key, projection: projection as Projection<unknown>, cut: normalized }).then((states) => states.get(key));
      this.states.set(key, state);
      // A failed replay (the store was down) is tried again on the next read, not remembered.
      state.catch(() => this.states.delete(key));
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

  private joinPass(read: PositionRead): Promise<Map<string, unknown>> {
    if (!this.pending || !this.pendingPass) {
      const projections = new Map<string, PositionRead>();
      this.pending = projections;
      this.pendingPass = new Promise((resolve, reject) => {
        setImmediate(() => {
          this.pending = undefined;
          this.pendingPass = undefined;
          replayUpTo(this.store, this.position, [...projections.values()]).then(resolve, reject);
        });
      });
    }
    this.pending.set(read.key, read);
    return this.pendingPass;
  }
}

/** A projection asked for, at an `asOf` cut or none (the position cuts the rest). */
interface PositionRead {
  /** The projection's name and cut: one state per pair. */
  readonly key: string;
  readonly projection: Projection<unknown>;
  readonly cut: NormalizedCut;
}

/** Folds the log from its start up to `position` (inclusive) into each projection, each through its cut, in one pass. */
async function replayUpTo(store: EventStore, position: string, reads: readonly PositionRead[]): Promise<Map<string, unknown>> {
  const states = reads.map((read) => read.projection.initial());
  const reader = new LogReader(store);
  const types = wantedTypes(reads.map((read) => read.projection));
  const filter: ScanFilter = types === undefined ? {} : { types };
  const fold = (event: ProjectedEvent): void => {
    if (comparePositionStrings(event.position, position) > 0) return;
    // An event the reader validated on the way but no projection here wants.
    if (types !== undefined && !types.has(event.event.type)) return;
    for (let index = 0; index < reads.length; index += 1) {
      const read = reads[index]!;
      if (isInCut(event, read.cut)) states[index] = read.projection.apply(states[index], event);
    }
  };
  let after: string | undefined;
  for (;;) {
    const page = await reader.scan(after, PAGE_SIZE, fold, filter);
    if (page.lastPosition !== undefined) after = page.lastPosition;
    if (page.rowsRead < PAGE_SIZE || (after !== undefined && comparePositionStrings(after, position) >= 0)) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return new Map(reads.map((read, index) => [read.key, states[index]]));
}
