/**
 * An in-memory stand-in for the EventStoreDB client, for the tests that need no node. It keeps
 * the server's documented behaviour that the adapter relies on, read off the client (v6) and the
 * server docs:
 * - an append is atomic and checked against the expected revision (WrongExpectedVersionError
 *   with the actual revision); resending the same event ids at the same expected revision after
 *   they were written succeeds without writing again (the server's idempotent append);
 * - $all positions are byte offsets (strictly increasing, with gaps); a forward read from a
 *   position includes the event at that position;
 * - reading a stream that does not exist fails with StreamNotFoundError, as a stream error;
 * - system events ($-streams, $-types) sit in $all between the ledger's events.
 * Faults fail a call the way the real client does, with the client's own error classes: an
 * append that commits and then answers DeadlineExceeded, a follower's NotLeader, Unavailable, a
 * read that never ends.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  DeadlineExceededError,
  NotLeaderError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type EventData,
  type Position,
} from '@eventstore/db-client';
import type { EsdbClient } from '../../src/store/eventstoredb.js';

interface StoredEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly isJson: true;
  readonly created: Date;
  readonly position: Position;
}

/** What the next matching call does instead of (or after) its normal work. */
export type Fault =
  /** The append is committed, then the answer is lost (the call throws). */
  | { readonly kind: 'commit-then-fail'; readonly error: () => Error }
  /** The call fails before anything is written or read. */
  | { readonly kind: 'fail'; readonly error: () => Error }
  /**
   * The append's answer is lost at once, and the append itself lands late: right after the next
   * read has been answered (the adapter's read-back sees nothing, then the write commits).
   */
  | { readonly kind: 'lands-late'; readonly error: () => Error }
  /** The read never sends anything and never ends (a hung node). */
  | { readonly kind: 'hang' };

interface ArmedFault {
  readonly call: 'append' | 'read';
  /** Only calls on this stream ('$all' for readAll); any stream when absent. */
  readonly stream?: string;
  readonly fault: Fault;
}

/** A gRPC ServiceError as @grpc/grpc-js gives it to the client's error classes. */
function serviceError(code: number, details: string, metadata: Record<string, string> = {}) {
  return {
    code,
    details,
    message: `${code} ${details}`,
    metadata: { getMap: () => metadata },
  } as unknown as ConstructorParameters<typeof UnavailableError>[0];
}

export const clientErrors = {
  deadline: () => new DeadlineExceededError(serviceError(4, 'DEADLINE_EXCEEDED: Deadline exceeded')),
  unavailable: () => new UnavailableError(serviceError(14, 'UNAVAILABLE: No connection established')),
  notLeader: () =>
    new NotLeaderError(
      serviceError(5, 'NOT_FOUND: Leader info available', { exception: 'not-leader', 'leader-endpoint-host': 'node2', 'leader-endpoint-port': '2113' }) as never,
    ),
};

export class FakeEsdbClient implements EsdbClient {
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly log: StoredEvent[] = [];
  private nextPosition = 1000n;
  private readonly faults: ArmedFault[] = [];
  private landLate: (() => void) | undefined;
  /** Every append call that reached the "server", with its stream, for "how many writes" checks. */
  readonly appendCalls: string[] = [];
  /** Every read call, with its stream ('$all' for readAll): the round trips a write costs. */
  readonly readCalls: string[] = [];

  /** Arms a fault for the next call of that kind (on that stream, when given). Faults fire in order. */
  failNext(call: 'append' | 'read', fault: Fault, stream?: string): this {
    this.faults.push({ call, fault, ...(stream === undefined ? {} : { stream }) });
    return this;
  }

  /** A system event at the end of $all, as the node writes when stream metadata is set. */
  appendSystemEvent(about: string): void {
    this.write(`$$${about}`, [{ id: randomUUID(), type: '$metadata', data: { maxAge: 1 }, metadata: undefined }]);
  }

  async appendToStream(streamName: string, events: EventData | EventData[], options: { expectedRevision?: AppendExpectedRevision } = {}) {
    this.appendCalls.push(streamName);
    const batch = Array.isArray(events) ? events : [events];
    const fault = this.takeFault('append', streamName);
    if (fault?.kind === 'fail') throw fault.error();
    if (fault?.kind === 'lands-late') {
      this.landLate = () => this.appendChecked(streamName, batch, options.expectedRevision ?? 'any');
      throw fault.error();
    }
    const written = this.appendChecked(streamName, batch, options.expectedRevision ?? 'any');
    if (fault?.kind === 'commit-then-fail') throw fault.error();
    const last = written[written.length - 1]!;
    return { success: true as const, nextExpectedRevision: last.revision, position: last.position };
  }

