import { isSurelyValidEvent } from '../domain/event-precheck.js';
import { parseDomainEvent, type DomainEvent } from '../domain/events.js';
import type { EventMetadata, EventStore, ScannedRow } from '../store/port.js';
import { businessDateOf, dayNumberOf as businessDayNumber, DOMAIN_EVENT_TYPES, peekBusinessDay } from '../domain/business-date.js';
import type { ProjectedEvent } from './projection.js';

/** The envelope facts the projections read; the rest of the recorded event stays in the store. */
type Envelope = Pick<EventMetadata, 'recordedAt' | 'recordedBy'>;

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
 * What a replay may decide about an already-checked event before its JSON is parsed (parsing is
 * most of what a replay of the SQLite log costs). An event not yet checked is always parsed and
 * visited: it must be validated.
 */
export interface ScanFilter {
  /** The event types wanted; an event of another type is skipped. */
  readonly types?: ReadonlySet<string>;
  /**
   * Called with the event's recordedAt, its business date as a yyyymmdd number (0 when the
   * event has none, UNKNOWN_BUSINESS_DAY when the reader does not know it) and its type: false skips it.
   */
  readonly admits?: (recordedAt: string, businessDay: number, type: string) => boolean;
}

/** Rows with gaps between them: an event checked among them does not extend the checked run. */
const GAP = Symbol('gap');

/** `admits` was not told the business date: only the parsed event can say. */
export const UNKNOWN_BUSINESS_DAY = -1;

/**
 * Reads the global log in pages (the port's batched `scanAll`) and turns each row into a
 * ProjectedEvent.
 *
 * Every event is checked against the event contract with `parseDomainEvent` the first time this
 * reader sees its position. Positions at or below `validatedThrough` were checked by an earlier
 * pass of this process and are not checked again: the log is append-only, and zod validation
 * costs about 2 µs an event, a third of a million-event replay. Tampering with stored rows is what
 * `GET /audit/verify` (hash chains) detects, not the projections.
 *
 * A page may be filtered (ScanFilter): an already-checked event of a type nobody wants, or
 * outside a cut, is then skipped before its JSON is even parsed. For the cut test the reader
 * remembers each checked event's business date (4 bytes an event, only where the store's
 * positions are contiguous and can index an array), so an "as of" replay reuses what the
 * validating pass learnt instead of parsing every event to find it.
 */
export class LogReader {
  private validatedThrough: string | undefined;
  private readonly businessDays: BusinessDayIndex | undefined;

  private readonly typesCheckedHere: ReadonlySet<string> | undefined;
  private readonly typesCheckedElsewhere: ReadonlySet<string> | undefined;

  constructor(private readonly store: EventStore, options: LogReaderOptions = {}) {
    this.businessDays = store.positionsAreContiguous === true && options.onePass !== true ? new BusinessDayIndex() : undefined;
    this.typesCheckedHere = options.typesCheckedHere;
    this.typesCheckedElsewhere = options.typesCheckedElsewhere;
  }

  /**
   * Hands each of up to `limit` log rows after `after` (from the start when undefined) to
   * `visit`, oldest first. One event at a time, not a page of parsed events: an event that is
   * folded and dropped at once dies young, where a page held across a slow validation would be
   * promoted and swell the heap. A raw row goes straight to its ProjectedEvent, with no
   * intermediate entry object (a million per replay, all garbage at once).
   */
  async scan(after: string | undefined, limit: number, visit: (event: ProjectedEvent) => void, filter: ScanFilter = {}): Promise<LogPage> {
    const unwanted = this.unwantedTrustedTypes(after, filter);
    if (unwanted !== undefined) return this.scanTrusted(after, limit, visit, filter, unwanted);
    // The other thread's types are skipped unparsed below anyway: a store that can leaves them out
    // of the rows (`scanAllExcept`), which then have gaps, so checking them moves no watermark.
    const skipped = this.typesCheckedElsewhere;
    if (skipped !== undefined && this.store.scanAllExcept !== undefined) {
      return this.visitRows(await this.firstBatch(this.store.scanAllExcept(after, limit, skipped)), after, visit, filter, false);
    }
    return this.visitRows(await this.firstBatch(this.store.scanAll(after, limit)), after, visit, filter, true);
  }

  /**
   * The types a scan from `after` would skip unparsed (already checked, not wanted by `filter`,
   * not checked here), when the log after `after` starts inside the checked run and the store can
   * leave them out of its rows: the replay's main thread then never reads the payments received
   * and petty-cash spending it does not fold (a fifth of the log). Undefined: a plain scan.
   */
  private unwantedTrustedTypes(after: string | undefined, filter: ScanFilter): ReadonlySet<string> | undefined {
    const wanted = filter.types;
    if (wanted === undefined || this.store.scanAllExcept === undefined || this.validatedThrough === undefined) return undefined;
    if (after !== undefined && comparePositionStrings(after, this.validatedThrough) >= 0) return undefined;
    const unwanted = new Set(DOMAIN_EVENT_TYPES.filter((type) => !wanted.has(type) && this.typesCheckedHere?.has(type) !== true));
    return unwanted.size === 0 ? undefined : unwanted;
  }

