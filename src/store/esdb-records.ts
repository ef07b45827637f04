/**
 * Small reads and writes on EventStoreDB that every user of the node needs alike: the ledger's
 * store (its streams and Idempotency-Key records) and the shared token registry and sign-in links
 * (src/auth/esdb-tokens.ts). Each call goes to the leader and rides out passing errors.
 */
import { randomUUID } from 'node:crypto';
import { FORWARDS, jsonEvent, NO_STREAM, type JSONType, type RecordedEvent as EsdbRecordedEvent, type ResolvedEvent } from '@eventstore/db-client';
import type { EsdbClient } from './eventstoredb.js';
import { KEY_STREAM_PREFIX } from './esdb-idempotency.js';
import { collectWithin, isStreamNotFound, isWrongExpectedVersion, retryPassing, type ResiliencePolicy } from './esdb-resilience.js';

/** The shared token registry's stream, and each one-time sign-in link's own (src/auth/esdb-tokens.ts). */
export const TOKENS_STREAM = 'ledger-tokens';
export const LINK_STREAM_PREFIX = 'ledger-signin-link-';

/**
 * The ledger's own bookkeeping streams: kept in the node, never part of the ledger's log (left out
 * of projections, verification and exports like system events).
 */
export const BOOKKEEPING_STREAM_PREFIXES: readonly string[] = [KEY_STREAM_PREFIX, TOKENS_STREAM, LINK_STREAM_PREFIX];

export function isBookkeepingStream(stream: string): boolean {
  return BOOKKEEPING_STREAM_PREFIXES.some((prefix) => stream.startsWith(prefix));
}

/** A stream read: on a deadline, retried while the node is passing through trouble; a missing stream is empty. */
export function readResolvedStream(policy: ResiliencePolicy, operation: string, open: () => ReturnType<EsdbClient['readStream']>): Promise<ResolvedEvent[]> {
  return retryPassing(operation, policy, async () => {
    try {
      return await collectWithin(open(), policy.readDeadlineMs);
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
  });
}

/** Up to `count` events of a stream from `fromRevision` on, read on the leader; none when the stream does not exist. */
export async function readStreamPage(client: EsdbClient, policy: ResiliencePolicy, stream: string, fromRevision: bigint, count: number): Promise<EsdbRecordedEvent[]> {
  const read = await readResolvedStream(policy, `read ${stream}`, () =>
    client.readStream(stream, { fromRevision, direction: FORWARDS, maxCount: count, requiresLeader: true }),
  );
  return read.flatMap((resolved) => (resolved.event ? [resolved.event] : []));
}

/**
 * Appends one bookkeeping record to a stream at an exact revision; false when another writer got
 * there first. Resent after a lost answer: the record's id is fixed, so the server takes the
 * resend as the same write, and a refusal whose cause is the first try itself counts as written.
 */
export async function appendRecordAt(
  client: EsdbClient,
  policy: ResiliencePolicy,
  stream: string,
  record: { readonly type: string; readonly data: unknown },
  after: number | 'no-stream',
): Promise<boolean> {
  const event = jsonEvent({ id: randomUUID(), type: record.type, data: record.data as JSONType });
  const expectedRevision = after === 'no-stream' ? NO_STREAM : BigInt(after);
  return retryPassing(`append to ${stream}`, policy, async () => {
    try {
      await client.appendToStream(stream, event, { expectedRevision, requiresLeader: true, deadline: policy.appendDeadlineMs });
      return true;
    } catch (error) {
      if (!isWrongExpectedVersion(error)) throw error;
      // After a lost answer the first try may be the one in the way: then it is written.
      const [at] = await readStreamPage(client, policy, stream, after === 'no-stream' ? 0n : BigInt(after) + 1n, 1);
      return at?.id === event.id;
    }
  });
}
