import type { DomainEventType } from '../domain/events.js';
import type { EventStore } from '../store/port.js';
import { CheckpointKeeper, type CheckpointOptions } from './checkpoints.js';
import { isDefaultCut, isInCut, normalizeCut, type NormalizedCut } from './cut.js';
import { businessDayNumber, comparePositionStrings, LogReader, UNKNOWN_BUSINESS_DAY, type ScanFilter } from './log-reader.js';
import { LruCache } from './lru.js';
import type { Projection, ProjectedEvent, TimeCut } from './projection.js';

/**
 * Answers projection reads. A projection is identified by its `name` (unique per runner).
 *
 * - Default cut (no asOf, no knownAt): the state lives in memory and catches up from the last
 *   applied position on every read, so a read costs one empty page query when nothing changed.
 * - A cut with asOf and/or knownAt: the log is replayed through the cut (cached, see below).
 *
 * The returned state is shared and mutated in place by later catch-ups: read it synchronously
 * after the `await` (turn it into an answer in the same tick) and never modify it.
 */
export interface ProjectionRunner {
  read<S>(projection: Projection<S>, cut?: TimeCut): Promise<S>;
  /**
   * Several states that reflect one position of the log, and that position: the last event folded
   * into them (EMPTY_LOG before the first), or for a cut the head the cut was replayed at. Taken in
   * one synchronous step, so no catch-up page lands between the states.
   */
  readMany<P extends readonly Projection<any>[]>(projections: P, cut?: TimeCut, options?: ReadOptions): Promise<Snapshot<P>>;
  /**
   * The live states (no cut) at once, when nothing is left to read, as `readMany` would answer
   * them; undefined otherwise (ask `readMany`). Lets the hot reads answer without a promise.
   */
  readManyNow?<P extends readonly Projection<any>[]>(projections: P): Snapshot<P> | undefined;
  close(): Promise<void>;
}

export type StatesOf<P extends readonly Projection<any>[]> = { -readonly [K in keyof P]: P[K] extends Projection<infer S> ? S : never };

export interface Snapshot<P extends readonly Projection<any>[]> {
  readonly states: StatesOf<P>;
  readonly position: string;
}

export interface ReadOptions {
  /**
   * `wait` (default): the states include every event recorded before the read (a command's
   * checks, and read-your-writes). `answer-now`: when a long catch-up is folding (a start from a
   * checkpoint, a bulk import), answer from the states as folded so far, at the position they
   * reflect, instead of waiting behind it. Only for reads that tell the client that position.
   */
  readonly duringCatchUp?: 'wait' | 'answer-now';
}

export interface ProjectionRunnerOptions {
  /** Events read per page of the log. */
  readonly pageSize?: number;
  /** How many (projection, cut) results the replay cache keeps. */
  readonly cutCacheEntries?: number;
  /** Projections caught up together from the first default read, so one pass fills them all. */
  readonly projections?: readonly Projection<unknown>[];
  /**
   * Start live projections from stored checkpoints and save new ones (the service only: the
   * accountant's replay must fold everything itself).
   */
  readonly checkpoints?: CheckpointOptions;
  /**
   * Pages a catch-up pass folds before it counts as long: from then on `answer-now` reads stop
   * waiting for it. Shorter passes (the events of the last moments) are awaited by every read.
   */
  readonly longCatchUpPages?: number;
  /**
   * The log up to this position is checked against the event contract by someone else (the
   * accountant's replay validates it in a worker thread, log-validation.ts): the reader folds it
   * unchecked, and checks only what lies beyond.
   */
  readonly validatedElsewhereThrough?: string;
  /**
   * The runner reads the log once and is closed (the replay's worker): the reader keeps no index
   * of business dates for later "as of" passes, 4 bytes an event that would grow with the log.
   */
  readonly onePass?: boolean;
  /** What the reader checks itself where the log is trusted, or leaves to another thread (LogReaderOptions). */
  readonly typesCheckedHere?: ReadonlySet<string>;
  readonly typesCheckedElsewhere?: ReadonlySet<string>;
}

