import { hash as oneShotHash } from 'node:crypto';
import type { EventMetadata } from './port.js';

/** The hash a stream's first event chains to. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every depth, so the same event always hashes the same whatever
 * order its properties were built in, on any adapter. `undefined` properties are dropped, as
 * JSON.stringify does.
 *
 * Built by appending to one string, without the arrays of entries, filters and joins a shorter
 * version makes: every write hashes its events (and an Idempotency-Key request its body) with it.
 * Its output is the stored hashes' definition and must never change: tests/store/hashing.test.ts
 * holds it equal to that shorter version on any JSON value.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let json = '[';
    for (let index = 0; index < value.length; index += 1) {
      if (index > 0) json += ',';
      const item: unknown = value[index];
      json += item === undefined ? 'null' : canonicalJson(item);
    }
    return `${json}]`;
  }
  const record = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as `<` does on strings.
  const keys = Object.keys(record).sort();
  let json = '{';
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (json.length > 1) json += ',';
    json += `${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${json}}`;
}

export interface HashableEvent {
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

/** hash = SHA-256(previous hash in the stream ‖ canonical JSON of stream, revision, type, data, metadata). */
export function eventHash(previousHash: string, event: HashableEvent): string {
  const body = canonicalJson({
    stream: event.stream,
    revision: event.revision,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
  });
  // One call over the joined text: the same bytes as three update()s (hex, a newline and a whole
  // string join without splitting a character), without a Hash object per event.
  return oneShotHash('sha256', `${previousHash}\n${body}`, 'hex');
}

/**
 * Folds the global sequence of event hashes into one short string. An accountant who keeps the
 * digest at a position can later prove that nothing up to that position changed.
 */
export class DigestAccumulator {
  private current = GENESIS_HASH;
  private count = 0;

  add(hash: string): void {
    this.current = nextDigest(this.current, hash);
    this.count += 1;
  }

  get value(): string {
    return this.current;
  }

  get events(): number {
    return this.count;
  }
}

/** One step of the log digest: d_i = SHA-256(d_{i-1} ‖ h_i), both as hex (DigestAccumulator folds it). */
export function nextDigest(previous: string, hash: string): string {
  return oneShotHash('sha256', previous + hash, 'hex');
}
