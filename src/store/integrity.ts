import { DigestAccumulator, eventHash, GENESIS_HASH } from './hashing.js';
import { comparePositions, type EventStore, type RecordedEvent } from './port.js';

export type VerifyResult =
  | { readonly ok: true; readonly events: number; readonly lastPosition: string | null; readonly lastHash: string | null; readonly digest: string }
  | {
      readonly ok: false;
      readonly events: number;
      readonly firstBadPosition: string;
      readonly stream: string;
      readonly problem: string;
    };

interface StreamHead {
  revision: number;
  hash: string;
}

/**
 * Recomputes every stream's hash chain from the log alone. Catches a changed byte (the hash no
 * longer matches), a deleted event (on an adapter with contiguous positions the hole it leaves,
 * else the stream's next revision skipping), and a reordering within a stream (revisions out of
 * order), and on SQLite a deleted newest event (the highest position ever assigned is missing). It
cannot see a deleted last event whose author also rewound SQLite's sequence, a swap of
 * events of different streams (chains are per stream), or a rewrite whose author recomputed the
 * later hashes: a digest kept outside the ledger catches those (checkDigest,
 * tests/store/tamper.test.ts).
 */
export async function verifyLog(
  store: EventStore & { positionsAreContiguous?: boolean; highestAssignedPosition?: () => string | undefined },
): Promise<VerifyResult> {
  const heads = new Map<string, StreamHead>();
  const digest = new DigestAccumulator();
  let events = 0;
  let lastPosition: string | null = null;
  let lastHash: string | null = null;
  for await (const event of store.readAll()) {
    const fail = (problem: string): VerifyResult => ({ ok: false, events, firstBadPosition: event.position, stream: event.stream, problem });
    if (store.positionsAreContiguous) {
      const expectedPosition = lastPosition === null ? 1n : BigInt(lastPosition) + 1n;
      if (BigInt(event.position) !== expectedPosition) return fail(`position ${expectedPosition} is missing from the log`);
    }
    const head = heads.get(event.stream);
    const expectedRevision = head ? head.revision + 1 : 0;
    if (event.revision !== expectedRevision) {
      return fail(`revision ${event.revision} follows ${head ? head.revision : 'nothing'} in stream ${event.stream}`);
    }
    const recomputed = eventHash(head?.hash ?? GENESIS_HASH, event);
    if (recomputed !== event.hash) return fail(`hash mismatch: stored ${event.hash}, recomputed ${recomputed}`);
    heads.set(event.stream, { revision: event.revision, hash: event.hash });
    digest.add(event.hash);
    events += 1;
    lastPosition = event.position;
    lastHash = event.hash;
  }
  // A store that remembers the highest position it ever handed out (SQLite's sqlite_sequence)
  // shows a deleted newest event too, unless the attacker also rewound that counter.
  const highest = store.highestAssignedPosition?.();
  if (highest !== undefined && (lastPosition === null || comparePositions(highest, lastPosition) > 0)) {
    return {
      ok: false,
      events,
      firstBadPosition: lastPosition === null ? '1' : String(BigInt(lastPosition) + 1n),
      stream: '',
      problem: `positions up to ${highest} were assigned, but the log ends at ${lastPosition ?? 'nothing'}: the newest events were deleted`,
    };
  }
  return { ok: true, events, lastPosition, lastHash, digest: digest.value };
}

/** The digest of the global sequence of hashes up to and including `position`. */
export async function digestAt(store: EventStore, position: string): Promise<{ digest: string; events: number }> {
  const digest = new DigestAccumulator();
  for await (const event of store.readAll()) {
    if (comparePositions(event.position, position) > 0) break;
    digest.add(event.hash);
  }
  return { digest: digest.value, events: digest.events };
}

/**
 * The digest of the log as it stood at an instant: over the longest prefix of the log whose
 * events were all recorded at or before `knownAt` (an ISO instant). The store stamps recordedAt
 * as it appends, in log order, so that prefix is the log as it was then; the first event recorded
 * later ends it even if a clock set back made a later one look older.
 */
export async function digestKnownAt(store: EventStore, knownAt: Date): Promise<{ position: string; digest: string; events: number }> {
  const digest = new DigestAccumulator();
  let position = '0';
  for await (const event of store.readAll()) {
    if (new Date(event.metadata.recordedAt) > knownAt) break;
    digest.add(event.hash);
    position = event.position;
  }
  return { position, digest: digest.value, events: digest.events };
}

export type DigestCheck =
  | { readonly matches: true; readonly position: string; readonly digest: string; readonly events: number }
  | {
      readonly matches: false;
      readonly position: string;
      /** The digest the accountant kept. */
      readonly expected: string;
      /** The digest the log gives now. */
      readonly digest: string;
      readonly events: number;
      readonly problem: string;
    };

