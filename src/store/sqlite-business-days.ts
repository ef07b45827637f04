import type Database from 'better-sqlite3';
import { businessDayOfStored, yearOfDay } from '../domain/business-date.js';
import type { BusinessDayCheck, BusinessDayIndex, ScannedRow } from './port.js';
import { asScannedRows, type SqliteScanRow } from './scan.js';

/** Events read per query when the index catches up with the log (a first open of an older file reads all of it). */
const PAGE_SIZE = 10_000;

/**
 * Each event's business day (yyyymmdd, 0 for an event without one) and its year, in its own
 * table of the ledger file, with an index by year: a year's export then reads that year's events
 * and the undated ones (`scanBusinessYear`) instead of every row of the log (docs/storage.md,
 * "The business-date index").
 *
 * The store derives the day itself, with the domain's one rule (`businessDayOfStored`, from the
 * same table as `businessDateOf`), rather than taking it from the caller with each append: the
 * fill-in of an older file has to derive it from the stored data anyway, so a caller-given date
 * would be a second definition, and every appender (command handlers, imports, CLI tools, tests)
 * would have to remember to pass it, where one forgotten would leave an event out of a year's
 * export. An index row is not part of the hashed event, so the hash chain is untouched.
 *
 * Kept like `log_digests` (sqlite-digests.ts): `follow()` indexes every event after the table's
 * last row, inside each append's transaction (an append and its index rows commit, or roll back,
 * together) and once at open, which fills the table of a file written by a build that did not
 * keep it. Derived data, created on first use rather than by a schema migration, so an older
 * build can still open the file. The year fold that reads it checks what it got against counts
 * folded from the whole log (year-journal.ts `windowIsComplete`): a missing or wrong row costs a
 * slower read, never an event left out of an export.
 */
export class SqliteBusinessDays implements BusinessDayIndex {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS business_days (position INTEGER PRIMARY KEY, year INTEGER NOT NULL, day INTEGER NOT NULL);
             CREATE INDEX IF NOT EXISTS business_days_by_year ON business_days (year)`);
    // One year's rows and the undated ones, merged in log order: the index by year holds each
    // year's positions in order (the rowid ends every index entry), so SQLite merges the two
    // ranges without sorting (b.position, not e.position: the planner knows only the first is the
    // index's order), and a batch costs its own rows only.
    const oneYear = 'SELECT b.position, e.stream, e.type, e.data, e.metadata FROM business_days b CROSS JOIN events e ON e.position = b.position WHERE b.year = ? AND b.position > ?';
    this.statements = {
      last: db.prepare<[], number>('SELECT MAX(position) FROM business_days').pluck(),
      rowsAfter: db.prepare<[number, number], { position: number; type: string; data: string }>('SELECT position, type, data FROM events WHERE position > ? ORDER BY position LIMIT ?'),
      insert: db.prepare<[number, number, number]>('INSERT INTO business_days (position, year, day) VALUES (?, ?, ?)'),
      scanYear: db
        .prepare<[number, number, number, number, number], SqliteScanRow>(
          `${oneYear} UNION ALL ${oneYear} ORDER BY 1 LIMIT ?`,
        )
        .raw(true),
      dayAt: db.prepare<[number], number>('SELECT day FROM business_days WHERE position = ?').pluck(),
      joined: db.prepare<[number, number], { position: number; type: string; data: string; year: number | null; day: number | null }>(
        'SELECT e.position, e.type, e.data, b.year, b.day FROM events e LEFT JOIN business_days b ON b.position = e.position WHERE e.position > ? ORDER BY e.position LIMIT ?',
      ),
    };
  }

  /**
   * Indexes every event after the table's last row. Must run inside a write transaction (the
   * caller's append, or `followInTransaction`): the last row and the events read must be one
   * moment of the file. `appended`, the events an append just inserted (positions ascending,
   * data as its JSON text), spares reading them back when they directly follow the last row.
   */
  follow(appended: ReadonlyArray<{ readonly position: string; readonly type: string; readonly data: string }> = []): void {
    const last = this.statements.last.get() ?? 0;
    if (appended.length > 0 && Number(appended[0]!.position) === last + 1) {
      for (const event of appended) this.index(Number(event.position), event.type, event.data);
      return;
    }
    let after = last;
    for (;;) {
      const rows = this.statements.rowsAfter.all(after, PAGE_SIZE);
      for (const row of rows) this.index(row.position, row.type, row.data);
      if (rows.length < PAGE_SIZE) return;
      after = rows[rows.length - 1]!.position;
    }
  }

  /** At open: the index catches up with events appended by a build that did not keep it. */
  followInTransaction(): void {
    this.db.transaction(() => this.follow()).immediate();
  }

  /** The day stored for the event at `position` (undefined when it has no row): for tests and checks. */
  dayAt(position: string): number | undefined {
    return this.statements.dayAt.get(Number(position));
  }

  /**
   * One batch of the events after `after` whose business year is `year` or that have none, in
   * log order, at most `limit` of them, as the batched scan's rows.
   */
  yearBatch(year: number, after: number, limit: number): ScannedRow[] {
    return asScannedRows(this.statements.scanYear.all(year, after, 0, after, limit));
  }

  /**
   * Every event's day derived again and compared with its row (year included): the first event
   * whose row is missing or differs. Only a change to the file outside the store makes one; the
   * exports would not miss an event for it (they check what they read), but `verify` says so.
   */
  async check(): Promise<BusinessDayCheck> {
    let checked = 0;
    for (let after = 0; ; ) {
      const rows = this.statements.joined.all(after, PAGE_SIZE);
      for (const row of rows) {
        const derived = businessDayOfStored(row.type, row.data);
        if (row.day !== derived || row.year !== yearOfDay(derived)) {
          const problem = row.day === null ? 'no business-date index row is stored for it' : `the index says day ${row.day} of year ${row.year}, its data says ${derived}`;
          return { ok: false, checked, position: String(row.position), stored: row.day, derived, problem };
        }
        checked += 1;
      }
      if (rows.length < PAGE_SIZE) return { ok: true, checked };
      after = rows[rows.length - 1]!.position;
    }
  }

  private index(position: number, type: string, data: string): void {
    const day = businessDayOfStored(type, data);
    this.statements.insert.run(position, yearOfDay(day), day);
  }
}
