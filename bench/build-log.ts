/**
 * Writes a synthetic log of N events (bench/projections-log.ts, default shape) to a new SQLite
 * file, for the benches' `--file`: `npx tsx bench/build-log.ts 3000000 /work/bench-data/log-3m.db`.
 * A `<file>.building` marker exists while it is written, so other processes wait for it.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { SqliteEventStore } from '../src/store/sqlite.js';
import { writeSyntheticLog } from './projections-log.js';

const [countText, path] = process.argv.slice(2);
const count = Number((countText ?? '').replace(/_/g, ''));
if (!Number.isInteger(count) || count <= 0 || path === undefined) throw new Error('usage: tsx bench/build-log.ts <events> <file.db>');
if (existsSync(path)) throw new Error(`${path} exists already`);
const marker = `${path}.building`;
writeFileSync(marker, '');
const store = new SqliteEventStore(path);
try {
  await writeSyntheticLog(store, count, (written) => {
    if (written % 100_000 === 0) console.log(`${written.toLocaleString('en')} events written`);
  });
} finally {
  await store.close();
  rmSync(marker);
}