/** Small pages keep the raw rows of a page from outliving young-generation collections. */
const DEFAULT_PAGE_SIZE = 1_000;
/** Each entry is one projection state at one cut (receivables at a million events: ~33 MB). */
const DEFAULT_CUT_CACHE_ENTRIES = 4;
/** Five pages: 5,000 events, about a second of writes at full speed, is still awaited. */
const DEFAULT_LONG_CATCH_UP_PAGES = 5;

/**
 * One projection's in-memory state and the position of the last event folded into it. `offer`
 * skips an event at or below that position, so a redelivered event (a page read twice, a
 * subscription that restarts) is never counted twice.
 */
export class LiveProjection<S> {
  state: S;
  lastApplied: string | undefined;
  /** Caught up with the log once (or loaded from a checkpoint): its state is a usable answer while it folds on. */
  current = false;

  constructor(readonly projection: Projection<S>) {
    this.state = projection.initial();
  }

  /** Folds the event in unless it was already applied; true when it was applied now. */
  offer(event: ProjectedEvent): boolean {
    if (this.lastApplied !== undefined && comparePositionStrings(event.position, this.lastApplied) <= 0) return false;
    this.state = this.projection.apply(this.state, event);
    this.lastApplied = event.position;
    return true;
  }
}

/** Replays of one cut requested in the same tick share one pass over the log. */
interface PendingCutPass {
  readonly projections: Map<string, Projection<unknown>>;
  readonly result: Promise<Map<string, CutState>>;
}