  /**
   * A page of the checked run without the `unwanted` types. It ends at the run's end at the
   * latest: the rows after it are read by plain scans, so each is checked, whatever its type (the
   * log may have grown past the run). A page cut there says it read a full page (the log may go on).
   */
  private async scanTrusted(after: string | undefined, limit: number, visit: (event: ProjectedEvent) => void, filter: ScanFilter, unwanted: ReadonlySet<string>): Promise<LogPage> {
    const through = this.validatedThrough!;
    const rows = await this.firstBatch(this.store.scanAllExcept!(after, limit, unwanted));
    const beyond = rows.findIndex(([position]) => comparePositionStrings(position, through) > 0);
    if (beyond < 0 && rows.length === limit) return this.visitRows(rows, after, visit, filter, false);
    // No wanted row between the last one visited and the run's end: the page reaches that end.
    this.visitRows(beyond < 0 ? rows : rows.slice(0, beyond), after, visit, filter, false);
    return { rowsRead: limit, lastPosition: through };
  }

  /**
   * `scan` over the events of one business year and the undated ones only (the port's
   * `scanBusinessYear`: on SQLite an index), for a fold that reacts to nothing else. The rows
   * have gaps between them, so an event checked here does not move the watermark of the
   * unbroken checked run.
   */
  async scanBusinessYear(year: number, after: string | undefined, limit: number, visit: (event: ProjectedEvent) => void, filter: ScanFilter = {}): Promise<LogPage> {
    return this.visitRows(await this.firstBatch(this.store.scanBusinessYear(year, after, limit)), after, visit, filter, false);
  }

  /** `contiguous`: the rows are the log's after `after` without gaps, so checking them extends the checked run. */
  private visitRows(rows: ScannedRow[], after: string | undefined, visit: (event: ProjectedEvent) => void, filter: ScanFilter, contiguous: boolean): LogPage {
    const businessDays = this.businessDays;
    const checkedHere = this.typesCheckedHere;
    const checkedElsewhere = this.typesCheckedElsewhere;
    let previous = after;
    let current: string | undefined;
    try {
      for (const [position, stream, type, data, metadata] of rows) {
        current = position;
        if (!this.isValidated(position)) {
          // Checked (and folded) by the other thread: not even parsed here. The watermark stops
          // before it, so every later event is still checked.
          if (checkedElsewhere?.has(type) !== true) {
            const projected = this.project(position, stream, type, JSON.parse(data) as unknown, envelopeOf(metadata), false, contiguous ? previous : GAP);
            businessDays?.set(Number(position), businessDateOf(projected.event));
            visit(projected);
          }
        } else if (checkedHere?.has(type) === true) {
          // Trusted as checked elsewhere, except this type: checked here, wanted or not, in the cut or not.
          const envelope = envelopeOf(metadata);
          const projected = this.project(position, stream, type, JSON.parse(data) as unknown, envelope, false, GAP);
          if (filter.types === undefined || filter.types.has(type)) {
            if (filter.admits === undefined || filter.admits(envelope.recordedAt, businessDayNumberOf(projected.event), type)) visit(projected);
          }
        } else if (filter.types === undefined || filter.types.has(type)) {
          // The envelope before the data: an event outside the cut is skipped unparsed.
          const envelope = envelopeOf(metadata);
          if (filter.admits === undefined || filter.admits(envelope.recordedAt, this.businessDayOf(position, type, data), type)) {
            visit(this.project(position, stream, type, JSON.parse(data) as unknown, envelope, true, previous));
          }
        }
        previous = position;
      }
    } catch (error) {
      throw markFailedAt(error, current);
    }
    return { rowsRead: rows.length, lastPosition: previous === after ? undefined : previous };
  }

  /**
   * Treats the log up to `position` as already checked: for a caller that knows another pass
   * validated it (a checkpoint whose log digest matches). Never moves the watermark back.
   */
  trustValidatedThrough(position: string): void {
    if (this.validatedThrough === undefined || comparePositionStrings(position, this.validatedThrough) > 0) this.validatedThrough = position;
  }

  /** The store's log version (EventStore.logVersion), undefined when it keeps none. */
  logVersion(): string | undefined {
    return this.store.logVersion?.();
  }

  /** The newest position in the log, or undefined when it is empty. */
  lastPosition(): Promise<string | undefined> {
    return this.store.lastPosition();
  }

