/**
 * Anchors: digests written outside the database. Someone who rewrites an amount in the SQLite file
 * and recomputes that stream's hashes passes the chain check (tests/store/tamper.test.ts (e)); the
 * anchors the service wrote before catch it, in verifyLog's answer, GET /audit/verify and the CLI.
 */
import t, { type Test } from 'tap';
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../src/store/sqlite.js';
import { Anchorer, readAnchorFile, verifyWithAnchors, type Anchor } from '../../src/store/anchors.js';
import { verifyLog } from '../../src/store/integrity.js';
import { verifyCommand } from '../../src/cli/commands/verify.js';
import { rewriteAndRehash } from '../helpers/tamper.js';
import { loadConfig } from '../../src/config.js';
import type { RecordedEvent } from '../../src/store/port.js';
import { createTestApp } from '../helpers/app.js';

t.test('the anchorer appends position, digest and time; nothing when the log did not move; a line once it did', async (t) => {
  const ledger = await buildLedger(t);
  const store = ledger.open();
  const logged: string[] = [];
  const anchorer = new Anchorer(store, ledger.anchorFile, (_details, message) => logged.push(message), () => new Date('2020-12-31T23:00:00Z'));
  const first = await anchorer.anchor('start');
  t.same(first, { position: ledger.last.position, digest: digestOf(ledger.events), time: '2020-12-31T23:00:00.000Z' });
  t.equal(await anchorer.anchor('interval'), undefined, 'the position did not change: no new line');
  ledger.events.push(...(await store.append('petty-cash-top', [spending('12.50')], 'any')).events);
  const second = await anchorer.anchor('shutdown');
  t.same(second, { position: ledger.last.position, digest: digestOf(ledger.events), time: '2020-12-31T23:00:00.000Z' });
  t.same(anchorLines(ledger.anchorFile), [first, second], 'one JSON line per anchor, in order');
  t.equal(statSync(ledger.anchorFile).mode & 0o777, 0o600, 'the anchor file is 0600');
  t.equal(logged.length, 2, 'each anchor is printed in the log');
  t.match(logged[1], `position ${second!.position}, digest ${second!.digest}`);

  const restarted = new Anchorer(store, ledger.anchorFile, () => {});
  t.equal(await restarted.anchor('start'), undefined, 'a restart on an unchanged log adds no line: it reads the last one');
});

t.test('an empty log is not anchored', async (t) => {
  const path = join(t.testdir(), 'empty.db');
  const store = new SqliteEventStore(path);
  t.teardown(() => store.close());
  const file = join(t.testdir(), 'anchors.jsonl');
  t.equal(await new Anchorer(store, file, () => {}).anchor('start'), undefined);
  t.same(readAnchorFile(file), []);
});

t.test('untouched: every anchor agrees and verify is ok', async (t) => {
  const ledger = await buildLedger(t);
  await ledger.anchorNow();
  await ledger.appendAndAnchor('8.95');
  const result = await verifyWithAnchors(ledger.open(), ledger.anchorFile);
  t.match(result, { ok: true, events: ledger.events.length, anchors: { checked: 2, ok: 2 } });
  t.notOk('firstBad' in result.anchors);
});

t.test('an amount rewritten with its stream re-hashed passes the chains, and fails verify naming the anchor', async (t) => {
  const ledger = await buildLedger(t);
  const firstAnchor = await ledger.anchorNow();
  const laterAnchor = await ledger.appendAndAnchor('8.95');
  const pledge = ledger.events.find((event) => event.type === 'PledgeMade')!;
  ledger.tamper((db) => rewriteAndRehash(db, pledge.position, (data) => ({ ...data, amount: '9000.00' })));
  const store = ledger.open();
  t.match(await verifyLog(store), { ok: true }, 'the chains recompute: the attacker used the real hash function');

  const result = await verifyWithAnchors(store, ledger.anchorFile);
  t.match(result, {
    ok: false,
    firstBadPosition: '1',
    events: 0,
    problem: `the anchor of ${firstAnchor.time} (line 1) at position ${firstAnchor.position} does not match: the events up to it were changed, removed, inserted or reordered since`,
    anchors: { checked: 2, ok: 0, firstBad: { line: 1, position: firstAnchor.position, anchored: firstAnchor.digest } },
  });
  t.not(result.anchors.firstBad?.digest, firstAnchor.digest, 'the digest the log gives now is another one');
  t.ok(laterAnchor, 'the later anchor disagrees as well');
});