/** A projection's state replayed through a cut, and the head of the log it was replayed at. */
interface CutState {
  readonly state: unknown;
  readonly position: string;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class LogProjectionRunner implements ProjectionRunner {
  private readonly reader: LogReader;
  private readonly pageSize: number;
  private readonly live = new Map<string, LiveProjection<unknown>>();
  /** Every projection read so far, by name: the caches key by name, so a name means one projection. */
  private readonly known = new Map<string, Projection<unknown>>();
  /** The catch-up now reading the log, and the one that runs after it (joined by every read that arrives meanwhile). */
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private readonly cutCache: LruCache<CutState>;
  private readonly pendingCutPasses = new Map<string, PendingCutPass>();
  private readonly checkpoints: CheckpointKeeper | undefined;
  /** Live projections already offered their checkpoint (once each: after that they fold on). */
  private readonly checkpointTried = new Set<string>();
  /** The projections checkpointed: those given at construction (a journal joined later would make a huge one). */
  private readonly checkpointed: ReadonlySet<string>;
  private closed = false;
  private readonly longCatchUpPages: number;
  /**
   * The `answer-now` reads waiting for their catch-up, each released by whichever comes first: its
   * catch-up, or a pass turning out long. A set each read leaves when released, not one promise
   * raced by every read: a promise that stays pending keeps a reaction per `Promise.race` for as
   * long as it stays pending (no pass turns long in steady state), which grew the heap by about
   * 250 bytes a read and made V8's major collections, tens of milliseconds each, frequent.
   */
  private readonly answerNowWaiters = new Set<() => void>();
  private longPassRunning = false;
  /** The store's log version when the last complete pass began: unchanged since, and every projection current, means nothing to read. */
  private caughtUpAtVersion: string | undefined;
  /** The projections the reads waiting for the next pass need (taken when that pass begins). */
  private readonly wanted = new Set<string>();
  /** Set when a pass left checkpoints undecoded: the next pass decodes and folds every projection. */
  private loadEveryCheckpoint = false;

  constructor(store: EventStore, options: ProjectionRunnerOptions = {}) {
    const { typesCheckedHere, typesCheckedElsewhere } = options;
    this.reader = new LogReader(store, { onePass: options.onePass === true, typesCheckedHere, typesCheckedElsewhere });
    this.checkpoints = options.checkpoints ? new CheckpointKeeper(store, options.checkpoints) : undefined;
    this.checkpointed = new Set((options.projections ?? []).map((projection) => projection.name));
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.cutCache = new LruCache(options.cutCacheEntries ?? DEFAULT_CUT_CACHE_ENTRIES);
    this.longCatchUpPages = options.longCatchUpPages ?? DEFAULT_LONG_CATCH_UP_PAGES;
    if (options.validatedElsewhereThrough !== undefined) this.reader.trustValidatedThrough(options.validatedElsewhereThrough);
    for (const projection of options.projections ?? []) this.liveFor(projection);
  }

  async read<S>(projection: Projection<S>, cut?: TimeCut): Promise<S> {
    const snapshot = await this.readMany([projection] as const, cut);
    return snapshot.states[0];
  }

  async readMany<P extends readonly Projection<any>[]>(projections: P, cut?: TimeCut, options: ReadOptions = {}): Promise<Snapshot<P>> {
    if (this.closed) throw new Error('the projection runner is closed');
    for (const projection of projections) this.remember(projection as Projection<unknown>);
    const normalized = normalizeCut(cut);
    if (!isDefaultCut(normalized)) {
      const read = await Promise.all(projections.map((projection) => this.readAtCut(projection as Projection<unknown>, normalized)));
      return { states: read.map((entry) => entry.state) as StatesOf<P>, position: lowestOf(read.map((entry) => entry.position)) };
    }
    const current = this.caughtUpSnapshot(projections);
    if (current) return current;
    for (const projection of projections) {
      this.liveFor(projection as Projection<unknown>);
      this.wanted.add(projection.name);
    }
    const caughtUp = this.catchUp();
    if (options.duringCatchUp === 'answer-now') {
      if (!this.longPassRunning) await this.untilCaughtUpOrLong(caughtUp);
      const now = this.liveSnapshot(projections, true);
      // Not awaited: the pass's failure is the next read's to report (catchUp marks it handled).
      if (now) return now;
    }
    await caughtUp;
    const snapshot = this.liveSnapshot(projections, false);
    if (!snapshot) throw new Error(`a projection of ${projections.map((projection) => projection.name).join(', ')} failed while catching up; it is rebuilt on the next read`);
    return snapshot;
  }

  readManyNow<P extends readonly Projection<any>[]>(projections: P): Snapshot<P> | undefined {
    if (this.closed) return undefined;
    for (const projection of projections) this.remember(projection as Projection<unknown>);
    return this.caughtUpSnapshot(projections);
  }

  /**
   * The live states when there is nothing to read: no pass running or queued, no checkpoint left
   * to decode, the log's version the one of the last complete pass, and these projections current.
   * What a queued pass would find (catchUpAll's first check), without queueing one: the hot reads
   * ask this thousands of times a second, and each queued pass is a chain of promises.
   */
  private caughtUpSnapshot<P extends readonly Projection<any>[]>(projections: P): Snapshot<P> | undefined {
    if (this.running !== undefined || this.queued !== undefined || this.loadEveryCheckpoint) return undefined;
    const version = this.reader.logVersion();
    if (version === undefined || version !== this.caughtUpAtVersion) return undefined;
    for (const projection of projections) if (this.live.get(projection.name)?.current !== true) return undefined;
    return this.liveSnapshot(projections, false);
  }

  /** Resolves when `caughtUp` does or a pass turns out long (`releaseAnswerNowReads`); rejects when `caughtUp` does. */
  private untilCaughtUpOrLong(caughtUp: Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const release = (): void => {
        this.answerNowWaiters.delete(release);
        resolve();
      };
      this.answerNowWaiters.add(release);
      caughtUp.then(release, (error: unknown) => {
        this.answerNowWaiters.delete(release);
        reject(error);
      });
    });
  }

  /**
   * The live states of these projections with their position, or undefined when one is missing
   * (dropped after a failure) or, `onlyConsistent`, when they are not all current at one position
   * (mid-pass, a projection started from an older checkpoint is still behind the others).
   */
  private liveSnapshot<P extends readonly Projection<any>[]>(projections: P, onlyConsistent: boolean): Snapshot<P> | undefined {
    const lives = projections.map((projection) => this.live.get(projection.name));
    if (lives.some((live) => live === undefined)) return undefined;
    const present = lives as LiveProjection<unknown>[];
    const position = present[0]?.lastApplied;
    if (onlyConsistent && present.some((live) => !live.current || live.lastApplied !== position)) return undefined;
    return { states: present.map((live) => live.state) as StatesOf<P>, position: lowestPosition(present) ?? EMPTY_LOG };
  }

  async close(): Promise<void> {
    this.closed = true;
    await (this.queued ?? this.running)?.catch(() => undefined);
    // What was folded since the last checkpoint is kept for the next start.
    await this.saveCheckpoints(true).catch(() => undefined);
    this.cutCache.clear();
    this.live.clear();
  }

  private remember(projection: Projection<unknown>): void {
    const existing = this.known.get(projection.name);
    if (existing && existing !== projection) throw new Error(`two different projections are named ${projection.name}`);
    this.known.set(projection.name, projection);
  }

  private liveFor<S>(projection: Projection<S>): LiveProjection<S> {
    this.remember(projection as Projection<unknown>);
    const existing = this.live.get(projection.name);
    if (existing) return existing as LiveProjection<S>;
    const created = new LiveProjection(projection);
    this.live.set(projection.name, created as LiveProjection<unknown>);
    return created;
  }

  /**
   * Catch-ups are serialised: one reads the log at a time, so no event is applied twice by two
   * concurrent reads. A read that arrives while one runs joins the next (not the running one,
   * which may have passed the events that read must see).
   */
  private catchUp(): Promise<void> {
    if (this.queued) return this.queued;
    const previous = this.running ?? Promise.resolve();
    const next: Promise<void> = previous
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        this.running = next;
        return this.catchUpAll();
      })
      .finally(() => {
        if (this.running === next) this.running = undefined;
      });
    // Handled once here rather than by each read that answers before the pass ends (answer-now):
    // a handler per read would be kept on the promise for as long as a long pass runs.
    next.catch(() => undefined);
    this.queued = next;
    return next;
  }

  /**
   * One pass from the lowest last-applied position: each event is parsed once and offered to
   * every live projection. A projection whose checkpoint is still to be decoded joins only a pass
   * a read of it waits for: a start's first read decodes just the states it reads (the room
   * budget: not the receivables, the largest), and the pass that follows decodes the others.
   */
  private async catchUpAll(): Promise<void> {
    const wanted = new Set(this.wanted);
    this.wanted.clear();
    const every = this.loadEveryCheckpoint;
    this.loadEveryCheckpoint = false;
    const live = [...this.live.values()];
    let projections = every ? live : live.filter((candidate) => wanted.has(candidate.projection.name) || !this.checkpointPending(candidate));
    if (projections.length === 0) return this.decodeTheOthersNext();
    // Read before the pass: an event committed during it moves the version, so the next read scans again.
    const version = this.reader.logVersion();
    if (version !== undefined && version === this.caughtUpAtVersion && projections.every((live) => live.current)) {
      if (projections.length < live.length) this.decodeTheOthersNext();
      return;
    }
    // Until this pass completes nothing is known caught up: one that fails midway may have loaded a
    // checkpoint (its projection then `current` at an older position) or folded part of the log.
    this.caughtUpAtVersion = undefined;
    await this.startFromCheckpoints(projections);
    if (projections.length < live.length && lowestPosition(projections) === undefined) {
      // This pass folds from the start of the log anyway (no usable checkpoint): the others ride
      // along, from their own checkpoints where they have one, rather than take a second pass.
      projections = live;
      await this.startFromCheckpoints(projections);
    }
    if (projections.length < live.length) this.decodeTheOthersNext();
    let after = lowestPosition(projections);
    const offer = (event: ProjectedEvent): void => {
      for (const live of projections) this.offerOrDrop(live, event);
    };
    try {
      for (let pages = 1; ; pages += 1) {
        const page = await this.reader.scan(after, this.pageSize, offer);
        if (page.rowsRead < this.pageSize) break;
        after = page.lastPosition;
        if (pages === this.longCatchUpPages) this.releaseAnswerNowReads();
        await yieldToEventLoop();
      }
      for (const live of projections) live.current = true;
      this.caughtUpAtVersion = version;
    } finally {
      this.longPassRunning = false;
    }
    await this.saveCheckpoints(false);
  }

  /** True while this projection's stored checkpoint is still to be looked at (and decoded). */
  private checkpointPending(live: LiveProjection<unknown>): boolean {
    const name = live.projection.name;
    return this.checkpoints !== undefined && live.lastApplied === undefined && this.checkpointed.has(name) && !this.checkpointTried.has(name);
  }

  /** A pass right after this one decodes the checkpoints this one left, whether or not a read asks. */
  private decodeTheOthersNext(): void {
    this.loadEveryCheckpoint = true;
    setImmediate(() => {
      // Not awaited: a failure is the next read's to report.
      if (!this.closed) this.catchUp().catch(() => undefined);
    });
  }

  /** From now until the pass ends, `answer-now` reads take the states as folded so far. */
  private releaseAnswerNowReads(): void {
    this.longPassRunning = true;
    for (const release of [...this.answerNowWaiters]) release();
  }

  /**
   * A new live projection starts from its newest usable checkpoint, once. The events up to it
   * were validated by the process that folded it, and the digest proves they are these events,
   * so the reader need not validate them again.
   */
  private async startFromCheckpoints(projections: readonly LiveProjection<unknown>[]): Promise<void> {
    if (!this.checkpoints) return;
    for (const live of projections) {
      if (live.lastApplied !== undefined || !this.checkpointed.has(live.projection.name) || this.checkpointTried.has(live.projection.name)) continue;
      this.checkpointTried.add(live.projection.name);
      const loaded = await this.checkpoints.load(live.projection);
      if (!loaded) continue;
      live.state = loaded.state;
      live.lastApplied = loaded.position;
      live.current = true;
    }
    const lowest = lowestPosition(projections);
    if (lowest !== undefined) this.reader.trustValidatedThrough(lowest);
  }

  /** After a catch-up: a checkpoint of every live projection once enough was folded since the last (or at close, when anything was). */
  private async saveCheckpoints(closing: boolean): Promise<void> {
    if (!this.checkpoints) return;
    const projections = [...this.live.values()].filter((live) => this.checkpointed.has(live.projection.name));
    const position = lowestPosition(projections);
    if (position === undefined || !(closing ? this.checkpoints.hasNewSince(position) : this.checkpoints.isDue(position))) return;
    await this.checkpoints.save(projections);
  }

  private offerOrDrop(live: LiveProjection<unknown>, event: ProjectedEvent): void {
    try {
      live.offer(event);
    } catch (error) {
      // Half-applied: forget it so the next read rebuilds it from zero, and let the caller see why.
      if (this.live.get(live.projection.name) === live) this.live.delete(live.projection.name);
      throw error;
    }
  }

  private async readAtCut(projection: Projection<unknown>, cut: NormalizedCut): Promise<CutState> {
    const cutKey = `${cut.asOf ?? ''}|${cut.knownAt ?? ''}`;
    const sealed = this.cutCache.get(cacheKey(projection.name, cutKey, SEALED));
    if (sealed !== undefined) return sealed;
    const head = (await this.reader.lastPosition()) ?? EMPTY_LOG;
    const atHead = this.cutCache.get(cacheKey(projection.name, cutKey, head));
    if (atHead !== undefined) return atHead;
    const states = await this.joinCutPass(cutKey, cut, projection);
    return states.get(projection.name)!;
  }

  private joinCutPass(cutKey: string, cut: NormalizedCut, projection: Projection<unknown>): Promise<Map<string, CutState>> {
    let pending = this.pendingCutPasses.get(cutKey);
    if (!pending) {
      const projections = new Map<string, Projection<unknown>>();
      const result = new Promise<Map<string, CutState>>((resolve, reject) => {
        setImmediate(() => {
          this.pendingCutPasses.delete(cutKey);
          this.replayThroughCut(cutKey, cut, [...projections.values()]).then(resolve, reject);
        });
      });
      pending = { projections, result };
      this.pendingCutPasses.set(cutKey, pending);
    }
    pending.projections.set(projection.name, projection);
    return pending.result;
  }

  /**
   * Replays the log through a cut (the whole log, or one business year's part of it). The result is cached under the log's head position
   * (the same log always gives the same answer); when `knownAt` lies before the newest
   * recordedAt, no later event can enter the cut, so it is cached for good ("sealed").
   */
  private async replayThroughCut(cutKey: string, cut: NormalizedCut, projections: Projection<unknown>[]): Promise<Map<string, CutState>> {
    const states = projections.map((projection) => projection.initial());
    let after: string | undefined;
    let newestRecordedAt = '';
    const asOfDay = cut.asOf === undefined ? undefined : businessDayNumber(cut.asOf);
    const admitsDay = dayFilterOf(projections);
    const filter: ScanFilter = {
      types: wantedTypes(projections),
      // isInCut on what the reader knows before parsing: recordedAt, and the business date it
      // remembered from validating the event (unknown and undated ones are parsed and judged below).
      admits: (recordedAt, businessDay, type) => {
        if (recordedAt > newestRecordedAt) newestRecordedAt = recordedAt;
        if (cut.knownAt !== undefined && recordedAt > cut.knownAt) return false;
        if (asOfDay !== undefined && businessDay > asOfDay) return false;
        // A day no projection of the pass reacts to (an unknown day is parsed and judged by apply).
        return businessDay === UNKNOWN_BUSINESS_DAY || admitsDay(type, businessDay);
      },
    };
    // Projections of one business year read only its events and the undated ones. Those rows
    // end before the log does, so such a pass folds the log up to a head it read ('0': empty):
    // when its rows are read, it reads the head again and goes on to it if the log grew, so the
    // pass ends at the head as it is then (where a caller reads other states at the same
    // position). A whole-log pass simply reads to the end.
    const year = onlyBusinessYear(projections);
    let through = year === undefined ? undefined : ((await this.reader.lastPosition()) ?? '0');
    const fold = (event: ProjectedEvent): void => {
      if (through !== undefined && comparePositionStrings(event.position, through) > 0) return;
      if (event.recordedAt > newestRecordedAt) newestRecordedAt = event.recordedAt;
      if (!isInCut(event, cut)) return;
      for (let index = 0; index < projections.length; index += 1) {
        states[index] = projections[index]!.apply(states[index], event);
      }
    };
    for (;;) {
      const page =
        year === undefined ? await this.reader.scan(after, this.pageSize, fold, filter) : await this.reader.scanBusinessYear(year, after, this.pageSize, fold, filter);
      // Rows past `through` were not folded: a later extension of the pass reads them again.
      if (page.lastPosition !== undefined) after = through !== undefined && comparePositionStrings(page.lastPosition, through) > 0 ? through : page.lastPosition;
      if (page.rowsRead < this.pageSize || (through !== undefined && after === through)) {
        if (through === undefined) break;
        const head = (await this.reader.lastPosition()) ?? '0';
        if (head === through) break;
        through = head;
      }
      await yieldToEventLoop();
    }
    // Events skipped by type did not show their recordedAt; only a cut before a recordedAt seen can seal.
    const isSealed = cut.knownAt !== undefined && cut.knownAt < sealingLimit(newestRecordedAt);
    const result = new Map<string, CutState>();
    const position = (through === undefined ? after : through === '0' ? undefined : through) ?? EMPTY_LOG;
    projections.forEach((projection, index) => {
      const entry = { state: states[index], position };
      result.set(projection.name, entry);
      this.cutCache.set(cacheKey(projection.name, cutKey, isSealed ? SEALED : position), entry);
    });
    return result;
  }
}

