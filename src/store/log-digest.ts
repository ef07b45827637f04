import { hashesOf, type HashListingStore } from './anchors.js';
import { DigestAccumulator } from './hashing.js';
import { comparePositions } from './port.js';

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** Hashes folded between two yields: a start that digests a long log must not starve the reads. */
const HASHES_PER_TURN = 20_000;

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