  readStream(streamName: string, options: { fromRevision?: bigint | 'start' | 'end'; direction?: string; maxCount?: number | bigint } = {}) {
    this.readCalls.push(streamName);
    const fault = this.takeFault('read', streamName);
    return this.respond(fault, () => {
      const events = this.streams.get(streamName);
      if (!events) throw new StreamNotFoundError(undefined as never, streamName);
      const backwards = options.direction === 'backwards';
      const from = options.fromRevision ?? (backwards ? 'end' : 'start');
      const ordered = backwards ? [...events].reverse() : events;
      const selected = ordered.filter((event) => {
        if (from === 'start' || from === 'end') return true;
        return backwards ? event.revision <= from : event.revision >= from;
      });
      return selected.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER));
    }) as unknown as ReturnType<EsdbClient['readStream']>;
  }

  readAll(options: { fromPosition?: Position | 'start' | 'end'; direction?: string; maxCount?: number | bigint } = {}) {
    this.readCalls.push('$all');
    const fault = this.takeFault('read', '$all');
    return this.respond(fault, () => {
      const backwards = options.direction === 'backwards';
      const from = options.fromPosition ?? (backwards ? 'end' : 'start');
      const ordered = backwards ? [...this.log].reverse() : this.log;
      const selected = ordered.filter((event) => {
        if (from === 'start' || from === 'end') return true;
        return backwards ? event.position.commit <= from.commit : event.position.commit >= from.commit;
      });
      return selected.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER));
    }) as unknown as ReturnType<EsdbClient['readAll']>;
  }

  async dispose(): Promise<void> {}

  /** Every stored event, system ones included, in log order. */
  allStored(): readonly StoredEvent[] {
    return this.log;
  }

  private takeFault(call: 'append' | 'read', stream: string): Fault | undefined {
    const index = this.faults.findIndex((armed) => armed.call === call && (armed.stream === undefined || armed.stream === stream));
    if (index < 0) return undefined;
    return this.faults.splice(index, 1)[0]!.fault;
  }

  private appendChecked(streamName: string, batch: readonly EventData[], expected: AppendExpectedRevision): StoredEvent[] {
    const existing = this.streams.get(streamName) ?? [];
    const current = existing.length === 0 ? undefined : BigInt(existing.length - 1);
    if (typeof expected === 'bigint') {
      // The server's idempotent append: the same ids right after the expected revision are the same write.
      const already = existing.slice(Number(expected) + 1, Number(expected) + 1 + batch.length);
      if (already.length === batch.length && already.every((event, index) => event.id === batch[index]!.id)) return already;
    }
    const matches =
      expected === 'any' ||
      (expected === 'no_stream' && current === undefined) ||
      (expected === 'stream_exists' && current !== undefined) ||
      (typeof expected === 'bigint' && current === expected);
    if (!matches) {
      throw new WrongExpectedVersionError(undefined, { streamName, current: current ?? 'no_stream', expected } as never);
    }
    return this.write(streamName, batch);
  }

  private write(streamName: string, batch: readonly Pick<EventData, 'id' | 'type' | 'data' | 'metadata'>[]): StoredEvent[] {
    const existing = this.streams.get(streamName) ?? [];
    const written = batch.map((event, index): StoredEvent => {
      const size = BigInt(JSON.stringify(event.data).length + 120);
      const position = { commit: this.nextPosition, prepare: this.nextPosition };
      this.nextPosition += size;
      return {
        streamId: streamName,
        id: event.id,
        revision: BigInt(existing.length + index),
        type: event.type,
        // The server hands JSON back as parsed JSON: a copy, never the object the caller holds.
        data: JSON.parse(JSON.stringify(event.data)) as unknown,
        metadata: event.metadata === undefined ? undefined : (JSON.parse(JSON.stringify(event.metadata)) as unknown),
        isJson: true,
        created: new Date(),
        position,
      };
    });
    this.streams.set(streamName, [...existing, ...written]);
    this.log.push(...written);
    return written;
  }

  /** A read as the client returns it: a stream of resolved events, or one that errors, or one that hangs. */
  private respond(fault: Fault | undefined, select: () => StoredEvent[]): Readable & { cancel(): Promise<void> } {
    const read = new Readable({ objectMode: true, read() {} }) as Readable & { cancel(): Promise<void> };
    read.cancel = async () => {};
    if (fault?.kind === 'hang') return read;
    setImmediate(() => {
      try {
        if (fault?.kind === 'fail') throw fault.error();
        for (const event of select()) read.push({ event });
        read.push(null);
        const late = this.landLate;
        this.landLate = undefined;
        late?.();
      } catch (error) {
        read.destroy(error as Error);
      }
    });
    return read;
  }
}
