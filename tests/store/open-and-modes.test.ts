/**
 * Opening the ledger file: a path that cannot be opened for writing fails with the path and the
 * cause; the file, its WAL and SHM are 0600 in a 0700 folder, and looser modes left by an older
 * version are tightened, with a notice for the log.
 *
 * The tests run as root, where chmod does not stop access, so "cannot be opened" is made the ways
 * that stop root too: a path under a regular file (ENOTDIR), a folder where the file should be
 * (EISDIR), and a file SQLite cannot parse as a database (SQLITE_NOTADB).
 */
import t from 'tap';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/store/sqlite.js';
import { StorageOpenError } from '../../src/store/faults.js';
import { openConfiguredStore } from '../../src/store/open.js';
import { loadConfig } from '../../src/config.js';

const modeOf = (path: string): number => statSync(path).mode & 0o777;

t.test('a path under a regular file fails naming the path and ENOTDIR', async (t) => {
  const afile = join(t.testdir(), 'afile');
  writeFileSync(afile, 'not a folder');
  const path = join(afile, 'ledger.db');
  t.throws(() => new SqliteEventStore(path), {
    name: 'StorageOpenError',
    code: 'ENOTDIR',
    message: `cannot open ${path} for writing: a part of the path is a file, not a folder (ENOTDIR)`,
  });
});

t.test('a folder where the ledger file should be fails naming the path and EISDIR', async (t) => {
  const path = join(t.testdir(), 'ledger.db');
  mkdirSync(path);
  t.throws(() => new SqliteEventStore(path), { code: 'EISDIR', message: `cannot open ${path} for writing: it is a folder, not a file (EISDIR)` });
});

t.test('a file that is not an SQLite database fails naming the path and SQLITE_NOTADB, and is left as it was', async (t) => {
  const path = join(t.testdir(), 'ledger.db');
  const text = 'these are the minutes of the kascommissie, not a ledger\n'.repeat(100);
  writeFileSync(path, text);
  let thrown: unknown;
  try {
    new SqliteEventStore(path);
  } catch (error) {
    thrown = error;
  }
  t.ok(thrown instanceof StorageOpenError);
  t.match(thrown, { message: `cannot open ${path} for writing: the file is not an SQLite database (SQLITE_NOTADB)` });
  t.equal(statSync(path).size, text.length, 'not a byte changed');
});

t.test('the CLI and the service open through openConfiguredStore: the same message', async (t) => {
  const afile = join(t.testdir(), 'afile');
  writeFileSync(afile, '');
  const path = join(afile, 'ledger.db');
  await t.rejects(openConfiguredStore(loadConfig({ SQLITE_PATH: path })), { message: `cannot open ${path} for writing: a part of the path is a file, not a folder (ENOTDIR)` });
});

t.test('a new ledger is created 0600, its WAL and SHM 0600, in a new folder 0700', async (t) => {
  const root = t.testdir();
  const folder = join(root, 'data', 'ledgers');
  const path = join(folder, 'ledger.db');
  const store = new SqliteEventStore(path);
  t.teardown(() => store.close());
  await store.append('kamer-top', [{ type: 'KamerRegistered', data: { kamerId: 'top', name: 'TOP' }, metadata: { recordedBy: 'treasurer' } }], 'no-stream');
  t.equal(modeOf(path), 0o600, 'ledger.db');
  t.equal(modeOf(`${path}-wal`), 0o600, 'ledger.db-wal');
  t.equal(modeOf(`${path}-shm`), 0o600, 'ledger.db-shm');
  t.equal(modeOf(folder), 0o700, 'the folder created for it');
  t.equal(modeOf(join(root, 'data')), 0o700, 'and its new parent');
});

t.test('an existing ledger, WAL and SHM left 0644 are tightened to 0600 at open, each with a notice', async (t) => {
  const path = join(t.testdir(), 'ledger.db');
  const first = new SqliteEventStore(path);
  await first.append('kamer-top', [{ type: 'KamerRegistered', data: { kamerId: 'top', name: 'TOP' }, metadata: { recordedBy: 'treasurer' } }], 'no-stream');
  // While the first connection is open the WAL and SHM exist; loosen all three as an old version left them.
  for (const file of [path, `${path}-wal`, `${path}-shm`]) chmodSync(file, 0o644);
  const notices: Array<{ path: string; from: string; to: string }> = [];
  const second = new SqliteEventStore(path, { onModeTightened: (details) => notices.push(details) });
  t.teardown(async () => {
    await second.close();
    await first.close();
  });
  t.same(
    notices,
    [path, `${path}-wal`, `${path}-shm`].map((file) => ({ path: file, from: '0644', to: '0600' })),
  );
  for (const file of [path, `${path}-wal`, `${path}-shm`]) t.equal(modeOf(file), 0o600, file);
  t.equal((await second.lastPosition()), '1', 'the ledger opens as before');
});