t.test('a rewrite after an anchor leaves that anchor agreeing: the log is vouched for up to it', async (t) => {
  const ledger = await buildLedger(t);
  const early = await ledger.anchorNow();
  const late = await ledger.appendAndAnchor('8.95');
  const spent = ledger.events[ledger.events.length - 1]!;
  ledger.tamper((db) => rewriteAndRehash(db, spent.position, (data) => ({ ...data, amount: '0.95' })));
  const result = await verifyWithAnchors(ledger.open(), ledger.anchorFile);
  t.match(result, {
    ok: false,
    events: Number(early.position),
    firstBadPosition: String(Number(early.position) + 1),
    anchors: { checked: 2, ok: 1, lastGoodPosition: early.position, firstBad: { line: 2, position: late.position } },
  });
});

t.test('an anchor beyond the end of the log means events were deleted, even with sqlite_sequence rewound', async (t) => {
  const ledger = await buildLedger(t);
  const anchor = await ledger.anchorNow();
  ledger.tamper((db) => {
    db.prepare('DELETE FROM events WHERE position = ?').run(Number(anchor.position));
    db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'").run(Number(anchor.position) - 1);
  });
  const store = ledger.open();
  t.match(await verifyLog(store), { ok: true }, 'the chains alone see nothing');
  t.match(await verifyWithAnchors(store, ledger.anchorFile), {
    ok: false,
    anchors: {
      checked: 1,
      ok: 0,
      firstBad: { line: 1, position: anchor.position, digest: null, problem: `the anchor of ${anchor.time} (line 1) names position ${anchor.position}, but the log ends at ${Number(anchor.position) - 1}: events were deleted` },
    },
  });
});

t.test('a line of the anchor file that is not an anchor fails verify: the file was edited', async (t) => {
  const ledger = await buildLedger(t);
  await ledger.anchorNow();
  appendFileSync(ledger.anchorFile, '{"position":"2","digest":"not a digest","time":"2020-12-31T23:00:00Z"}\n');
  t.match(await verifyWithAnchors(ledger.open(), ledger.anchorFile), {
    ok: false,
    anchors: { checked: 2, ok: 1, firstBad: { line: 2, position: null, problem: /^line 2 of the anchor file is not an anchor/ } },
  });
});

t.test('GET /audit/verify checks the anchor file and answers ok: false naming the anchor', async (t) => {
  const ledger = await buildLedger(t);
  const anchor = await ledger.anchorNow();
  const transfer = ledger.events.find((event) => event.type === 'PettyCashTransferred')!;
  ledger.tamper((db) => rewriteAndRehash(db, transfer.position, (data) => ({ ...data, amount: '200.00' })));
  const api = await createTestApp(t, { path: ledger.path, anchorFile: ledger.anchorFile });
  const response = await api.get(api.tokens.accountant, '/audit/verify');
  t.equal(response.statusCode, 200, response.body);
  t.match(response.json(), { ok: false, anchors: { checked: 1, ok: 0, firstBad: { line: 1, position: anchor.position, anchored: anchor.digest } } });
});

