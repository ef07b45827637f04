import t, { type Test } from 'tap';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyCommand } from '../../src/cli/commands/verify.js';
import { runCli } from '../../src/cli/run.js';
import { loadConfig } from '../../src/config.js';
import { eventHash, GENESIS_HASH } from '../../src/store/hashing.js';
import { SqliteEventStore } from '../../src/store/sqlite.js';
import type { EventMetadata, RecordedEvent } from '../../src/store/port.js';

t.test('verify on an intact ledger exits 0 and prints the digest to keep, with the command to check it later', async (t) => {
  const ledger = await buildLedger(t);
  const { code, out } = await verify(ledger, []);
  t.equal(code, 0);
  t.match(out, 'the log is intact');
  t.match(out, `events:         ${ledger.events.length}`);
  t.match(out, `last position:  ${ledger.last.position}`);
  t.match(out, `digest:         ${digestOf(ledger.events)}`);
  t.match(out, `npm run cli -- verify --digest ${digestOf(ledger.events)} --at ${ledger.last.position}`);
});

t.test('verify --json prints what GET /audit/verify answers, and the check of the stored running digests', async (t) => {
  const ledger = await buildLedger(t);
  const { code, out } = await verify(ledger, ['--json']);
  t.equal(code, 0);
  // The ledger's folder has no anchors.jsonl: no anchors to check.
  t.same(JSON.parse(out), { ok: true, events: ledger.events.length, lastPosition: ledger.last.position, lastHash: ledger.last.hash, digest: digestOf(ledger.events), anchors: { checked: 0, ok: 0 }, runningDigests: { ok: true, checked: ledger.events.length }, businessDays: { ok: true, checked: ledger.events.length } });
});

t.test('a business-date index row changed outside the store: the chains pass, verify names the row and exits 1', async (t) => {
  const ledger = await buildLedger(t);
  const transfer = ledger.events.find((event) => event.type === 'PettyCashTransferred')!;
  const { date } = transfer.data as { date: string };
  const day = Number(date.replaceAll('-', ''));
  ledger.tamper((db) => db.prepare('UPDATE business_days SET year = 1999, day = 19990101 WHERE position = ?').run(Number(transfer.position)));
  const { code, out } = await verify(ledger, []);
  t.equal(code, 1);
  t.match(out, 'the log is intact: every hash chain recomputes');
  t.match(out, `BUSINESS-DATE INDEX DIFFERS at position ${transfer.position}`);
  const json = JSON.parse((await verify(ledger, ['--json'])).out);
  t.match(json.businessDays, { ok: false, position: transfer.position, stored: 19990101, derived: day });
});

t.test('verify on a tampered ledger exits 1 and names the first bad position', async (t) => {
  const ledger = await buildLedger(t);
  const target = ledger.events[2]!;
  ledger.tamper((db) => db.prepare(`UPDATE events SET data = replace(data, '250.00', '200.00') WHERE position = ?`).run(Number(target.position)));
  const readable = await verify(ledger, []);
  t.equal(readable.code, 1);
  t.match(readable.out, 'THE LOG HAS BEEN TAMPERED WITH');
  t.match(readable.out, `first bad position:  ${target.position}`);
  t.match(readable.out, `stream:              ${target.stream}`);
  const json = await verify(ledger, ['--json']);
  t.equal(json.code, 1);
  t.match(JSON.parse(json.out), { ok: false, firstBadPosition: target.position, stream: target.stream, problem: /^hash mismatch/ });
});

t.test('verify --at prints the digest at that position, to keep at year end', async (t) => {
  const ledger = await buildLedger(t);
  const { code, out } = await verify(ledger, ['--at', '2']);
  t.equal(code, 0);
  t.match(out, `digest at position 2 (2 events): ${digestOf(ledger.events.slice(0, 2))}`);
  const beyond = await verify(ledger, ['--at', String(Number(ledger.last.position) + 1)]);
  t.equal(beyond.code, 2, 'no digest for a position the log has not reached');
  t.match(beyond.err, `the log ends at position ${ledger.last.position}`);
});

t.test('verify --digest --at exits 0 when the kept digest still matches, also after later events', async (t) => {
  const ledger = await buildLedger(t);
  const kept = digestOf(ledger.events);
  const at = ledger.last.position;
  const eventsAtDigest = ledger.events.length;
  await ledger.append('postzegels');
  const { code, out } = await verify(ledger, ['--digest', kept.toUpperCase(), '--at', at]);
  t.equal(code, 0);
  t.match(out, `digest at position ${at} MATCHES (${eventsAtDigest} events)`);
  const json = JSON.parse((await verify(ledger, ['--json', '--digest', kept, '--at', at])).out);
  t.match(json, { ok: true, events: eventsAtDigest + 1, digestCheck: { matches: true, position: at, digest: kept } });
});