const SEALED = 'sealed';

/**
 * recordedAt is stamped by the clock of the instance that wrote the event (on EventStoreDB, several
 * instances, before the commit): an instance whose clock lags can still commit an event with a
 * recordedAt before the newest one seen. A cut is sealed only when knownAt lies this far before the
 * newest recordedAt, more than any clock skew NTP leaves between the instances.
 */
export const CLOCK_SKEW_MARGIN_MS = 5 * 60_000;

function sealingLimit(newestRecordedAt: string): string {
  const newest = Date.parse(newestRecordedAt);
  return Number.isNaN(newest) ? '' : new Date(newest - CLOCK_SKEW_MARGIN_MS).toISOString();
}
/** The position of a state no event was folded into. */
export const EMPTY_LOG = 'empty';

function cacheKey(projection: string, cutKey: string, version: string): string {
  return `${projection}\u0000${cutKey}\u0000${version}`;
}

/** The event types any of the projections needs, or undefined when one of them needs all. */
export function wantedTypes(projections: readonly Projection<unknown>[]): ReadonlySet<string> | undefined {
  const wanted = new Set<string>();
  for (const projection of projections) {
    if (projection.eventTypes === undefined) return undefined;
    for (const type of projection.eventTypes) wanted.add(type);
  }
  return wanted;
}

