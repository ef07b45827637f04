/**
 * Checkpoints of the service's read projections, so a start folds only what came after the
 * newest one instead of the whole log (docs/projections.md, "Checkpoints").
 *
 * A checkpoint is used only when its version is this code's and the digest of the log up to its
 * position is the digest it was saved with: another ledger, a changed event, or projection code
 * that folds differently all make it be ignored, and the projection is folded from an older
 * checkpoint or from the start. The accountant's `replay` never uses them (it is the independent
 * recomputation); `verify` recomputes every stored one from the log (`recomputeCheckpoints`).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LogDigestCursor } from '../store/log-digest.js';
import { comparePositions, type CheckpointEntry, type CheckpointTable, type EventStore, type RunningDigests } from '../store/port.js';
import { LogReader } from './log-reader.js';
import type { Projection } from './projection.js';
import { decodeState, encodeState, stateText } from './state-codec.js';

export type CheckpointEvent =
  | { readonly kind: 'loaded'; readonly projection: string; readonly position: string; readonly digestMs: number; readonly decodeMs: number }
  | { readonly kind: 'ignored'; readonly projection: string; readonly position: string; readonly reason: string }
  | { readonly kind: 'saved'; readonly projection: string; readonly position: string };

export interface CheckpointOptions {
  readonly table: CheckpointTable;
  /** This code's version (`projectionCodeVersion()`); tests give their own. */
  readonly version: string;
  /** Save once this many positions were folded since the last checkpoint. */
  readonly every?: number;
  /** Checkpoints kept per projection: an older one is the fallback when the newest does not match. */
  readonly keep?: number;
  /** Told what was loaded, ignored (and why) and saved: the service logs it. */
  readonly report?: (event: CheckpointEvent) => void;
}

const DEFAULT_EVERY = 50_000;
const DEFAULT_KEEP = 2;

/** What a projection holder hands over to be saved: the projection, its state, its position. */
export interface CheckpointSubject {
  readonly projection: Projection<unknown>;
  readonly state: unknown;
  readonly lastApplied: string | undefined;
}

export class CheckpointKeeper {
  private readonly digests: LogDigestCursor;
  private readonly runningDigests: RunningDigests | undefined;
  private lastSaved: bigint | undefined;
  private readonly every: bigint;

  constructor(
    store: EventStore,
    private readonly options: CheckpointOptions,
  ) {
    this.digests = new LogDigestCursor(store);
    this.runningDigests = store.runningDigests;
    this.every = BigInt(options.every ?? DEFAULT_EVERY);
  }

  /** The newest stored checkpoint of this projection that this code may use on this log. */
  async load<S>(projection: Projection<S>): Promise<{ state: S; position: string } | undefined> {
    for (const stored of this.options.table.list(projection.name, this.options.version)) {
      const started = performance.now();
      const digest = await this.digestAt(stored.position);
      const checked = performance.now();
      if (digest !== stored.digest) {
        this.options.report?.({ kind: 'ignored', projection: projection.name, position: stored.position, reason: 'the log up to its position is not the log it was taken of' });
        continue;
      }
      const state = this.decode<S>(stored);
      if (state === undefined) continue;
      const timings = { digestMs: round(checked - started), decodeMs: round(performance.now() - checked) };
      this.options.report?.({ kind: 'loaded', projection: projection.name, position: stored.position, ...timings });
      this.noteSaved(stored.position);
      return { state, position: stored.position };
    }
    return undefined;
  }

