import { hashesOf, HASHES_PER_TURN, yieldToEventLoop, type HashListingStore } from './anchors.js';
import { DigestAccumulator, GENESIS_HASH, nextDigest } from './hashing.js';
import { comparePositions, type RunningDigests } from './port.js';


/**
 * The digest of the log up to a position (integrity.ts's `digestAt`, the same value), folded
 * forward: asking for a later position reads only the hashes since the last one asked. A
 * checkpoint's digest costs what was appended since the previous checkpoint, not the whole log.
 */
export class LogDigestCursor {
  private digest = new DigestAccumulator();
  private position: string | undefined;

  constructor(private readonly store: HashListingStore) {}

  /** The digest at `position`; folds from the start again when asked for an earlier one. */
  async at(position: string): Promise<string> {
    if (this.position !== undefined && comparePositions(position, this.position) < 0) {
      this.digest = new DigestAccumulator();
      this.position = undefined;
    }
    if (this.position === position) return this.digest.value;
    let folded = 0;
    for await (const { position: next, hash } of hashesOf(this.store, this.position)) {
      if (comparePositions(next, position) > 0) break;
      this.digest.add(hash);
      this.position = next;
      folded += 1;
      if (folded % HASHES_PER_TURN === 0) await yieldToEventLoop();
    }
    // A position past the log's end leaves the cursor at the end: its digest is of fewer events.
    return this.digest.value;
  }
}

export type RunningDigestCheck =
  | { readonly ok: true; readonly checked: number }
  | { readonly ok: false; readonly checked: number; readonly position: string; readonly stored: string | null; readonly recomputed: string; readonly problem: string };

/**
 * Recomputes the running digest at every event from the stored hashes and compares it with the
 * one the store kept (port.ts RunningDigests): the first that differs or is missing is reported.
 * A start trusts the stored digests to check a checkpoint; this is what keeps that honest.
 */
export async function checkRunningDigests(digests: RunningDigests): Promise<RunningDigestCheck> {
  let digest = GENESIS_HASH;
  let checked = 0;
  for await (const row of digests.readAll()) {
    digest = nextDigest(digest, row.hash);
    if (row.digest !== digest) {
      const problem = row.digest === undefined ? 'no running digest is stored for it' : 'the stored running digest is not the digest of the hashes up to it';
      return { ok: false, checked, position: row.position, stored: row.digest ?? null, recomputed: digest, problem };
    }
    checked += 1;
  }
  return { ok: true, checked };
}
