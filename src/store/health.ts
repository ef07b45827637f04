import { describeOpenFailure } from './faults.js';
import { eventHash, GENESIS_HASH } from './hashing.js';
import type { EventStore } from './port.js';

/** What the store may offer beyond the port for a start check (SQLite does). */
export interface CheckableStore extends EventStore {
  readonly positionsAreContiguous?: boolean;
  quickCheck?(maxProblems?: number): Promise<string[]>;
  fileSizeBytes?(): number;
}

export interface StartCheckResult {
  readonly ok: boolean;
  /** Empty when ok; else what failed, for /health and the log. */
  readonly problems: readonly string[];
  /** How many of the newest events were re-hashed. */
  readonly tailEvents: number;
  /** Skipped when the file is larger than the bound (it reads the whole file). */
  readonly quickCheck: 'passed' | 'failed' | 'skipped' | 'not available';
  readonly durationMs: number;
}

export interface StartCheckOptions {
  /** How many of the newest events to re-hash against their stored hashes. */
  readonly tailEvents: number;
  /**
   * quick_check reads the whole file (measured: about 0.3 s per 100 MB), so start-up is bounded by
   * skipping it on larger files; the tail check still runs.
   */
  readonly quickCheckMaxBytes?: number;
}

type QuickCheck = StartCheckResult['quickCheck'];

async function runQuickCheck(store: CheckableStore, maxBytes: number | undefined): Promise<{ outcome: QuickCheck; problems: string[] }> {
  if (!store.quickCheck) return { outcome: 'not available', problems: [] };
  if (maxBytes !== undefined && (store.fileSizeBytes?.() ?? 0) > maxBytes) return { outcome: 'skipped', problems: [] };
  const problems = (await store.quickCheck()).map((line) => `the file's structure check failed: ${line}`);
  return { outcome: problems.length === 0 ? 'passed' : 'failed', problems };
}

/**
 * The check made once at start: SQLite's structural check of the file, then the newest events
 * re-hashed against their stored hashes. A changed byte in the file shows here instead of as
 * failing requests while /health says ok.
 */
export async function checkStoreAtStart(store: CheckableStore, options: StartCheckOptions): Promise<StartCheckResult> {
  const started = performance.now();
  const problems: string[] = [];
  let tailEvents = 0;
  let quickCheck: QuickCheck = 'not available';
  try {
    const structure = await runQuickCheck(store, options.quickCheckMaxBytes);
    quickCheck = structure.outcome;
    problems.push(...structure.problems);
    if (problems.length === 0) {
      const tail = await checkTail(store, options.tailEvents);
      tailEvents = tail.events;
      problems.push(...tail.problems);
    }
  } catch (error) {
    problems.push(`the store could not be read: ${describeOpenFailure(error)}`);
  }
  return { ok: problems.length === 0, problems, tailEvents, quickCheck, durationMs: Math.round(performance.now() - started) };
}

/**
 * Re-hashes the newest `count` events, each against the previous hash of its own stream (read from
 * the window itself, or from the stream when its predecessor is older). Positions must be
 * contiguous to find the window cheaply: on other stores the tail check is skipped.
 */
async function checkTail(store: CheckableStore, count: number): Promise<{ events: number; problems: string[] }> {
  const last = await store.lastPosition();
  if (last === undefined || count === 0 || !store.positionsAreContiguous) return { events: 0, problems: [] };
  const after = BigInt(last) - BigInt(count);
  const hashes = new Map<string, string>();
  let events = 0;
  for await (const event of store.readAll(after > 0n ? { after: after.toString() } : {})) {
    const previous = event.revision === 0 ? GENESIS_HASH : (hashes.get(key(event.stream, event.revision - 1)) ?? (await hashAt(store, event.stream, event.revision - 1)));
    if (previous === undefined) return { events, problems: [`position ${event.position}: the event before it in stream ${event.stream} is missing`] };
    if (eventHash(previous, event) !== event.hash) {
      return { events, problems: [`position ${event.position} (stream ${event.stream}): the stored hash no longer matches the event; run verify`] };
    }
    hashes.set(key(event.stream, event.revision), event.hash);
    events += 1;
  }
  return { events, problems: [] };
}

const key = (stream: string, revision: number): string => `${stream}\u0000${revision}`;

async function hashAt(store: EventStore, stream: string, revision: number): Promise<string | undefined> {
  for await (const event of store.readStream(stream, revision)) return event.revision === revision ? event.hash : undefined;
  return undefined;
}

export type HealthAnswer = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * What GET /health asks on every call: did the start check pass, and can the store still be read
 * (one cheap read, bounded by a timeout so a hung disk answers 503 instead of hanging the probe).
 */
export class StoreHealth {
  /** The start check's result; 'running' while a start check given as a promise has not ended. */
  private startCheck: StartCheckResult | 'running' | undefined;

  /**
   * `startCheck` may still be running (the service starts answering before its start check of a
   * large file ends): until it ends, /health answers 503 "still running", as it would have
   * refused connections before.
   */
  constructor(
    private readonly store: EventStore,
    startCheck?: StartCheckResult | Promise<StartCheckResult>,
    private readonly timeoutMs = 1000,
  ) {
    if (!(startCheck instanceof Promise)) {
      this.startCheck = startCheck;
      return;
    }
    this.startCheck = 'running';
    startCheck.then(
      (result) => (this.startCheck = result),
      (error: unknown) => {
        this.startCheck = undefined;
        this.recordDamage(`the start check could not run: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  /** The first damage a request met (a corrupt page, an event that does not parse): reported until a restart. */
  private damage: string | undefined;

  /**
   * A request met damage the start check could not see (it re-hashes only the newest events):
   * from now on /health says so, so that a load balancer stops routing to this instance.
   */
  recordDamage(reason: string): void {
    this.damage ??= reason;
  }

  async check(): Promise<HealthAnswer> {
    if (this.startCheck === 'running') return { ok: false, reason: 'the start check of the store is still running' };
    if (this.startCheck && !this.startCheck.ok) {
      return { ok: false, reason: `the start check of the store failed: ${this.startCheck.problems.join('; ')}` };
    }
    if (this.damage !== undefined) return { ok: false, reason: `a request found the store damaged: ${this.damage}` };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
    });
    try {
      const answer = await Promise.race([this.store.lastPosition().then(() => 'read' as const), timeout]);
      return answer === 'read' ? { ok: true } : { ok: false, reason: `the store did not answer a read within ${this.timeoutMs} ms` };
    } catch (error) {
      return { ok: false, reason: `the store cannot be read: ${describeOpenFailure(error)}` };
    } finally {
      clearTimeout(timer);
    }
  }
}
