import type Database from 'better-sqlite3';
import { parseDomainEvent, type DomainEvent } from '../domain/events.js';
import type { EventMetadata, EventStore, RecordedEvent } from '../store/port.js';
import { SqliteEventStore } from '../store/sqlite.js';
import type { ProjectedEvent } from './projection.js';

/** position, stream, type, data (JSON), metadata (JSON): the only columns a projection needs. */
type RawRow = [position: number, stream: string, type: string, data: string, metadata: string];

/** The envelope facts the projections read; the rest of the recorded event stays in the store. */
interface LogEntry {
  readonly position: string;
  readonly stream: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Pick<EventMetadata, 'recordedAt' | 'recordedBy'>;
}

/**
 * Orders two log positions (decimal strings without leading zeros) without BigInt: a longer
 * string is a larger number, equal lengths compare as text. It runs once per event per
 * projection during a replay, so it must be cheap.
 */
export function comparePositionStrings(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How far a page of the log reached (to continue after it). */
export interface LogPage {
  /** Rows the page read, wanted or not: fewer than asked means the end of the log. */
  readonly rowsRead: number;
  readonly lastPosition: string | undefined;
}

/**
 * Reads the global log in pages and turns each recorded event into a ProjectedEvent.
 *
 * Every event is checked against the event contract with `parseDomainEvent` the first time this
 * reader sees its position. Positions at or below `validatedThrough` were checked by an earlier
 * pass of this process and are not checked again: the log is append-only, and zod validation
 * (whose date refinement asks luxon about Europe/Amsterdam) costs 40–100 µs an event, which would
 * turn every "as of" replay of a million events into minutes. Tampering with stored rows is what
 * `GET /audit/verify` (hash chains) detects, not the projections.
 *
 * A page may be asked for only some event types: an already-checked event of another type is
 * then skipped before its JSON is even parsed.
 */
export class LogReader {
  private validatedThrough: string | undefined;
  private readonly sqlitePage: Database.Statement<[number, number], RawRow> | undefined;

  constructor(private readonly store: EventStore) {
    this.sqlitePage = store instanceof SqliteEventStore ? rawPageStatement(store) : undefined;
  }

  /**
   * Hands each of up to `limit` log rows after `after` (from the start when undefined) to
   * `visit`, oldest first. One event at a time, not a page of parsed events: an event that is
   * folded and dropped at once dies young, where a page held across a slow validation would be
   * promoted and swell the heap.
   */
  async scan(after: string | undefined, limit: number, visit: (event: ProjectedEvent) => void, wanted?: ReadonlySet<string>): Promise<LogPage> {
    const rows = this.sqlitePage ? this.sqlitePage.all(after === undefined ? 0 : Number(after), limit) : await this.readGeneric(after, limit);
    let previous = after;
    for (const row of rows) {
      const position = Array.isArray(row) ? String(row[0]) : row.position;
      const type = Array.isArray(row) ? row[2] : row.type;
      const checked = this.isValidated(position);
      if (!checked || wanted === undefined || wanted.has(type)) {
        visit(this.project(Array.isArray(row) ? fromRawRow(row) : row, checked, previous));
      }
      previous = position;
    }
    return { rowsRead: rows.length, lastPosition: previous === after ? undefined : previous };
  }

  /** The newest position in the log, or undefined when it is empty. */
  lastPosition(): Promise<string | undefined> {
    return this.store.lastPosition();
  }

  private project(recorded: LogEntry, checked: boolean, previous: string | undefined): ProjectedEvent {
    let event: DomainEvent;
    if (checked) {
      event = { type: recorded.type, data: recorded.data } as DomainEvent;
    } else {
      event = parseDomainEvent(recorded);
      // The watermark only moves over an unbroken run of checked positions.
      if (previous === undefined ? this.validatedThrough === undefined : this.isValidated(previous)) {
        this.validatedThrough = recorded.position;
      }
    }
    return {
      position: recorded.position,
      stream: recorded.stream,
      recordedAt: recorded.metadata.recordedAt,
      recordedBy: recorded.metadata.recordedBy,
      event,
    };
  }

  private isValidated(position: string): boolean {
    return this.validatedThrough !== undefined && comparePositionStrings(position, this.validatedThrough) <= 0;
  }

  private async readGeneric(after: string | undefined, limit: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of this.store.readAll({ ...(after === undefined ? {} : { after }), limit })) events.push(event);
    return events;
  }
}

/**
 * The SQLite fast path: the five columns a projection needs, as arrays rather than row objects,
 * without the id, revision and hash columns the port's RecordedEvent carries. About twice as fast
 * as `readAllPage` on a long replay. It reads the adapter's table directly, so it falls back to
 * the port when that table does not look as expected.
 */
function rawPageStatement(store: SqliteEventStore): Database.Statement<[number, number], RawRow> | undefined {
  try {
    return store.db
      .prepare<[number, number], RawRow>('SELECT position, stream, type, data, metadata FROM events WHERE position > ? ORDER BY position LIMIT ?')
      .raw(true);
  } catch {
    return undefined;
  }
}

function fromRawRow([position, stream, type, data, metadata]: RawRow): LogEntry {
  return { position: String(position), stream, type, data: JSON.parse(data) as unknown, metadata: envelopeOf(metadata) };
}

/**
 * recordedAt and recordedBy from the metadata JSON without parsing all of it (correlation and
 * causation ids are a third of every row). A key cannot occur inside a string value unescaped,
 * so the first `"recordedAt":"` is the key; a value with an escape falls back to JSON.parse.
 */
function envelopeOf(metadata: string): LogEntry['metadata'] {
  const recordedAt = plainStringField(metadata, '"recordedAt":"');
  const recordedBy = plainStringField(metadata, '"recordedBy":"');
  if (recordedAt !== undefined && recordedBy !== undefined) return { recordedAt, recordedBy };
  const parsed = JSON.parse(metadata) as EventMetadata;
  return { recordedAt: parsed.recordedAt, recordedBy: parsed.recordedBy };
}

function plainStringField(json: string, keyPrefix: string): string | undefined {
  const start = json.indexOf(keyPrefix);
  if (start < 0) return undefined;
  const from = start + keyPrefix.length;
  const end = json.indexOf('"', from);
  if (end < 0) return undefined;
  const value = json.slice(from, end);
  return value.includes('\\') ? undefined : value;
}