t.test('npm run cli -- verify checks ANCHOR_FILE: exit 0 while it agrees, 1 naming the anchor after the rewrite', async (t) => {
  const ledger = await buildLedger(t);
  const anchor = await ledger.anchorNow();
  const config = loadConfig({ SQLITE_PATH: ledger.path, ANCHOR_FILE: ledger.anchorFile });
  const intact = await runVerify(config);
  t.equal(intact.code, 0, intact.out);
  t.match(intact.out, `anchors:        1 checked in ${ledger.anchorFile}, 1 agree`);

  const pledge = ledger.events.find((event) => event.type === 'PledgeMade')!;
  ledger.tamper((db) => rewriteAndRehash(db, pledge.position, (data) => ({ ...data, amount: '9000.00' })));
  const tampered = await runVerify(config);
  t.equal(tampered.code, 1);
  t.match(tampered.out, 'THE LOG HAS BEEN TAMPERED WITH: an anchor kept outside it disagrees');
  t.match(tampered.out, `FIRST BAD ANCHOR: line 1: the anchor of ${anchor.time} (line 1) at position ${anchor.position} does not match`);
  t.match(tampered.out, `anchored:  ${anchor.digest}`);
});

t.test('the default anchor file is anchors.jsonl next to the ledger file', async (t) => {
  t.equal(loadConfig({ SQLITE_PATH: '/srv/ledger/ledger.db' }).anchorFile, '/srv/ledger/anchors.jsonl');
  t.equal(loadConfig({}).anchorFile, 'data/anchors.jsonl');
  t.equal(loadConfig({ ANCHOR_FILE: '/mnt/worm/anchors.jsonl' }).anchorFile, '/mnt/worm/anchors.jsonl');
});

// Fixtures --------------------------------------------------------------------------------------

interface Ledger {
  readonly path: string;
  readonly anchorFile: string;
  readonly events: RecordedEvent[];
  readonly last: RecordedEvent;
  /** Writes an anchor of the log as it is now (the store opened and closed around it). */
  anchorNow(): Promise<Anchor>;
  /** Appends a petty-cash spending, then anchors. */
  appendAndAnchor(amount: string): Promise<Anchor>;
  tamper(change: (db: Database.Database) => void): void;
  open(): SqliteEventStore;
}

/** A pledge, its status change and a petty-cash transfer in a real file; the store closed. */
async function buildLedger(t: Test): Promise<Ledger> {
  const folder = t.testdir();
  const path = join(folder, 'ledger.db');
  const anchorFile = join(folder, 'anchors.jsonl');
  const events: RecordedEvent[] = [];
  const pledgeId = randomUUID();
  const pledge = { pledgeId, financierId: 'kansfonds', kamerId: 'top', year: 2019 };
  const opened: SqliteEventStore[] = [];
  t.teardown(async () => {
    for (const store of opened) await store.close();
  });
  const withStore = async <T>(use: (store: SqliteEventStore) => Promise<T>): Promise<T> => {
    const store = new SqliteEventStore(path);
    try {
      return await use(store);
    } finally {
      await store.close();
    }
  };
  const metadata = { recordedBy: 'treasurer(Penningmeester)' };
  await withStore(async (store) => {
    events.push(...(await store.append(`pledge-${pledgeId}`, [{ type: 'PledgeMade', data: { ...pledge, amount: '2000.00', form: 'cash', status: 'conditional' }, metadata }], 'no-stream')).events);
    events.push(...(await store.append(`pledge-${pledgeId}`, [{ type: 'PledgeStatusChanged', data: { ...pledge, from: 'conditional', to: 'committed' }, metadata }], 0)).events);
    events.push(...(await store.append('petty-cash-top', [{ type: 'PettyCashTransferred', data: { transferId: randomUUID(), kamerId: 'top', date: '2019-09-02', month: '2019-09', amount: '250.00' }, metadata }], 'no-stream')).events);
  });
  const anchorNow = (): Promise<Anchor> =>
    withStore(async (store) => (await new Anchorer(store, anchorFile, () => {}, () => new Date(`2019-12-31T23:00:0${events.length % 10}Z`)).anchor('interval'))!);
  return {
    path,
    anchorFile,
    events,
    get last() {
      return events[events.length - 1]!;
    },
    anchorNow,
    async appendAndAnchor(amount) {
      await withStore(async (store) => events.push(...(await store.append('petty-cash-top', [spending(amount)], 'any')).events));
      return anchorNow();
    },
    tamper(change) {
      const db = new Database(path);
      try {
        db.transaction(() => change(db))();
      } finally {
        db.close();
      }
    },
    open() {
      const store = new SqliteEventStore(path);
      opened.push(store);
      return store;
    },
  };
}

