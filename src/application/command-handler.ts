import { DomainError, refuse } from '../domain/errors.js';
import type { Decider } from '../domain/decider.js';
import { DomainEventSchema, parseDomainEvent, type DomainEvent } from '../domain/events.js';
import { v5 as nameBasedUuid } from 'uuid';
import { bothGuards, closedYearsGuard } from './closed-years.js';
import { RecencyCache } from '../store/recency-cache.js';
import { ConcurrencyError, type AppendGuard, type EventStore, type ExpectedRevision, type RecordedEvent, type StoredResponse } from '../store/port.js';

/** Who asked, and the request's bookkeeping that goes into every event's metadata. */
export interface CommandMetadata {
  /** The authenticated subject, written as `recordedBy`. */
  readonly actor: string;
  readonly idempotencyKey?: string;
  /**
   * The request's Idempotency-Key as the store keeps it (scoped to the caller's token) and the
   * request's hash: kept with the events, in the same commit, with the answer.
   */
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
  readonly correlationId?: string;
  /** Why (a correction's reason, an import's source); shown in the audit history. */
  readonly reason?: string;
}

export interface CommandResult<State> {
  readonly events: readonly RecordedEvent[];
  /** Global position of the last event written (or of the stream's head when nothing was written). */
  readonly position: string | undefined;
  readonly state: State;
  /** The answer built by the caller's `answer` function: inside the append when something was written. */
  readonly answer?: StoredResponse;
}

/**
 * Builds a write's answer from what it wrote. It runs inside the append (see `AppendAnswer`), so
 * an answer that cannot be built writes nothing, and an answer once committed is the answer.
 */
export type AnswerBuilder<State> = (result: Omit<CommandResult<State>, 'answer'>) => { readonly status: number; readonly body: string };

/** Namespace of the name-based (v5) UUIDs of events written under an Idempotency-Key. */
const IDEMPOTENT_EVENT_NAMESPACE = '6f1c2f4e-8a57-4f0b-9d2a-3c1e5b7a9d10';

interface CachedState {
  revision: number | 'no-stream';
  state: unknown;
}

const MAX_CACHED_STREAMS = 10_000;

export interface ExecuteOptions {
  /**
   * The stream's name was made up by this command (a fresh random id), so the stream has no events
   * and its first decision needs no read: the query for an empty stream was 3-4% of a volunteer-hours
   * write's CPU. Still safe if the stream did exist: the append expects 'no-stream', fails with a
   * ConcurrencyError, and the retry reads the stream as every other command does.
   */
  readonly newStream?: boolean;
}
const DEFAULT_MAX_ATTEMPTS = 20;

/**
 * Runs a command the one way every writer does: load the stream's state, decide, append with the
 * revision that state was read at. A concurrent writer makes the append fail with a
 * ConcurrencyError; then it re-reads, re-decides (the rule sees the other writer's events) and
 * tries again, a bounded number of times, before answering CONCURRENT_CHANGE.
 *
 * States are cached per decider and stream at the revision they were folded to, so a command
 * reads only the events appended since: the receivables stream is never re-read from zero.
 */
export class CommandHandler {
  private readonly cache = new RecencyCache<string, CachedState>(MAX_CACHED_STREAMS);

  constructor(
    private readonly store: EventStore,
    private readonly maxAttempts = DEFAULT_MAX_ATTEMPTS,
  ) {}

  async load<State>(decider: Decider<unknown, State>, stream: string): Promise<{ state: State; revision: number | 'no-stream' }> {
    const key = `${decider.name}\u0000${stream}`;
    const cached = this.cache.get(key);
    let state = (cached?.state as State | undefined) ?? decider.initialState;
    let revision: number | 'no-stream' = cached?.revision ?? 'no-stream';
    const from = revision === 'no-stream' ? 0 : revision + 1;
    for await (const recorded of this.store.readStream(stream, from)) {
      state = decider.evolve(state, parseDomainEvent(recorded));
      revision = recorded.revision;
    }
    if (cached === undefined || cached.revision !== revision) this.cache.set(key, { revision, state });
    return { state, revision };
  }