t.test('a deleted last event fails verify (SQLite had assigned its position) and verify --digest at the old last position', async (t) => {
  const ledger = await buildLedger(t);
  const kept = digestOf(ledger.events);
  const oldLast = ledger.last.position;
  ledger.tamper((db) => db.prepare('DELETE FROM events WHERE position = ?').run(Number(oldLast)));
  t.equal((await verify(ledger, [])).code, 1, 'verify sees that the newest assigned position is missing');
  const { code, out } = await verify(ledger, ['--digest', kept, '--at', oldLast]);
  t.equal(code, 1);
  t.match(out, `digest at position ${oldLast} DOES NOT MATCH`);
  t.match(out, `kept:   ${kept}`);
  t.match(out, `the log now ends at position ${Number(oldLast) - 1}, before ${oldLast}`);
});

t.test('a rewrite that re-chains its stream passes the chains, but not the running digests the store kept', async (t) => {
  const ledger = await buildLedger(t);
  const transfer = ledger.events.find((event) => event.type === 'PettyCashTransferred')!;
  ledger.tamper((db) => rechain(db, transfer));
  const { code, out } = await verify(ledger, []);
  t.equal(code, 1);
  t.match(out, 'the log is intact: every hash chain recomputes', 'the chains recompute');
  t.match(out, `RUNNING DIGEST DIFFERS at position ${transfer.position}`, 'the first running digest after the rewrite does not');
  const json = await verify(ledger, ['--json']);
  t.match(JSON.parse(json.out).runningDigests, { ok: false, position: transfer.position, stored: digestOf(ledger.events.slice(0, Number(transfer.position))) });
});

t.test('a rewrite that re-chains its stream and recomputes the running digests passes both, but verify --digest exits 1', async (t) => {
  const ledger = await buildLedger(t);
  const kept = digestOf(ledger.events);
  const transfer = ledger.events.find((event) => event.type === 'PettyCashTransferred')!;
  ledger.tamper((db) => {
    rechain(db, transfer);
    // Opening the store folds the running digests again from the (rewritten) hashes.
    db.prepare('DELETE FROM log_digests WHERE position >= ?').run(Number(transfer.position));
  });
  t.equal((await verify(ledger, [])).code, 0, 'the chains and the running digests recompute');
  const { code, out } = await verify(ledger, ['--digest', kept, '--at', ledger.last.position]);
  t.equal(code, 1);
  t.match(out, 'the events up to position');
});

/** The transfer is its stream's only event, so re-chaining it means recomputing just its hash. */
function rechain(db: Database.Database, transfer: RecordedEvent): void {
  const data = { ...(transfer.data as Record<string, unknown>), amount: '200.00' };
  const hash = eventHash(GENESIS_HASH, { stream: transfer.stream, revision: 0, type: transfer.type, data, metadata: transfer.metadata as EventMetadata });
  db.prepare('UPDATE events SET data = ?, hash = ? WHERE position = ?').run(JSON.stringify(data), hash, Number(transfer.position));
}

t.test('a matching digest is not enough on its own: with a broken chain verify --digest still exits 1', async (t) => {
  // Changing data without touching the stored hash leaves the digest (a fold of stored hashes)
  // as it was; the chain check is what catches it.
  const ledger = await buildLedger(t);
  const kept = digestOf(ledger.events);
  ledger.tamper((db) => db.prepare(`UPDATE events SET data = replace(data, '2000.00', '2900.00') WHERE position = 1`).run());
  const { code, out } = await verify(ledger, ['--digest', kept, '--at', ledger.last.position]);
  t.equal(code, 1);
  t.match(out, 'MATCHES');
  t.match(out, 'THE LOG HAS BEEN TAMPERED WITH');
});

t.test('wrong arguments and a missing ledger file exit 2 with the usage', async (t) => {
  const ledger = await buildLedger(t);
  const digest = digestOf(ledger.events);
  const cases: Array<[string[], string]> = [
    [['--digest', digest], '--digest needs --at'],
    [['--digest', 'abc123', '--at', '1'], '--digest must be 64 hexadecimal characters'],
    [['--at', 'last'], '--at must be a log position'],
    [['--colour'], "Unknown option '--colour'"],
    [['now'], 'unexpected argument now'],
  ];
  for (const [args, message] of cases) {
    const { code, err } = await verify(ledger, args);
    t.equal(code, 2, args.join(' '));
    t.match(err, message);
    t.match(err, 'usage: verify');
  }
  const missing = await runVerify(loadConfig({ SQLITE_PATH: join(dirname(ledger.path), 'nothing-here.db') }), []);
  t.equal(missing.code, 2);
  t.match(missing.err, 'no ledger at');
});