function spending(amount: string) {
  return {
    type: 'PettyCashSpent',
    data: { spendingId: randomUUID(), kamerId: 'top', date: '2019-09-05', category: 'E', amount, description: 'postzegels' },
    metadata: { recordedBy: 'teamleader:top' },
  };
}


/** The digest rule restated: SHA-256 folded over the hashes in log order, from 64 zeros. */
function digestOf(log: readonly RecordedEvent[]): string {
  return log.reduce((digest, event) => createHash('sha256').update(digest).update(event.hash).digest('hex'), '0'.repeat(64));
}

function anchorLines(file: string): unknown[] {
  return readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown);
}

async function runVerify(config: ReturnType<typeof loadConfig>): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await verifyCommand.run([], { config, out: (text) => out.push(text), err: (text) => out.push(text) });
  return { code, out: out.join('\n') };
}

t.test('a restart over a rewritten log writes no anchor that would vouch for it: the newest anchor is checked first', async (t) => {
  const ledger = await buildLedger(t);
  const anchor = await ledger.anchorNow();
  const pledge = ledger.events.find((event) => event.type === 'PledgeMade')!;
  ledger.tamper((db) => rewriteAndRehash(db, pledge.position, (data) => ({ ...data, amount: '9000.00' })));
  const store = ledger.open();
  await store.append('petty-cash-top', [spending('3.00')], 'any');
  const restarted = new Anchorer(store, ledger.anchorFile, () => {});
  await t.rejects(restarted.anchor('start'), { name: 'AnchorMismatch', message: new RegExp(`newest anchor \\(${anchor.time}\\) at position ${anchor.position} does not match the log`) });
  await t.rejects(restarted.anchor('shutdown'), { name: 'AnchorMismatch' }, 'and never later in this process');
  t.same(anchorLines(ledger.anchorFile), [anchor], 'the file holds only the anchor written before the rewrite');
});

t.test('a restart after events up to the newest anchor were deleted writes no anchor either', async (t) => {
  const ledger = await buildLedger(t);
  const anchor = await ledger.anchorNow();
  ledger.tamper((db) => db.prepare('DELETE FROM events WHERE position = ?').run(ledger.last.position));
  const restarted = new Anchorer(ledger.open(), ledger.anchorFile, () => {});
  await t.rejects(restarted.anchor('start'), { name: 'AnchorMismatch', message: /which the log no longer has: events were deleted/ });
  t.same(anchorLines(ledger.anchorFile), [anchor]);
});

t.test('a line cut short by a crash or a full disk is skipped by verify, and cut off before the next anchor', async (t) => {
  const ledger = await buildLedger(t);
  const first = await ledger.anchorNow();
  appendFileSync(ledger.anchorFile, '{"position":"9","dig');
  t.match(await verifyWithAnchors(ledger.open(), ledger.anchorFile), { ok: true, anchors: { checked: 1, ok: 1 } }, 'verify skips the unfinished line');
  const second = await ledger.appendAndAnchor('4.50');
  const lines = readFileSync(ledger.anchorFile, 'utf8').split('\n');
  t.same(lines, [JSON.stringify(first), JSON.stringify(second), ''], 'the unfinished line was cut off, not left in the middle');
  t.same(readAnchorFile(ledger.anchorFile).flatMap((line) => ('anchor' in line ? [line.anchor] : [])), [first, second]);
  const result = await verifyWithAnchors(ledger.open(), ledger.anchorFile);
  t.match(result, { ok: true, anchors: { checked: 2, ok: 2 } });
});
