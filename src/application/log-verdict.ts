/**
 * The log's verification as GET /years/:year shows it (does each check and approval still
 * verify?), kept between reads while nothing written can have changed.
 *
 * The read used to verify the whole log (every hash chain) and fold the digest up to each check
 * and approval on every request: seconds on a million events, for a page the kascommissie and
 * the accountant reload. Now one verification is kept under the store's `integrityVersion`,
 * which any change to a written event or running digest moves (another connection's commit, or
 * an UPDATE or DELETE on the service's own), and appends do not: an append cannot change what
 * was verified before it. With it, the running digests are checked against the stored hashes
 * (`checkRunningDigests`), so that a digest at a position up to the verified head is one row
 * lookup instead of a fold. A store without the token (EventStoreDB) is verified on every read,
 * as before; a position past the verified head is verified again.
 */
import { verifyLog, type VerifyResult } from '../store/integrity.js';
import { checkRunningDigests } from '../store/log-digest.js';
import { comparePositions, type EventStore, type RunningDigests } from '../store/port.js';

export interface LogVerdict {
  readonly log: VerifyResult;
  /** The log's last position when it was verified. */
  readonly head: string | undefined;
  /** The stored running digests, when they matched the hashes up to `head`: a digest at or before it is a lookup. */
  readonly digests?: RunningDigests;
}

const kept = new WeakMap<EventStore, { readonly token: string; readonly verdict: LogVerdict }>();

/**
 * The log's verdict covering at least `through` (the highest position a caller will ask about):
 * the kept one when the store's integrity token has not moved since it was made and it reaches
 * that far, else a new one (which is kept when nothing changed while it was made).
 */
export async function logVerdict(store: EventStore, through: string | undefined): Promise<LogVerdict> {
  const token = store.integrityVersion?.();
  const held = token === undefined ? undefined : kept.get(store);
  if (held !== undefined && held.token === token && reaches(held.verdict, through)) return held.verdict;
  const head = await store.lastPosition();
  const log = await verifyLog(store);
  const digests = store.runningDigests !== undefined && (await checkRunningDigests(store.runningDigests)).ok ? store.runningDigests : undefined;
  const verdict: LogVerdict = { log, head, ...(digests === undefined ? {} : { digests }) };
  if (token !== undefined && store.integrityVersion?.() === token) kept.set(store, { token, verdict });
  return verdict;
}

function reaches(verdict: LogVerdict, through: string | undefined): boolean {
  return through === undefined || (verdict.head !== undefined && comparePositions(through, verdict.head) <= 0);
}

/** The digest at `position` from the checked running digests, or undefined where the verdict cannot tell it by a lookup. */
export function digestByLookup(verdict: LogVerdict, position: string): string | undefined {
  if (verdict.digests === undefined || !reaches(verdict, position)) return undefined;
  return verdict.digests.at(position);
}