t.test('the CLI entry point that npm run cli runs knows verify and sets the process exit code', async (t) => {
  const ledger = await buildLedger(t);
  const env = { ...process.env, SQLITE_PATH: ledger.path, DATA_DIR: dirname(ledger.path) };
  const intact = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'verify'], { env, cwd: PROJECT_ROOT, encoding: 'utf8' });
  t.equal(intact.status, 0, intact.stderr);
  t.match(intact.stdout, 'the log is intact');
  ledger.tamper((db) => db.prepare(`UPDATE events SET type = 'PettyCashSpent' WHERE position = 2`).run());
  const tampered = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'verify'], { env, cwd: PROJECT_ROOT, encoding: 'utf8' });
  t.equal(tampered.status, 1);
  t.match(tampered.stdout, 'first bad position:  2');

  const captured: string[] = [];
  const previous = process.env['SQLITE_PATH'];
  process.env['SQLITE_PATH'] = ledger.path;
  t.teardown(() => {
    if (previous === undefined) delete process.env['SQLITE_PATH'];
    else process.env['SQLITE_PATH'] = previous;
  });
  const code = await runCli(['verify', '--json'], { out: (text) => captured.push(text), err: (text) => captured.push(text) });
  t.equal(code, 1);
  t.match(JSON.parse(captured.join('\n')), { ok: false, firstBadPosition: '2' });
});

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

// Fixtures --------------------------------------------------------------------------------------

interface Ledger {
  readonly path: string;
  /** Every event as written, in log order (extended by `append`). */
  readonly events: RecordedEvent[];
  readonly last: RecordedEvent;
  append(description: string): Promise<void>;
  tamper(change: (db: Database.Database) => void): void;
}

/** A small real ledger file: a pledge, its status change, a petty-cash transfer; the store closed. */
async function buildLedger(t: Test): Promise<Ledger> {
  const path = join(t.testdir(), 'ledger.db');
  const pledgeId = '6f9c1c2e-2f1b-4c3a-9d55-0b8f3a1e7c01';
  const pledge = { pledgeId, financierId: 'kansfonds', kamerId: 'de-verbinding', year: 2019 };
  const events: RecordedEvent[] = [];
  const write = async (stream: string, type: string, data: unknown): Promise<void> => {
    const store = new SqliteEventStore(path);
    try {
      events.push(...(await store.append(stream, [{ type, data, metadata: { recordedBy: 'treasurer(Penningmeester)' } }], 'any')).events);
    } finally {
      await store.close();
    }
  };
  await write(`pledge-${pledgeId}`, 'PledgeMade', { ...pledge, amount: '2000.00', form: 'cash', status: 'conditional' });
  await write(`pledge-${pledgeId}`, 'PledgeStatusChanged', { ...pledge, from: 'conditional', to: 'committed' });
  await write('petty-cash-de-verbinding', 'PettyCashTransferred', {
    transferId: '3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e01',
    kamerId: 'de-verbinding',
    date: '2019-09-02',
    month: '2019-09',
    amount: '250.00',
  });
  return {
    path,
    events,
    get last() {
      return events[events.length - 1]!;
    },
    append: (description) =>
      write('petty-cash-de-verbinding', 'PettyCashSpent', {
        spendingId: '5e6f7a8b-9c0d-4e1f-8a2b-4c5d6e7f8a01',
        kamerId: 'de-verbinding',
        date: '2019-09-05',
        category: 'E',
        amount: '8.95',
        description,
      }),
    tamper(change) {
      const db = new Database(path);
      try {
        change(db);
      } finally {
        db.close();
      }
    },
  };
}

async function runVerify(config: ReturnType<typeof loadConfig>, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await verifyCommand.run(args, { config, out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function verify(ledger: Ledger, args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runVerify(loadConfig({ SQLITE_PATH: ledger.path, DATA_DIR: dirname(ledger.path) }), args);
}

/** The digest rule restated: SHA-256 folded over the hashes in log order, from 64 zeros. */
function digestOf(log: readonly RecordedEvent[]): string {
  return log.reduce((digest, event) => createHash('sha256').update(digest).update(event.hash).digest('hex'), '0'.repeat(64));
}
