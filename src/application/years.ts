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
import { yearBindingsOf } from './closed-years.js';
import { digestByLookup, type LogVerdict } from './log-verdict.js';
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

/**
 * The closing's cut when a read asks for a closed year's books as closed (no `asOf`, no
 * `knownAt`): such a read is served from the log as the closing cut it. Undefined otherwise.
 */
export async function closedCutFor(store: EventStore, year: number, cut: { asOf?: string | undefined; knownAt?: string | undefined }): Promise<FilesCut | undefined> {
  if (cut.asOf !== undefined || cut.knownAt !== undefined) return undefined;
  return closedFilesCut(await readYearStream(store, year));
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
export async function stillVerifies(store: EventStore, verdict: LogVerdict, vouched: { position: string; digest: string }): Promise<VouchedState> {
  const { log } = verdict;
  if (!log.ok && comparePositions(log.firstBadPosition, vouched.position) <= 0) {
    return { verifies: false, problem: `the event at position ${log.firstBadPosition} (${log.stream}) was changed: ${log.problem}` };
  }
  // The checked running digest at the position; a mismatch (or none) is folded again, for its problem's words.
  if (digestByLookup(verdict, vouched.position) === vouched.digest.toLowerCase()) return { verifies: true };
  const digest = await checkDigest(store, vouched.position, vouched.digest);
  return digest.matches ? { verifies: true } : { verifies: false, problem: digest.problem };
}

/** An event dated in the year landed after its files were rendered: render them again and retry. */
export class DatedAfterTheCut extends ConcurrencyError {
  constructor(stream: string, renderedAt: string, position: string) {
    super(stream, 'any', 'no-stream');
    this.message = `the year files were rendered at position ${renderedAt}, but the event at ${position} is dated in the year`;
  }
}

/**
 * The close's own rule: its files hold everything dated in the year. The files are rendered up to
 * `renderedAt` (later events never change them); the close commits only if nothing appended since
 * then is dated in the year, checked inside the append (AppendGuard). Writes to other years do not
 * hold the close up. Otherwise the command handler renders the files again.
 */
export function nothingDatedInYearSince(year: number, renderedAt: () => string): AppendGuard {
  const stream = streams.year(year);
  return {
    streams: [],
    readsAfter: renderedAt,
    check(snapshot) {
      for (const recorded of snapshot.eventsAfter) {
        if (recorded.stream === stream) continue; // the year's own stream: its revision is checked anyway
        if (yearBindingsOf(parseDomainEvent(recorded)).some((binding) => binding.year === year)) {
          throw new DatedAfterTheCut(stream, renderedAt(), recorded.position);
        }
      }
    },
  };
}
