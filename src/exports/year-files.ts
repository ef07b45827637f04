/**
 * The year files: what the accountant downloads for a year, and what a closing fingerprints.
 * One registry, so the export routes and the close render a file with the very same function (the
 * SHA-256 recorded in YearClosed is of the bytes the route serves); adding a file to every closing
 * (the annual report, say) is one more entry here.
 *
 * A closed year's files are rendered from the log up to the closing's `filesAtPosition`, dated
 * with its `closedAt`: no "now", and nothing recorded later (a financier registered next year)
 * can change a byte. The journal's own order is stable (by date, then log position).
 */
import { createHash } from 'node:crypto';
import { parseDomainEvent } from '../domain/events.js';
import { journalOf, ledgerProjection } from '../projections/journal.js';
import { yearJournal, type YearJournal } from '../projections/trial-balance.js';
import { comparePositions, type EventStore } from '../store/port.js';
import { buildJournalCsv } from './csv.js';
import { buildHledgerJournal } from './hledger.js';
import { buildXaf } from './xaf.js';

export interface YearFile {
  /** The file's name for a year, as the download offers it. */
  fileName(year: number): string;
  readonly contentType: string;
  /** The file's text; `createdAt` is the only instant it may show. */
  render(journal: YearJournal, createdAt: Date): string;
}

export const YEAR_FILES = {
  xaf: {
    fileName: (year) => `buurtwerkkamer-${year}.xaf`,
    contentType: 'application/xml; charset=utf-8',
    render: (journal, createdAt) => buildXaf(journal, { createdAt }),
  },
  hledger: {
    fileName: (year) => `buurtwerkkamer-${year}.journal`,
    contentType: 'text/plain; charset=utf-8',
    render: (journal, createdAt) => buildHledgerJournal(journal, { createdAt }),
  },
  'journal.csv': {
    fileName: (year) => `buurtwerkkamer-${year}-journaal.csv`,
    contentType: 'text/csv; charset=utf-8',
    render: (journal) => buildJournalCsv(journal),
  },
  // The same rows for a Dutch spreadsheet (GET /exports/journal.csv?dialect=nl): a closed year's
  // copy is fingerprinted too, since the accountant may keep either.
  'journal-nl.csv': {
    fileName: (year) => `buurtwerkkamer-${year}-journaal-nl.csv`,
    contentType: 'text/csv; charset=utf-8',
    render: (journal) => buildJournalCsv(journal, 'nl'),
  },
} as const satisfies Record<string, YearFile>;

export type YearFileName = keyof typeof YEAR_FILES;
export const YEAR_FILE_NAMES = Object.keys(YEAR_FILES) as YearFileName[];

/** SHA-256 of a file's UTF-8 bytes, as `sha256sum` prints it for the downloaded file. */
export function sha256Of(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Where a closed year's files were cut: the closing's position and instant. */
export interface FilesCut {
  readonly year: number;
  readonly position: string;
  readonly createdAt: string;
}

/**
 * The year's journal replayed from the log up to `position` (inclusive). A replay rather than the
 * live projection: the live one has moved on, and the runner's time cuts are by instant, which
 * cannot separate events recorded in the same millisecond.
 */
export async function yearJournalAt(store: EventStore, year: number, position: string): Promise<YearJournal> {
  let state = ledgerProjection.initial();
  for await (const recorded of store.readAll()) {
    if (comparePositions(recorded.position, position) > 0) break;
    const event = parseDomainEvent(recorded);
    state = ledgerProjection.apply(state, {
      position: recorded.position,
      stream: recorded.stream,
      recordedAt: recorded.metadata.recordedAt,
      recordedBy: recorded.metadata.recordedBy,
      event,
    });
  }
  return yearJournal(journalOf(state), { year });
}

/** Every year file, rendered at a cut: what a closing hashes and what a closed year's routes serve. */
export async function renderYearFiles(store: EventStore, cut: FilesCut): Promise<Map<YearFileName, string>> {
  const journal = await yearJournalAt(store, cut.year, cut.position);
  const createdAt = new Date(cut.createdAt);
  return new Map(YEAR_FILE_NAMES.map((name) => [name, YEAR_FILES[name].render(journal, createdAt)]));
}

/**
 * A closed year's files, kept once rendered: the same cut always gives the same bytes, so a
 * repeated download does not replay the log. Only a few cuts are kept: a large year's files are
 * tens of megabytes of text. Keyed by year, position and instant: a reopened and
 * closed-again year has another cut.
 */
export class ClosedYearFiles {
  private readonly rendered = new Map<string, Promise<Map<YearFileName, string>>>();

  constructor(private readonly store: EventStore, private readonly maxKept = 3) {}

  async file(cut: FilesCut, name: YearFileName): Promise<string> {
    const key = `${cut.year}|${cut.position}|${cut.createdAt}`;
    let files = this.rendered.get(key);
    if (!files) {
      files = renderYearFiles(this.store, cut);
      this.rendered.set(key, files);
      files.catch(() => this.rendered.delete(key));
      if (this.rendered.size > this.maxKept) this.rendered.delete(this.rendered.keys().next().value!);
    }
    return (await files).get(name)!;
  }
}