  /**
   * The checkpoint's state, or undefined (reported) when it is gone or cannot be decoded: V8's
   * format, written by a newer Node than this one, say. The fallback is the next older one.
   */
  private decode<S>(stored: CheckpointEntry): S | undefined {
    const ignored = (reason: string): undefined => {
      this.options.report?.({ kind: 'ignored', projection: stored.projection, position: stored.position, reason });
      return undefined;
    };
    const bytes = this.options.table.stateOf(stored);
    if (bytes === undefined) return ignored('it was pruned while being loaded');
    try {
      return decodeState<S>(bytes);
    } catch (error) {
      return ignored(`its state cannot be decoded (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /**
   * The digest of the log up to `position`: the one the store keeps for it when it keeps running
   * digests (one lookup), else folded from the hashes. Trusting the stored one is safe for a
   * cache: it was written in the transaction that appended the event, events are never updated,
   * and `verify` recomputes every stored running digest (docs/projections.md, "Checkpoints").
   */
  private async digestAt(position: string): Promise<string> {
    return this.runningDigests?.at(position) ?? (await this.digests.at(position));
  }

  /** True when `position` is far enough past the last checkpoint to save another. */
  isDue(position: string): boolean {
    return this.lastSaved === undefined || BigInt(position) - this.lastSaved >= this.every;
  }

  /** True when `position` is past the last checkpoint loaded or saved. */
  hasNewSince(position: string): boolean {
    return this.lastSaved === undefined || BigInt(position) > this.lastSaved;
  }

  /**
   * Saves every subject at its position. The states are encoded before the first await: the
   * runner folds into them in place, and a checkpoint must be of one moment.
   */
  async save(subjects: readonly CheckpointSubject[]): Promise<void> {
    const encoded = subjects
      .filter((subject) => subject.lastApplied !== undefined)
      .map((subject) => ({ projection: subject.projection.name, position: subject.lastApplied!, state: encodeState(subject.state) }));
    const createdAt = new Date().toISOString();
    for (const { projection, position, state } of encoded) {
      const digest = await this.digestAt(position);
      this.options.table.save({ projection, version: this.options.version, position, digest, state, createdAt }, this.options.keep ?? DEFAULT_KEEP);
      this.options.report?.({ kind: 'saved', projection, position });
      this.noteSaved(position);
    }
  }

  private noteSaved(position: string): void {
    const saved = BigInt(position);
    if (this.lastSaved === undefined || saved > this.lastSaved) this.lastSaved = saved;
  }
}

/** Written next to the modules by `npm start`'s build (tools/build-dist.mjs): the version of the sources they were compiled from. */
export const CODE_VERSION_FILE = 'projection-code-version.txt';

/**
 * The version of the projection code: a digest of the modules the states are folded by (this
 * folder and the domain's), read from the running build. Any change to them makes every stored
 * checkpoint another version's, so a state folded by old code is never taken for a new one.
 *
 * Compiled by `npm start`'s build, the modules carry the version of the sources they were
 * compiled from (CODE_VERSION_FILE): the service then has the version of the CLI run by tsx from
 * those sources, so `verify` judges the service's checkpoints. Elsewhere (tsx, the Docker image's
 * tsc build) it digests the running modules themselves.
 */
export function projectionCodeVersion(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  // dist/projections/checkpoints.js finds it one folder up; the service's bundle dist/service.cjs beside it.
  const recorded = [join(here, '..', CODE_VERSION_FILE), join(here, CODE_VERSION_FILE)].find((candidate) => existsSync(candidate));
  if (recorded !== undefined) return readFileSync(recorded, 'utf8').trim();
  // A bundle has no modules beside it to digest: its build writes the file last, so a build that
  // stopped before that left it out.
  if (!existsSync(join(here, '..', 'domain'))) throw new Error(`${join(here, CODE_VERSION_FILE)} is missing (the build stopped before writing it): run \`node tools/build-dist.mjs\` again`);
  return codeVersionOf(here);
}

/** The digest of the modules in `projections` and its sibling `domain` folder. */
export function codeVersionOf(projections: string): string {
  const hash = createHash('sha256');
  for (const folder of [projections, join(projections, '..', 'domain')]) {
    for (const file of readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort()) {
      if (!/\.(ts|tsx|js)$/.test(file)) continue;
      hash.update(file).update('\0').update(readFileSync(join(folder, file))).update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

export type CheckpointCheck =
  | { readonly projection: string; readonly version: string; readonly position: string; readonly outcome: 'matches' }
  | { readonly projection: string; readonly version: string; readonly position: string; readonly outcome: 'differs' | 'other-version' | 'unknown-projection' | 'digest-differs'; readonly problem: string };

/**
 * Recomputes every stored checkpoint from the log: its digest, and the state the projection
 * folds up to its position, compared by content (`stateText`), not as stored bytes. A checkpoint
 * of another code version or of a projection this build does not know cannot be recomputed: it is
 * named, not judged (the service never loads it either).
 */
export async function recomputeCheckpoints(store: EventStore, projections: readonly Projection<unknown>[], version: string): Promise<CheckpointCheck[]> {
  const table = store.checkpoints;
  if (!table) return [];
  const digests = new LogDigestCursor(store);
  const checks: CheckpointCheck[] = [];
  for (const stored of table.all()) {
    const base = { projection: stored.projection, version: stored.version, position: stored.position };
    const projection = projections.find((candidate) => candidate.name === stored.projection);
    if (stored.version !== version) {
      checks.push({ ...base, outcome: 'other-version', problem: `made by other projection code (version ${stored.version}, this build ${version}): never loaded` });
    } else if (!projection) {
      checks.push({ ...base, outcome: 'unknown-projection', problem: `no projection named ${stored.projection} in this build` });
    } else if ((await digests.at(stored.position)) !== stored.digest) {
      checks.push({ ...base, outcome: 'digest-differs', problem: 'the log up to its position is not the log it was taken of: never loaded' });
    } else {
      const recomputed = stateText(await foldUpTo(store, projection, stored.position));
      const storedText = textOfStored(stored.state);
      checks.push(
        recomputed === storedText
          ? { ...base, outcome: 'matches' }
          : { ...base, outcome: 'differs', problem: storedText === undefined ? 'its state cannot be decoded: never loaded' : 'its state is not what the log folds to at its position' },
      );
    }
  }
  return checks;
}

/** A stored state's content as text (state-codec.ts `stateText`), or undefined when it cannot be decoded. */
function textOfStored(bytes: Uint8Array): string | undefined {
  try {
    return stateText(decodeState(bytes));
  } catch {
    return undefined;
  }
}

/** One projection folded from the start of the log up to and including `position`. */
async function foldUpTo<S>(store: EventStore, projection: Projection<S>, position: string): Promise<S> {
  const reader = new LogReader(store);
  const pageSize = 1_000;
  let state = projection.initial();
  let after: string | undefined;
  let reached = false;
  while (!reached) {
    const page = await reader.scan(after, pageSize, (event) => {
      if (comparePositions(event.position, position) > 0) reached = true;
      else state = projection.apply(state, event);
    });
    if (page.rowsRead < pageSize || page.lastPosition === undefined) break;
    after = page.lastPosition;
  }
  return state;
}

/** Milliseconds to one decimal, for the start timings the service logs. */
function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
