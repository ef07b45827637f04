/**
 * The year files: what the accountant downloads for a year, and what a closing fingerprints.
 * One registry, so the export routes and the close render a file with the very same function (the
 * SHA-256 recorded in YearClosed is of the bytes the route serves).
 *
 * A file renders from a source: the books (a projection runner and a cut) and the one instant it
 * may show. The exports read the year's journal from it, the annual report the projections its
 * views are made of; so one source serves both kinds of file.
 *
 * A closed year's files are rendered from the log up to the closing's `filesAtPosition`, dated
 * with its `closedAt`: no "now", and nothing recorded later (a financier registered next year)
 * can change a byte. The journal's own order is stable (by date, then log position).
 */
import { createHash } from 'node:crypto';
import { renderAnnualReportPdf } from '../application/annual-report.js';
import { ProjectionsAtPosition } from '../projections/at-position.js';
import type { TimeCut } from '../projections/projection.js';
import { readYearJournal } from '../projections/reports.js';
import type { ProjectionRunner } from '../projections/runner.js';
import type { YearJournal } from '../projections/trial-balance.js';
import type { EventStore } from '../store/port.js';
import { buildJournalCsv } from './csv.js';
import { buildHledgerJournal } from './hledger.js';
import { buildXaf } from './xaf.js';

/** What a year file is rendered from. */
export interface YearFileSource {
  readonly year: number;
  /** The books: the live runner and the request's cut, or a closing's log (ProjectionsAtPosition) and no cut. */
  readonly projections: ProjectionRunner;
  readonly cut: TimeCut;
  /** The only instant a file may show: the closing's `closedAt`, or now for the live books. */
  readonly createdAt: Date;
}

/** Text files are strings (served and hashed as UTF-8); the PDF is bytes. */
export type YearFileContent = string | Buffer;

export interface YearFile {
  /** The file's name for a year, as the download offers it. */
  fileName(year: number): string;
  readonly contentType: string;
  render(source: YearFileSource): Promise<YearFileContent>;
}

const yearJournalFrom = (source: YearFileSource): Promise<YearJournal> => readYearJournal(source.projections, { year: source.year, ...source.cut });

export const YEAR_FILES = {
  xaf: {
    fileName: (year) => `buurtwerkkamer-${year}.xaf`,
    contentType: 'application/xml; charset=utf-8',
    render: async (source) => buildXaf(await yearJournalFrom(source), { createdAt: source.createdAt }),
  },
  hledger: {
    fileName: (year) => `buurtwerkkamer-${year}.journal`,
    contentType: 'text/plain; charset=utf-8',
    render: async (source) => buildHledgerJournal(await yearJournalFrom(source), { createdAt: source.createdAt }),
  },
  'journal.csv': {
    fileName: (year) => `buurtwerkkamer-${year}-journaal.csv`,
    contentType: 'text/csv; charset=utf-8',
    render: async (source) => buildJournalCsv(await yearJournalFrom(source)),
  },
  // The same rows for a Dutch spreadsheet (GET /exports/journal.csv?dialect=nl): a closed year's
  // copy is fingerprinted too, since the accountant may keep either.
  'journal-nl.csv': {
    fileName: (year) => `buurtwerkkamer-${year}-journaal-nl.csv`,
    contentType: 'text/csv; charset=utf-8',
    render: async (source) => buildJournalCsv(await yearJournalFrom(source), 'nl'),
  },
  // The whole cooperative's annual report (issue 12 item 4), the PDF GET /reports/annual/:year/report.pdf
  // serves. Its date is the report's reference date (31 December for a closed year), not createdAt.
  'annual-report.pdf': {
    fileName: (year) => `jaarrapportage-${year}.pdf`,
    contentType: 'application/pdf',
    render: (source) => renderAnnualReportPdf(source.projections, source.createdAt, { year: source.year, cut: source.cut }),
  },
} as const satisfies Record<string, YearFile>;

export type YearFileName = keyof typeof YEAR_FILES;
/** What a year file renders to: text for the exports, bytes for the PDF. */
export type YearFileContentOf<Name extends YearFileName> = Awaited<ReturnType<(typeof YEAR_FILES)[Name]['render']>>;
export const YEAR_FILE_NAMES = Object.keys(YEAR_FILES) as YearFileName[];