/**
 * Recomputes the digest at `position` and compares it with one the accountant kept. A match proves
 * that the stored hashes up to `position` are the ones the digest was taken over; together with a
 * passing verifyLog (each hash still matches its event) it proves those events are unchanged. It
 * also catches what verifyLog alone cannot: a deleted last event, and a rewrite whose author
 * recomputed every later hash of the stream.
 */
export async function checkDigest(store: EventStore, position: string, expected: string): Promise<DigestCheck> {
  const kept = expected.toLowerCase();
  const now = await digestAt(store, position);
  if (now.digest === kept) return { matches: true, position, digest: now.digest, events: now.events };
  const last = await store.lastPosition();
  const problem =
    last === undefined || comparePositions(last, position) < 0
      ? `the log now ends at position ${last ?? '(empty)'}, before ${position}: events up to ${position} were removed, or the digest belongs to another ledger`
      : `the events up to position ${position} are not the ones the digest was taken over: an event was changed, removed, inserted or reordered`;
  return { matches: false, position, expected: kept, digest: now.digest, events: now.events, problem };
}

export interface AuditPageQuery {
  /** Events strictly after this position; from the start when absent. */
  readonly after?: string;
  readonly limit: number;
  readonly streamPrefix?: string;
  /** Only these event types; every type when absent. */
  readonly types?: ReadonlySet<string>;
  /** Only events recorded at or after this instant. */
  readonly recordedFrom?: Date;
  /** Only events recorded before this instant. */
  readonly recordedBefore?: Date;
}

export interface AuditEntry {
  readonly event: RecordedEvent;
  /**
   * The hash this event chains to: the previous event's hash in its stream, GENESIS_HASH for a
   * stream's first event, null when that previous event is missing from the log (a tampered log:
   * verifyLog names where).
   */
  readonly previousHash: string | null;
}

/**
 * One page of the log in order, filtered, each event with the hash it chains to, so an auditor can
 * check a chain link by link. `next` is the position to pass as `after` for the following page,
 * null when no further event matches. A filter scans the log past events that do not match.
 */
export async function readAuditPage(
  store: EventStore,
  query: AuditPageQuery,
): Promise<{ entries: AuditEntry[]; next: string | null }> {
  const matches = (event: RecordedEvent): boolean =>
    (query.streamPrefix === undefined || event.stream.startsWith(query.streamPrefix)) &&
    (query.types === undefined || query.types.has(event.type)) &&
    (query.recordedFrom === undefined || Date.parse(event.metadata.recordedAt) >= query.recordedFrom.getTime()) &&
    (query.recordedBefore === undefined || Date.parse(event.metadata.recordedAt) < query.recordedBefore.getTime());
  const page: RecordedEvent[] = [];
  let more = false;
  for await (const event of store.readAll(query.after === undefined ? {} : { after: query.after })) {
    if (!matches(event)) continue;
    if (page.length === query.limit) {
      more = true;
      break;
    }
    page.push(event);
  }
  const hashes = await hashesBefore(store, page);
  const entries = page.map((event) => ({
    event,
    previousHash: event.revision === 0 ? GENESIS_HASH : (hashes.get(revisionKey(event.stream, event.revision - 1)) ?? null),
  }));
  return { entries, next: more ? page[page.length - 1]!.position : null };
}

const revisionKey = (stream: string, revision: number): string => `${stream}\u0000${revision}`;

/**
 * The hashes of the events that the page's events chain to. Most are in the page itself (an
 * unfiltered page holds consecutive revisions of each stream); the rest are read with one
 * readStream per stream, from the lowest revision needed up to the highest.
 */
async function hashesBefore(store: EventStore, page: readonly RecordedEvent[]): Promise<Map<string, string>> {
  const hashes = new Map(page.map((event) => [revisionKey(event.stream, event.revision), event.hash]));
  const missing = new Map<string, Set<number>>();
  for (const event of page) {
    if (event.revision === 0 || hashes.has(revisionKey(event.stream, event.revision - 1))) continue;
    const revisions = missing.get(event.stream) ?? new Set<number>();
    revisions.add(event.revision - 1);
    missing.set(event.stream, revisions);
  }
  for (const [stream, revisions] of missing) {
    const highest = Math.max(...revisions);
    for await (const event of store.readStream(stream, Math.min(...revisions))) {
      if (event.revision > highest) break;
      if (revisions.has(event.revision)) hashes.set(revisionKey(stream, event.revision), event.hash);
    }
  }
  return hashes;
}
