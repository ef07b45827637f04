import { DigestAccumulator, eventHash, GENESIS_HASH } from './hashing.js';
import { comparePositions, type EventStore } from './port.js';

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
 * longer matches), a deleted event (the next one chains to a hash that is gone, or its revision
 * skips), a reordering (revisions out of order), and on an adapter with contiguous positions a
 * deleted last event (a hole in the positions).
 */
export async function verifyLog(store: EventStore & { positionsAreContiguous?: boolean }): Promise<VerifyResult> {
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