/** SHA-256 of a file's bytes (UTF-8 for text), as `sha256sum` prints it for the downloaded file. */
export function sha256Of(content: YearFileContent): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Where a closed year's files were cut: the closing's position and instant. */
export interface FilesCut {
  readonly year: number;
  readonly position: string;
  readonly createdAt: string;
}

/** The books as a closing cut them: the log up to its position, dated with its instant. */
export function closedYearSource(store: EventStore, cut: FilesCut): YearFileSource {
  return { year: cut.year, projections: new ProjectionsAtPosition(store, cut.position), cut: {}, createdAt: new Date(cut.createdAt) };
}

/**
 * Every year file from one source: what a closing hashes. Rendered together, so their reads of a
 * closing's log fall in one tick and share one pass over it.
 */
export async function renderAllYearFiles(source: YearFileSource): Promise<Map<YearFileName, YearFileContent>> {
  const contents = await Promise.all(YEAR_FILE_NAMES.map((name) => YEAR_FILES[name].render(source)));
  return new Map(YEAR_FILE_NAMES.map((name, index) => [name, contents[index]!]));
}

/** Every year file, rendered at a closing's cut: what the close hashes and what a closed year's routes serve. */
export function renderYearFiles(store: EventStore, cut: FilesCut): Promise<Map<YearFileName, YearFileContent>> {
  return renderAllYearFiles(closedYearSource(store, cut));
}

/** What is kept of a closed year at one cut. */
interface ClosedYearBooks {
  /** Every year file, rendered together on the first download (one pass over the log). */
  files?: Promise<Map<YearFileName, YearFileContent>>;
  /** The log at the cut for the annual report's other readings, made on the first of them. */
  reports?: YearFileSource;
}

/**
 * Closed years' files and books, kept once made: the same cut always gives the same bytes, so a
 * repeated download does not replay the log. Only a few cuts are kept: a large year's files are
 * tens of megabytes of text. Keyed by year, position and instant: a reopened and closed-again
 * year has another cut.
 *
 * The files are rendered from a source that is dropped afterwards: the ledger state behind the
 * journal files is the largest of all, and the files are all a download needs. The annual
 * report's other readings (the JSON, a financier's own report) keep a source of their own, which
 * replays only the projections the report reads.
 *
 * One per store (`ClosedYearFiles.of`), so the export routes and the annual report routes share it.
 */
export class ClosedYearFiles {
  private static readonly perStore = new WeakMap<EventStore, ClosedYearFiles>();
  private readonly kept = new Map<string, ClosedYearBooks>();

  static of(store: EventStore): ClosedYearFiles {
    let shared = ClosedYearFiles.perStore.get(store);
    if (!shared) {
      shared = new ClosedYearFiles(store);
      ClosedYearFiles.perStore.set(store, shared);
    }
    return shared;
  }

  constructor(private readonly store: EventStore, private readonly maxKept = 3) {}

  /** The books as the closing cut them, to read a report from. */
  source(cut: FilesCut): YearFileSource {
    const books = this.books(cut);
    books.reports ??= closedYearSource(this.store, cut);
    return books.reports;
  }

  async file<Name extends YearFileName>(cut: FilesCut, name: Name): Promise<YearFileContentOf<Name>> {
    const books = this.books(cut);
    if (!books.files) {
      const files = renderYearFiles(this.store, cut);
      books.files = files;
      // A failed rendering (the store was down) is tried again on the next download, not remembered.
      files.catch(() => {
        if (books.files === files) delete books.files;
      });
    }
    return (await books.files).get(name) as YearFileContentOf<Name>;
  }

  private books(cut: FilesCut): ClosedYearBooks {
    const key = `${cut.year}|${cut.position}|${cut.createdAt}`;
    let books = this.kept.get(key);
    if (!books) {
      books = {};
      this.kept.set(key, books);
      if (this.kept.size > this.maxKept) this.kept.delete(this.kept.keys().next().value!);
    }
    return books;
  }
}
