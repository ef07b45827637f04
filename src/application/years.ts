/**
 * What the year routes read besides the year's own stream: the log's verification at the moment
 * of a check or approval, whether an earlier one still verifies, and the cut of a closed year's
 * files. The decisions themselves are in src/domain/years/decider.ts.
 */
import { foldEvents } from '../domain/decider.js';
import { parseDomainEvent, streams, type EventData } from '../domain/events.js';
import { yearsDecider, type LogVerification, type YearState } from '../domain/years/decider.js';
import type { FilesCut } from '../exports/year-files.js';
import { checkDigest, type VerifyResult } from '../store/integrity.js';
import { comparePositions, ConcurrencyError, type AppendGuard, type EventStore, type RecordedEvent } from '../store/port.js';

export async function readYearStream(store: EventStore, year: number): Promise<RecordedEvent[]> {
  const records: RecordedEvent[] = [];
  for await (const record of store.readStream(streams.year(year))) records.push(record);
  return records;
}

export function yearStateOf(records: readonly RecordedEvent[]): YearState {
  return foldEvents(yearsDecider, records.map(parseDomainEvent));
}

/** A closed year's files cut (its latest closing), or undefined while the year is open. */
export function closedFilesCut(records: readonly RecordedEvent[]): FilesCut | undefined {
  if (yearStateOf(records).status !== 'closed') return undefined;
  const closing = records.findLast((record) => record.type === 'YearClosed')!.data as EventData<'YearClosed'>;
  return { year: closing.year, position: closing.filesAtPosition, createdAt: closing.closedAt };
}

/** The log verified from its start to its end, as a check or approval records it. */
export function asVerification(result: VerifyResult): LogVerification {
  if (!result.ok) return { ok: false, problem: `at position ${result.firstBadPosition} (${result.stream}): ${result.problem}` };
  if (result.lastPosition === null) return { ok: false, problem: 'the log is empty' };
  return { ok: true, position: result.lastPosition, digest: result.digest, events: result.events };
}

export type VouchedState = { readonly verifies: true } | { readonly verifies: false; readonly problem: string };

/**
 * Whether what a check or approval vouched for is still in the log: every event up to its position
 * still matches its hash (`verifyLog` found nothing wrong at or before it) and the hashes up to
 * there still fold into its digest (which also catches a deletion or a rewritten chain).
 */
export async function stillVerifies(store: EventStore, log: VerifyResult, vouched: { position: string; digest: string }): Promise<VouchedState> {
  if (!log.ok && comparePositions(log.firstBadPosition, vouched.position) <= 0) {
    return { verifies: false, problem: `the event at position ${log.firstBadPosition} (${log.stream}) was changed: ${log.problem}` };
  }
  const digest = await checkDigest(store, vouched.position, vouched.digest);
  return digest.matches ? { verifies: true } : { verifies: false, problem: digest.problem };
}

/** Another append landed after the year files were rendered: re-render them and try again. */
export class LogMovedOn extends ConcurrencyError {
  constructor(stream: string, renderedAt: string, now: string | undefined) {
    super(stream, 'any', 'no-stream');
    this.message = `the year files were rendered at position ${renderedAt}, but the log is now at ${now ?? '(empty)'}`;
  }
}

/**
 * The close's own rule: its files cover the whole log. It commits only if the log still ends where
 * the files were rendered (checked inside the append, see AppendGuard); otherwise the command
 * handler renders them again. `renderedAt` is read at append time, so each attempt checks its own.
 */
export function nothingSince(stream: string, renderedAt: () => string): AppendGuard {
  return {
    streams: [],
    check(snapshot) {
      if (snapshot.lastPosition !== renderedAt()) throw new LogMovedOn(stream, renderedAt(), snapshot.lastPosition);
    },
  };
}