/** The business year every one of the projections is confined to (Projection.businessYear), or undefined. */
function onlyBusinessYear(projections: readonly Projection<unknown>[]): number | undefined {
  const year = projections[0]?.businessYear;
  return year !== undefined && projections.every((projection) => projection.businessYear === year) ? year : undefined;
}

type DayTest = (day: number, type: DomainEventType) => boolean;

const EVERY_DAY: DayTest = () => true;

/**
 * Whether any projection of a pass that wants an event of this type admits its business day
 * (a projection without `admitsBusinessDay` admits every day of the types it wants).
 */
export function dayFilterOf(projections: readonly Projection<unknown>[]): (type: string, day: number) => boolean {
  const everyType: DayTest[] = [];
  const byType = new Map<string, DayTest[]>();
  for (const projection of projections) {
    const test = projection.admitsBusinessDay ?? EVERY_DAY;
    if (projection.eventTypes === undefined) everyType.push(test);
    else for (const type of projection.eventTypes) byType.set(type, [...(byType.get(type) ?? []), test]);
  }
  return (type, day) => {
    for (const test of everyType) if (test(day, type as DomainEventType)) return true;
    for (const test of byType.get(type) ?? []) if (test(day, type as DomainEventType)) return true;
    return false;
  };
}

/** The lowest of some positions (EMPTY_LOG below every other). */
function lowestOf(positions: readonly string[]): string {
  let lowest: string | undefined;
  for (const position of positions) {
    if (position === EMPTY_LOG) return EMPTY_LOG;
    if (lowest === undefined || comparePositionStrings(position, lowest) < 0) lowest = position;
  }
  return lowest ?? EMPTY_LOG;
}

/** Where a catch-up must start: the lowest last-applied position, or the beginning if any projection is new. */
function lowestPosition(projections: readonly LiveProjection<unknown>[]): string | undefined {
  let lowest: string | undefined;
  for (const live of projections) {
    if (live.lastApplied === undefined) return undefined;
    if (lowest === undefined || comparePositionStrings(live.lastApplied, lowest) < 0) lowest = live.lastApplied;
  }
  return lowest;
}
