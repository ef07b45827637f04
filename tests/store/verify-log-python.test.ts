/**
 * tools/verify_log.py, a verifier in Python with none of our code, against a real exported log:
 * a few hundred events recorded through the HTTP commands (non-ASCII names, amounts, reasons,
 * idempotency keys, fixture loads), saved page by page from GET /audit/events as a person would
 * with curl. It must print the digest GET /audit/digest gives, and name a tampered event.
 */
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { loadSeedAgreements } from '../helpers/seed.js';
import { canonicalJson } from '../../src/store/hashing.js';

const VERIFIER = join(REPO_ROOT, 'tools/verify_log.py');
const HAS_PYTHON = spawnSync('python3', ['--version']).status === 0;

async function created(api: TestApp, url: string, body: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const response = await api.post(api.tokens.treasurer, url, body, headers);
  if (response.statusCode !== 201) throw new Error(`POST ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** The seed agreements plus a few hundred events of every kind, with names and texts beyond ASCII. */
async function busyLedger(t: Test): Promise<TestApp> {
  const api = await createTestApp(t);
  await loadSeedAgreements(t, api);
  await created(api, '/kamers', { id: 'cooperatie', name: 'Coöperatie “De Brug” — ’s-Hertogenbosch 🏠' });
  await created(api, '/financiers', { id: 'fonds-een', name: 'Fonds één & Zoë', kind: 'fund', pays: 'invoice' });
  const pledge = await created(api, '/pledges', { financier: 'fonds-een', kamer: 'cooperatie', year: 2020, amount: '12345.67', form: 'cash', status: 'proposed', note: 'voorstel: “in het voorjaar bespreken”\nregel twee\ttab' });
  await created(api, `/pledges/${String(pledge.id)}/status`, { status: 'committed', note: 'toegezegd ✓' });
  for (let day = 1; day <= 28; day += 1) {
    const date = `2020-02-${String(day).padStart(2, '0')}`;
    const entry = await created(api, '/kamers/cooperatie/volunteer-hours', { volunteer: `v-${day % 5}`, date, hours: `${(day % 7) + 1}.25`, kind: 'resident', activity: 'taalcafé' }, { 'idempotency-key': `uren-${day}` });
    if (day % 4 === 0) await created(api, `/volunteer-hours/${String(entry.id)}/corrections`, { hours: '2.5', reason: `verkeerd genoteerd (dag ${day}), café “Ünal”` });
    await created(api, '/kamers/cooperatie/petty-cash/transfers', { date, amount: '8.00', month: '2020-02' });
    await created(api, '/kamers/cooperatie/petty-cash/spending', { date, category: 'ABCDEF'[day % 6], amount: `${(day % 5) + 1}.05`, description: `koffie & thee — ${day}ᵉ dag` });
  }
  for (let number = 1; number <= 40; number += 1) {
    const invoice = await created(api, '/invoices', { financier: 'fonds-een', kamer: 'cooperatie', year: 2020, issueDate: '2020-03-02', lines: [{ description: `Bijdrage deel ${number} — coöperatie`, amount: `${number * 100}.10` }] });
    await created(api, '/payments/received', { date: '2020-03-20', amount: `${number * 100}.10`, payerName: 'Fonds één', description: `betaling ${String(invoice.number)}`, allocations: [{ invoice: invoice.id, amount: `${number * 100}.10` }] });
  }
  return api;
}

/** Every page of GET /audit/events saved as its own file, as docs/verification.md tells with curl. */
async function exportLog(t: Test, api: TestApp): Promise<string[]> {
  const directory = t.testdir();
  const files: string[] = [];
  let after: string | null = null;
  do {
    const response = await api.get(api.tokens.accountant, `/audit/events?limit=100${after === null ? '' : `&after=${after}`}`);
    const file = join(directory, `events-${files.length + 1}.json`);
    writeFileSync(file, response.body);
    files.push(file);
    after = (response.json() as { next: string | null }).next;
  } while (after !== null);
  return files;
}

function runVerifier(files: readonly string[]) {
  return spawnSync('python3', [VERIFIER, ...files], { encoding: 'utf8' });
}

if (!HAS_PYTHON) {
  const reason = 'python3 not installed: the standalone verifier was not run (install with apt-get install python3)';
  process.stderr.write(`${reason}\n`);
  t.test('the Python verifier', { skip: reason }, async () => {});
} else {
  // Both tests only read the ledger: one busy ledger serves them.
  const ledger = busyLedger(t);

  t.test('the Python verifier recomputes every hash and the digest of an exported log', async (t) => {
    const api = await ledger;
    const files = await exportLog(t, api);
    const events = (await api.allEvents()).length;
    t.ok(events >= 300, `a log of a few hundred events (${events})`);
    t.ok(files.length >= 3, 'saved over several pages');
    const digest = (await api.get(api.tokens.accountant, '/audit/digest')).json() as { position: string; digest: string; events: number };
    const run = runVerifier(files);
    t.equal(run.status, 0, `exit 0: ${run.stdout}${run.stderr}`);
    t.equal(run.stdout.trim(), `OK ${events} events, position ${digest.position}, digest ${digest.digest}`, "prints the service's digest");
    const earlier = (await api.get(api.tokens.accountant, '/audit/digest?at=150')).json() as { digest: string };
    t.equal(runVerifier(['--at', '150', ...files]).stdout.trim(), `OK 150 events, position 150, digest ${earlier.digest}`, 'and, with --at, the digest at an earlier position');
  });

  t.test('a tampered amount, name or reason in the export fails at its position', async (t) => {
    const api = await ledger;
    const files = await exportLog(t, api);
    const tamper = (pick: (event: Record<string, unknown>) => boolean, change: (event: Record<string, unknown>) => void): { position: string; run: ReturnType<typeof runVerifier> } => {
      const copies = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as { events: Array<Record<string, unknown>> });
      const page = copies.find((copy) => copy.events.some(pick))!;
      const event = page.events.find(pick)!;
      change(event);
      const tampered = files.map((file, index) => {
        const path = `${file}.tampered.json`;
        writeFileSync(path, JSON.stringify(copies[index]));
        return path;
      });
      return { position: String(event.position), run: runVerifier(tampered) };
    };
    const amount = tamper((event) => event.type === 'PaymentReceived', (event) => {
      (event.data as { amount: string }).amount = '100.11';
    });
    t.equal(amount.run.status, 1, 'a changed amount: exit 1');
    t.match(amount.run.stdout, `FAILED at position ${amount.position}`, `named at position ${amount.position}`);
    const name = tamper((event) => event.type === 'KamerRegistered' && (event.data as { name: string }).name.startsWith('Coöperatie'), (event) => {
      (event.data as { name: string }).name = 'Cooperatie';
    });
    t.match(name.run.stdout, `FAILED at position ${name.position}`, 'a name without its ö fails');
    const reason = tamper((event) => typeof event.reason === 'string', (event) => {
      event.reason = 'iets anders';
    });
    t.match(reason.run.stdout, `FAILED at position ${reason.position}`, 'a changed reason fails');
  });

  t.test("our canonical JSON is RFC 8785's for the values we store, in TypeScript and in the Python verifier alike", async (t) => {
    // RFC 8785 section 3.2.3: keys sort by UTF-16 code units (the emoji, a surrogate pair, sorts before U+FB33).
    const sorting = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    const rfcSorted = '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}';
    // Strings: only '"', '\\' and control characters are escaped; '/' and U+2028 are not; integers, booleans, null as JSON has them.
    const values = { text: '\u000f\nA\'B"\\/\u2028€', list: [1, -20, 0, true, false, null, 'Coöperatie'], nested: { b: 1, a: { d: [], c: {} } } };
    const rfcValues = '{"list":[1,-20,0,true,false,null,"Coöperatie"],"nested":{"a":{"c":{},"d":[]},"b":1},"text":"\\u000f\\nA\'B\\"\\\\/\u2028€"}';
    const python = (value: unknown) =>
      spawnSync('python3', ['-c', 'import json, sys; sys.path.insert(0, sys.argv[1]); import verify_log; sys.stdout.write(verify_log.canonical(json.load(sys.stdin)))', join(REPO_ROOT, 'tools')], {
        input: JSON.stringify(value),
        encoding: 'utf8',
      }).stdout;
    t.equal(canonicalJson(sorting), rfcSorted, 'TypeScript sorts keys as RFC 8785 does');
    t.equal(python(sorting), rfcSorted, 'the Python verifier sorts keys as RFC 8785 does');
    t.equal(canonicalJson(values), rfcValues, 'TypeScript writes values as RFC 8785 does');
    t.equal(python(values), rfcValues, 'the Python verifier writes values as RFC 8785 does');
  });
}
