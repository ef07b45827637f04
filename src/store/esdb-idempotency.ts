/**
 * Idempotency-Keys on EventStoreDB, shared by every ledger instance through the node itself.
 *
 * SQLite commits key, answer and events in one transaction. EventStoreDB has no transaction across
 * streams, and the answer names the events' $all positions, which exist only after the commit, so
 * the answer cannot travel in the events' own append. Each key gets its own small stream instead
 * (`ledger-idempotency-<key>`, left out of the ledger's log like system events), holding:
 *
 *   IdempotencyClaimed   written with expected revision "no stream" (or the previous record's
 *                        revision): of two instances deciding the same request, exactly one claims
 *                        the key; only the claimant appends the events.
 *   IdempotencyAnswered  the answer, once the events are committed: every repeat, on any instance,
 *                        gets it.
 *   IdempotencyReleased  the claimant's append was refused (a concurrent writer): nothing was
 *                        written, the key is free again for the retry.
 *
 * A claim without an answer is a claimant still at work, or one that stopped (crashed) between its
 * steps. Whether its events were committed is read from the events' stream, where they carry ids
 * derived from the key: committed, the key is never decided again; not committed and the claim is
 * old, another attempt takes the key over.
 */
import type { StoredResponse } from './port.js';

export const KEY_STREAM_PREFIX = 'ledger-idempotency-';

export const CLAIMED = 'IdempotencyClaimed';
export const ANSWERED = 'IdempotencyAnswered';
export const RELEASED = 'IdempotencyReleased';

export function keyStream(key: string): string {
  return `${KEY_STREAM_PREFIX}${key}`;
}

export interface Claim {
  readonly claimId: string;
  readonly requestHash: string;
  /** The stream the claimant writes to, and its first revision when the key was claimed. */
  readonly stream: string;
  readonly fromRevision: number;
  /** The id of the first event the claimant writes (derived from the key, so the same on every attempt). */
  readonly firstEventId: string;
  /** ISO instant of the claimant's clock; a claim is taken over only long after it. */
  readonly claimedAt: string;
}

/** The newest record of a key's stream, and its revision (the expected revision of the next one). */
export type KeyState =
  | { readonly kind: 'free'; readonly revision: number | 'no-stream' }
  | { readonly kind: 'claimed'; readonly revision: number; readonly claim: Claim }
  | { readonly kind: 'answered'; readonly revision: number; readonly stored: StoredResponse };

/** Reads a key stream's newest record (type and data as the client returns them). */
export function keyStateOf(last: { type: string; data: unknown; revision: number } | undefined): KeyState {
  if (!last) return { kind: 'free', revision: 'no-stream' };
  if (last.type === ANSWERED) return { kind: 'answered', revision: last.revision, stored: last.data as StoredResponse };
  if (last.type === CLAIMED) return { kind: 'claimed', revision: last.revision, claim: last.data as Claim };
  return { kind: 'free', revision: last.revision };
}

/**
 * A claim is taken over only when it is older than every way its claimant could still be sending
 * its events: an append's deadline, with all its retries and resends, plus generous clock skew
 * between instances.
 */
export const CLAIM_TAKEOVER_AFTER_MS = 2 * 60_000;

export function claimIsStale(claim: Claim, now: Date): boolean {
  return now.getTime() - Date.parse(claim.claimedAt) > CLAIM_TAKEOVER_AFTER_MS;
}
