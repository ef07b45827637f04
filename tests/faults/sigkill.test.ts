/**
 * Fault injection across processes (issue 9, item 10): the real service runs as a child process
 * and is killed with SIGKILL at a fault point of a write (after the commit, before the answer; or
 * inside the commit). A new process over the same file then gets every request again with the
 * same Idempotency-Key. Over 20 trials: each request is in the log exactly once, and a retry of a
 * committed request answers with the first answer, marked as replayed.
 */
import t, { type Test } from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TokenRegistry } from '../../src/auth/tokens.js';
import { SqliteEventStore } from '../../src/store/sqlite.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVER = join(REPO_ROOT, 'tests', 'faults', 'fixtures', 'crashing-server.ts');
const TRIALS = 20;
const START_TIMEOUT_MS = 30_000;

interface RunningServer {
  readonly child: ChildProcess;
  readonly port: number;
  readonly exited: Promise<NodeJS.Signals | number | null>;
}

async function startServer(t: Test, dbPath: string, tokensFile: string, mode: 'none' | 'inside-commit' | 'after-commit'): Promise<RunningServer> {
  // tap injects its own loaders through NODE_OPTIONS; the child runs on tsx alone.
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER, dbPath, tokensFile, mode], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), START_TIMEOUT_MS);
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening (\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    void exited.then((how) => reject(new Error(`server exited (${String(how)}) before listening: ${stderr}`)));
  });
  return { child, port, exited };
}

/** One request of a trial: a few kinds of write, each a new resource. */
function trialRequest(trial: number): { url: string; body: Record<string, unknown> } {
  switch (trial % 4) {
    case 0:
      return { url: '/payments/received', body: { date: '2020-03-02', amount: `${trial + 1}.00`, description: `gift ${trial}`, allocations: [] } };
    case 1:
      return { url: '/kamers/top/volunteer-hours', body: { volunteer: `v-${trial}`, date: '2020-03-02', hours: '2.5', kind: 'resident' } };
    case 2:
      return { url: '/kamers/top/petty-cash/spending', body: { date: '2020-03-03', category: 'A', amount: '1.25', description: `koffie ${trial}` } };
    default:
      return { url: '/pledges', body: { financier: 'doen', kamer: 'top', year: 2020, amount: `${trial}00.00`, form: 'cash', status: 'proposed' } };
  }
}

async function post(port: number, token: string, url: string, body: unknown, key: string) {
  const response = await fetch(`http://127.0.0.1:${port}${url}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return { status: response.status, replayed: response.headers.get('idempotent-replayed'), body: await response.text() };
}

t.test(`SIGKILL between commit and answer, or inside the commit, then a retry: ${TRIALS} trials, zero duplicates`, async (t) => {
  const dir = t.testdir();
  const dbPath = join(dir, 'ledger.db');
  const tokensFile = join(dir, 'tokens.json');
  const token = TokenRegistry.open(tokensFile).create({ role: 'treasurer', name: 'Penningmeester' }).token;

  const setup = await startServer(t, dbPath, tokensFile, 'none');
  for (const [url, body] of [
    ['/kamers', { id: 'top', name: 'TOP' }],
    ['/financiers', { id: 'doen', name: 'Stichting DOEN', kind: 'fund', pays: 'invoice' }],
    ['/kamers/top/petty-cash/transfers', { date: '2020-03-01', amount: '250.00' }],
  ] as const) {
    const response = await post(setup.port, token, url, body, `setup-${url}`);
    t.equal(response.status, 201, response.body);
  }
  setup.child.kill('SIGTERM');
  await setup.exited;

  // Each crash takes a handful of concurrent requests down with it (they share one group commit,
  // or arrive after it and find no server): fewer process starts for the same number of trials.
  const modes: Array<'after-commit' | 'inside-commit'> = ['after-commit', 'inside-commit', 'after-commit', 'inside-commit'];
  const perCrash = TRIALS / modes.length;
  for (const [crash, mode] of modes.entries()) {
    const server = await startServer(t, dbPath, tokensFile, mode);
    const trials = Array.from({ length: perCrash }, (_, index) => crash * perCrash + index);
    const outcomes = await Promise.all(
      trials.map((trial) => {
        const { url, body } = trialRequest(trial);
        return post(server.port, token, url, body, `trial-${trial}`).then(
          (response) => `answered ${response.status}`,
          () => 'connection lost',
        );
      }),
    );
    t.same(outcomes, trials.map(() => 'connection lost'), `crash ${crash} (${mode}): no client got an answer`);
    t.equal(await server.exited, 'SIGKILL', `crash ${crash}: the server was killed`);
  }

  const committed = await keysInLog(dbPath);
  t.ok(modes.some((mode) => mode === 'after-commit') && committed.size > 0, `some requests committed before their crash (${committed.size})`);
  const after = await startServer(t, dbPath, tokensFile, 'none');
  for (let trial = 0; trial < TRIALS; trial += 1) {
    const { url, body } = trialRequest(trial);
    const retry = await post(after.port, token, url, body, `trial-${trial}`);
    t.equal(retry.status, 201, `trial ${trial}: ${retry.body}`);
    const wasCommitted = committed.has(`trial-${trial}`);
    t.equal(retry.replayed, wasCommitted ? 'true' : null, `trial ${trial}: replayed exactly when the first attempt had committed (${wasCommitted})`);
    const again = await post(after.port, token, url, body, `trial-${trial}`);
    t.equal(again.body, retry.body, `trial ${trial}: a further repeat gets the same answer`);
  }
  after.child.kill('SIGTERM');
  await after.exited;

  const perKey = await keysInLog(dbPath);
  for (let trial = 0; trial < TRIALS; trial += 1) t.equal(perKey.get(`trial-${trial}`), 1, `trial ${trial}: exactly one event`);
});

/** How many events carry each Idempotency-Key, read from the file itself. */
async function keysInLog(dbPath: string): Promise<Map<string, number>> {
  const store = new SqliteEventStore(dbPath);
  try {
    const perKey = new Map<string, number>();
    for await (const event of store.readAll()) {
      const key = event.metadata.idempotencyKey;
      if (key) perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    return perKey;
  } finally {
    await store.close();
  }
}