  /** One batch of a port's scan; the runner yields to the event loop between pages. */
  private async firstBatch(batches: AsyncIterable<ScannedRow[]>): Promise<ScannedRow[]> {
    for await (const batch of batches) return batch;
    return [];
  }

  /** `previous`: the position before this one, GAP when the rows are not contiguous (the watermark then stays). */
  private project(position: string, stream: string, type: string, data: unknown, envelope: Envelope, checked: boolean, previous: string | undefined | typeof GAP): ProjectedEvent {
    let event: DomainEvent;
    if (checked) {
      event = { type, data } as DomainEvent;
    } else {
      // The compiled check passes the well-formed (nearly all) as zod would; zod judges the rest and words any refusal.
      event = isSurelyValidEvent(type, data) ? ({ type, data } as DomainEvent) : parseDomainEvent({ type, data, position });
      // The watermark only moves over an unbroken run of checked positions.
      if (previous !== GAP && (previous === undefined ? this.validatedThrough === undefined : this.isValidated(previous))) {
        this.validatedThrough = position;
      }
    }
    return { position, stream, recordedAt: envelope.recordedAt, recordedBy: envelope.recordedBy, event };
  }

  /**
   * A checked event's business date for a cut: as remembered from validating it, else read off
   * its JSON text (a start from a checkpoint validated nothing in this process), else unknown.
   */
  private businessDayOf(position: string, type: string, data: string): number {
    const remembered = this.businessDays === undefined ? UNKNOWN_BUSINESS_DAY : this.businessDays.get(Number(position));
    return remembered !== UNKNOWN_BUSINESS_DAY ? remembered : (peekBusinessDay(type, data) ?? UNKNOWN_BUSINESS_DAY);
  }

  private isValidated(position: string): boolean {
    return this.validatedThrough !== undefined && comparePositionStrings(position, this.validatedThrough) <= 0;
  }
}

export interface LogReaderOptions {
  /** The log is read once (the replay's worker), so an index for later passes would only grow. */
  readonly onePass?: boolean;
  /**
   * Event types checked against the contract here even where the log is trusted as checked
   * elsewhere (`trustValidatedThrough`): the replay's main thread checks the types it parses anyway.
   */
  readonly typesCheckedHere?: ReadonlySet<string>;
  /**
   * Event types another thread checks: where the log is not trusted as checked, an event of such a
   * type is skipped unparsed instead of checked (the replay's worker, whose main thread checks them).
   */
  readonly typesCheckedElsewhere?: ReadonlySet<string>;
}

/** The position of the event whose check or fold threw an error (failureAt). */
const FAILED_AT = new WeakMap<object, string>();

/** Remembers the position of the event a scan failed at (the first: an error rethrown keeps it). */
function markFailedAt(error: unknown, position: string | undefined): unknown {
  if (typeof error === 'object' && error !== null && position !== undefined && !FAILED_AT.has(error)) FAILED_AT.set(error, position);
  return error;
}

/**
 * The log position of the event a scan failed at: its check against the contract or a fold of it
 * threw this error. Undefined for an error that did not come from a scan's event.
 */
export function failureAt(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? FAILED_AT.get(error) : undefined;
}

function businessDayNumberOf(event: DomainEvent): number {
  const date = businessDateOf(event);
  return date === undefined ? 0 : (businessDayNumber(date) ?? UNKNOWN_BUSINESS_DAY);
}

/** A YYYY-MM-DD date as the number yyyymmdd (business-date.ts), under the name the projections know it by. */
export { businessDayNumber };

/**
 * Business dates of checked events by position (contiguous positions only), as yyyymmdd numbers (0: no business
 * date). Chunks of a fixed size, so a growing log never copies (or doubles) one big array.
 */
class BusinessDayIndex {
  private static readonly CHUNK = 65_536;
  private readonly chunks: Int32Array[] = [];

  set(position: number, date: string | undefined): void {
    const chunkIndex = Math.floor(position / BusinessDayIndex.CHUNK);
    while (this.chunks.length <= chunkIndex) this.chunks.push(new Int32Array(BusinessDayIndex.CHUNK).fill(UNKNOWN_BUSINESS_DAY));
    this.chunks[chunkIndex]![position % BusinessDayIndex.CHUNK] = date === undefined ? 0 : (businessDayNumber(date) ?? UNKNOWN_BUSINESS_DAY);
  }

  get(position: number): number {
    return this.chunks[Math.floor(position / BusinessDayIndex.CHUNK)]?.[position % BusinessDayIndex.CHUNK] ?? UNKNOWN_BUSINESS_DAY;
  }
}

/**
 * recordedAt and recordedBy from the metadata JSON without parsing all of it (correlation and
 * causation ids are a third of every row). A key cannot occur inside a string value unescaped,
 * so the first `"recordedAt":"` is the key; a value with an escape falls back to JSON.parse.
 */
function envelopeOf(metadata: string): Envelope {
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