  /**
   * `buildCommand` runs on every attempt, so anything it reads from other streams is fresh each
   * time the decision is retried.
   */
  async execute<Command, State, Event extends DomainEvent>(
    decider: Decider<Command, State, Event>,
    stream: string,
    buildCommand: (state: State) => Command | Promise<Command>,
    metadata: CommandMetadata,
    answer?: AnswerBuilder<State>,
    /** A rule of the caller's that must hold at the append (the close: nothing written since its files). */
    guard?: AppendGuard,
    options: ExecuteOptions = {},
  ): Promise<CommandResult<State>> {
    for (let attempt = 1; ; attempt += 1) {
      const { state, revision } =
        attempt === 1 && options.newStream === true ? { state: decider.initialState, revision: 'no-stream' as const } : await this.load(decider, stream);
      const command = await buildCommand(state);
      const events = decider.decide(command, state);
      assertWithinContract(events);
      if (events.length === 0) {
        // Nothing is written, so nothing can be half done: the answer is built here.
        const unchanged = { events: [], position: await this.store.lastPosition(), state };
        return answer ? { ...unchanged, answer: { requestHash: metadata.idempotency?.requestHash ?? '', ...answer(unchanged) } } : unchanged;
      }
      const expected: ExpectedRevision = revision;
      const newState = events.reduce((folded, event) => decider.evolve(folded, event), state);
      try {
        const result = await this.store.append(
          stream,
          events.map((event, index) => ({
            ...(metadata.idempotency === undefined ? {} : { id: idempotentEventId(metadata.idempotency.key, index) }),
            type: event.type,
            data: event.data,
            metadata: {
              recordedBy: metadata.actor,
              ...(metadata.idempotencyKey === undefined ? {} : { idempotencyKey: metadata.idempotencyKey }),
              ...(metadata.correlationId === undefined ? {} : { correlationId: metadata.correlationId }),
              ...(metadata.reason === undefined ? {} : { reason: metadata.reason }),
            },
          })),
          expected,
          answer && {
            ...(metadata.idempotency === undefined ? {} : { idempotency: metadata.idempotency }),
            build: (appended) => answer({ events: appended.events, position: appended.position, state: newState }),
          },
          // Checked inside the append, so a year closed after this decision still refuses it.
          bothGuards(closedYearsGuard(events), guard),
        );
        this.cache.set(`${decider.name}\u0000${stream}`, { revision: result.nextExpectedRevision, state: newState });
        return { events: result.events, position: result.position, state: newState, ...(result.answer ? { answer: result.answer } : {}) };
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        if (attempt >= this.maxAttempts) {
          throw new DomainError('CONCURRENT_CHANGE', `${stream} kept changing while this request was decided; try again`);
        }
        // Back off a little, with jitter, so a burst of writers does not retry in lockstep.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  }
}

/**
 * Events written under an Idempotency-Key get ids derived from the key and their place in the
 * command, so a second write of the same request collides on the event id (SQLite's unique id,
 * EventStoreDB's idempotent append) even if every other guard were bypassed.
 */
function idempotentEventId(key: string, index: number): string {
  return nameBasedUuid(`${key}\n${index}`, IDEMPOTENT_EVENT_NAMESPACE);
}

/**
 * Every decided event must satisfy the event contract before it is appended. Readers parse each
 * event with the same schema; an event they cannot parse would stop every projection and, after a
 * restart, every decision on its stream. Input that is valid field by field can still add up to
 * such an event (two amounts whose sum has more than 13 digits), so the request is refused here
 * (400 INVALID_INPUT, nothing written) rather than stored.
 */
function assertWithinContract(events: readonly DomainEvent[]): void {
  for (const event of events) {
    const parsed = DomainEventSchema.safeParse(event);
    if (parsed.success) continue;
    const issue = parsed.error.issues[0]!;
    const field = issue.path.slice(1).join('.');
    refuse('INVALID_INPUT', `the ${event.type} this request would record is not valid: ${field || 'event'} ${issue.message}`, field || undefined);
  }
}
