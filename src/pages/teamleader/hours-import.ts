import { createHash } from 'node:crypto';
import { v5 as nameBasedUuid } from 'uuid';
import type { CommandHandler, CommandMetadata } from '../../application/command-handler.js';
import type { RoomCommands } from '../../application/room-commands.js';
import { streams } from '../../domain/events.js';
import { volunteerEntryDecider } from '../../domain/volunteer-hours/decider.js';
import { readHoursCsv, type CsvRowError } from './hours-csv.js';

/** Namespace of the entry ids an import derives from its file (see `entryIdOf`). */
const IMPORTED_ENTRY_NAMESPACE = '0b7d3c52-6a1e-4f8e-9c3d-2e5f7a9b1c44';

export type HoursImport = { readonly ok: true; readonly imported: number; readonly skipped: number } | { readonly ok: false; readonly errors: readonly CsvRowError[] };

/**
 * Each row's entry id comes from the room, the file's digest and the row's number. Entries are one
 * stream each and the store port has no atomic append across streams, so a file is written as one
 * entry per stream; if the service stops halfway, uploading the same file again finds the rows
 * already written under the same ids and writes only the rest. The same file twice never doubles
 * the hours.
 */
function entryIdOf(kamer: string, digest: string, row: number): string {
  return nameBasedUuid(`${kamer}\n${digest}\n${row}`, IMPORTED_ENTRY_NAMESPACE);
}

/**
 * A CSV of hours for the room `kamer`: every row is checked first (schema and decider, as the
 * single command), and nothing is written unless every row passes. Then each row is recorded
 * through the same command as POST /kamers/:kamer/volunteer-hours, all at once so that the SQLite
 * store commits them in one transaction.
 */
export async function importHoursCsv(
  deps: { readonly roomCommands: RoomCommands; readonly commands: CommandHandler },
  kamer: string,
  content: string,
  today: string,
  metadata: (digest: string) => CommandMetadata,
): Promise<HoursImport> {
  const checked = readHoursCsv(content, kamer, today);
  if (!checked.ok) return checked;
  const digest = createHash('sha256').update(content).digest('hex');
  const rows = checked.rows.map(({ row, input }) => ({ ...input, entryId: entryIdOf(kamer, digest, row) }));
  const written = await Promise.all(
    rows.map(async (input) => {
      const { state } = await deps.commands.load(volunteerEntryDecider, streams.volunteerEntry(input.entryId));
      if (state.status !== 'none') return false;
      await deps.roomCommands.recordVolunteerHours(kamer, input, metadata(digest));
      return true;
    }),
  );
  const imported = written.filter(Boolean).length;
  return { ok: true, imported, skipped: written.length - imported };
}
