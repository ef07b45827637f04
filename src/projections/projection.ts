import type { DomainEvent, DomainEventType } from '../domain/events.js';

/** An event as projections see it: the parsed domain event plus the envelope facts they need. */
export interface ProjectedEvent {
  readonly position: string;
  readonly stream: string;
  /** When the store accepted it: the `knownAt` axis. */
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly event: DomainEvent;
}

/**
 * A projection is a pure fold over the global log. `apply` may update the state in place and
 * return it (a 1M-event replay must not allocate a new state per event); it must not read
 * anything but its arguments. The runner owns caching, catch-up and the bitemporal cuts.
 */
export interface Projection<State> {
  readonly name: string;
  /**
   * The event types `apply` reacts to, when it ignores all others. Optional: a replay through a
   * cut then skips parsing the other events (a receivables report reads a sixth of the log).
   */
  readonly eventTypes?: readonly DomainEventType[];
  /**
   * Whether `apply` can react to an event of this type and business day (yyyymmdd; 0 for an event
   * without one), when it ignores some days. Optional: a replay through a cut then skips an event
   * unparsed when no projection that wants its type admits its day (a year's journal whose earlier
   * years come pre-summed; a year's room figures, which count hours in the year of their date).
   */
  readonly admitsBusinessDay?: (day: number, type: DomainEventType) => boolean;
  /**
   * The one business year whose events `apply` reacts to, besides the undated ones, when it
   * ignores every other. Optional: a replay through a cut of such projections (all of one year)
   * then reads only those events (the store's `scanBusinessYear`, on SQLite an index) instead of
   * the whole log. The index is derived data: a fold that must not miss an event checks what it
   * got (year-journal.ts's window, against year-openings' counts).
   */
  readonly businessYear?: number;
  initial(): State;
  apply(state: State, event: ProjectedEvent): State;
}

/** The two time axes of every read: business date (`asOf`) and recording instant (`knownAt`). */
export interface TimeCut {
  /** YYYY-MM-DD: include events whose business date is on or before it. */
  readonly asOf?: string;
  /** ISO instant: include events recorded at or before it. */
  readonly knownAt?: string;
}
