/**
 * The service as the operator runs it: src/main.ts in a child process (through tsx, as npm start
 * does), against real files. Start-up on a path that cannot be opened fails naming it; a normal
 * start tightens loose modes, writes an anchor, and graceful shutdown writes another.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '../src/store/sqlite.js';
import type { RecordedEvent } from '../src/store/port.js';
import { PROJECT_ROOT, startService } from './helpers/service-process.js';


function environment(values: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...values };
}

t.test('start-up on a ledger path under a regular file fails with exit 1, naming the path and ENOTDIR', async (t) => {
  // Root ignores file modes, so the path is made unopenable the way that stops root too.
  const folder = t.testdir();
  const afile = join(folder, 'afile');
  writeFileSync(afile, '');
  const path = join(afile, 'ledger.db');
  const started = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: environment({ SQLITE_PATH: path, DATA_DIR: join(folder, 'data') }),
    encoding: 'utf8',
    timeout: 60_000,
  });
  t.equal(started.status, 1, started.stderr);
  t.match(started.stderr, `start-up failed: cannot open ${path} for writing: a part of the path is a file, not a folder (ENOTDIR)`);
});

t.test('a start tightens loose modes, anchors the log, and graceful shutdown anchors what was appended meanwhile', async (t) => {
  const folder = join(t.testdir(), 'data');
  const path = join(folder, 'ledger.db');
  const events = await writeEvents(path, 2);
  // As an older version left them: the folder 0755, the ledger 0644, the tokens file 0644.
  const tokensFile = join(folder, 'tokens.json');
  writeFileSync(tokensFile, `${JSON.stringify({ version: 1, tokens: [] })}\n`);
  chmodSync(folder, 0o755);
  chmodSync(path, 0o644);
  chmodSync(tokensFile, 0o644);

  const service = await startService(t, environment({ SQLITE_PATH: path, DATA_DIR: folder }));
  // The start anchor is written once the service listens.
  await service.waitForLog(`"reason":"start"`);
  t.equal(statSync(folder).mode & 0o777, 0o700, 'the data folder is tightened to 0700');
  t.equal(statSync(path).mode & 0o777, 0o600, 'ledger.db is tightened to 0600');
  t.equal(statSync(tokensFile).mode & 0o777, 0o600, 'tokens.json (now holding the first token) is 0600');
  for (const file of [folder, path, tokensFile]) t.match(service.log(), `tightened the mode of ${file}`, `the log says so for ${file}`);

  const anchorFile = join(folder, 'anchors.jsonl');
  t.equal(statSync(anchorFile).mode & 0o777, 0o600, 'anchors.jsonl is 0600');
  const atStart = anchorLines(anchorFile);
  t.same(atStart.map(({ position, digest }) => ({ position, digest })), [{ position: '2', digest: digestOf(events) }]);
  t.match(service.log(), `"reason":"start"`);

  events.push(...(await writeEvents(path, 1)));
  t.equal(await service.stop(), 0, 'SIGTERM stops the service cleanly');
  const atEnd = anchorLines(anchorFile);
  t.equal(atEnd.length, 2, 'one more line at shutdown');
  t.same({ position: atEnd[1]!.position, digest: atEnd[1]!.digest }, { position: '3', digest: digestOf(events) });
  t.match(service.log(), `"reason":"shutdown"`);
});

t.test('an anchor file that cannot be written does not keep the service from starting; the log says why', async (t) => {
  // Before, the start anchor's error ended start-up: after a crash with a full disk, not even reads.
  const dir = t.testdir();
  const folder = join(dir, 'data');
  const path = join(folder, 'ledger.db');
  await writeEvents(path, 1);
  const blocker = join(dir, 'afile');
  writeFileSync(blocker, '');
  const service = await startService(t, environment({ SQLITE_PATH: path, DATA_DIR: folder, ANCHOR_FILE: join(blocker, 'anchors.jsonl') }));
  await service.waitForLog('could not write the start anchor');
  t.match(service.log(), 'ENOTDIR');
  t.equal(await service.stop(), 0, 'it ran, and stops cleanly');
});

// Fixtures --------------------------------------------------------------------------------------

/** Appends `count` petty-cash transfers through a connection of its own (WAL allows it while the service runs). */
async function writeEvents(path: string, count: number): Promise<RecordedEvent[]> {
  const store = new SqliteEventStore(path);
  const written: RecordedEvent[] = [];
  try {
    for (let index = 0; index < count; index += 1) {
      const data = { transferId: randomUUID(), kamerId: 'top', date: '2019-09-02', month: '2019-09', amount: '250.00' };
      written.push(...(await store.append(`petty-cash-${randomUUID()}`, [{ type: 'PettyCashTransferred', data, metadata: { recordedBy: 'treasurer' } }], 'no-stream')).events);
    }
  } finally {
    await store.close();
  }
  return written;
}

function anchorLines(file: string): Array<{ position: string; digest: string; time: string }> {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { position: string; digest: string; time: string });
}

/** The digest rule restated: SHA-256 folded over the hashes in log order, from 64 zeros. */
function digestOf(log: readonly RecordedEvent[]): string {
  return log.reduce((digest, event) => createHash('sha256').update(digest).update(event.hash).digest('hex'), '0'.repeat(64));
}
