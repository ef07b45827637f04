/**
 * `npm start` runs what tools/build-dist.mjs compiles: dist/main.js, which runs the service bundled
 * with the packages it loads at start (dist/service.cjs) from V8's code cache. Every other test
 * runs the sources through tsx, so this one builds into a folder of its own, starts the bundle
 * (without a code cache, with the one that start wrote, with a damaged one) and the sources on the
 * same ledger file in turn, and holds their answers equal: the contract, reads, a refused write,
 * pages, static files, /docs.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SyntheticLedger } from '../bench/projections-log.js';
import { freePort } from '../bench/http.js';
import { SqliteEventStore } from '../src/store/sqlite.js';
import { PROJECT_ROOT, startService } from './helpers/service-process.js';

interface Answer {
  readonly status: number;
  readonly type: string | null;
  readonly body: string;
}

const REQUESTS: ReadonlyArray<{ readonly name: string; readonly method?: string; readonly path: string; readonly body?: unknown; readonly token?: false }> = [
  { name: 'the OpenAPI contract', path: '/openapi.json' },
  { name: 'a room budget', path: '/kamers/kamer-003/budget/2020' },
  { name: "a financier's position", path: '/financiers/financier-02/position?year=2020' },
  { name: 'a list', path: '/kamers' },
  { name: 'invoices', path: '/invoices?year=2020' },
  { name: 'a refused write (an unknown field)', method: 'POST', path: '/kamers', body: { id: 'hart', name: 'Hart', colour: 'red' } },
  { name: 'no such route', path: '/nergens' },
  { name: 'no token', path: '/kamers', token: false },
  { name: 'the sign-in page', path: '/inloggen', token: false },
  { name: "the pages' stylesheet", path: '/static/pages.css', token: false },
  { name: 'the design tokens', path: '/static/tokens/theme.css', token: false },
  { name: 'the API documentation', path: '/docs/static/index.html' },
  { name: "swagger-ui's script", path: '/docs/static/swagger-ui-bundle.js' },
];

async function answersOf(port: number, token: string): Promise<Map<string, Answer>> {
  const answers = new Map<string, Answer>();
  for (const request of REQUESTS) {
    const headers: Record<string, string> = request.token === false ? {} : { authorization: `Bearer ${token}` };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`http://127.0.0.1:${port}${request.path}`, {
      method: request.method ?? 'GET',
      headers,
      redirect: 'manual',
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    });
    // A page's CSRF token is fresh at every request; the rest of the page is compared.
    const body = (await response.text()).replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value="…"');
    answers.set(request.name, { status: response.status, type: response.headers.get('content-type'), body });
  }
  // An invoice's documents (the synthetic ledger records no cooperative details: both answer 422 naming them).
  const [invoice] = JSON.parse(answers.get('invoices')!.body) as Array<{ id: string }>;
  for (const document of ['document.pdf', 'document.xml']) {
    const response = await fetch(`http://127.0.0.1:${port}/invoices/${invoice!.id}/${document}`, { headers: { authorization: `Bearer ${token}` } });
    const bytes = Buffer.from(await response.arrayBuffer());
    // A PDF holds the moment it was made: its kind is compared, the rest of its bytes are not.
    const body = document.endsWith('.pdf') ? bytes.subarray(0, 5).toString('latin1') : bytes.toString('utf8');
    answers.set(`an invoice's ${document}`, { status: response.status, type: response.headers.get('content-type'), body });
  }
  return answers;
}

t.test('the compiled service bundle answers exactly as the sources do', async (t) => {
  const dir = t.testdir();
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'));
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'tools', 'build-dist.mjs'), join(dir, 'dist')], { cwd: PROJECT_ROOT, stdio: 'inherit' });

  const folder = join(dir, 'data');
  const path = join(folder, 'ledger.db');
  const store = new SqliteEventStore(path);
  for (const { stream, event } of new SyntheticLedger({ rooms: 12, financiers: 4, firstYear: 2020, years: 1 }, 5).take(400)) {
    await store.append(stream, [{ type: event.type, data: event.data, metadata: { recordedBy: 'system:test' } }], 'any');
  }
  await store.close();

  const run = async (args: readonly string[] | undefined, token?: string): Promise<{ token: string; answers: Map<string, Answer> }> => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', SQLITE_PATH: path, DATA_DIR: folder };
    delete env.NODE_OPTIONS;
    const service = await startService(t, env, args);
    try {
      await service.waitForLog('store start check passed');
      const first = token ?? /keep it safe:\s+(\S+)/.exec(service.log())?.[1];
      if (first === undefined) throw new Error(`no first token in the log:\n${service.log()}`);
      return { token: first, answers: await answersOf(port, first) };
    } finally {
      await service.stop();
    }
  };

  const main = [join(dir, 'dist', 'main.js')];
  const cache = join(dir, 'dist', 'service.cjs.cache');
  const compiled = await run(main);
  t.equal(compiled.answers.get('a room budget')?.status, 200, 'the compiled service answers reads');
  t.equal(compiled.answers.get("swagger-ui's script")?.status, 200, "and serves /docs' files");
  const written = statSync(cache);
  t.ok(written.size > 100_000, 'the first start wrote the code cache when it stopped');
  const cached = await run(main, compiled.token);
  t.equal(statSync(cache).mtimeMs, written.mtimeMs, 'the next start used it (a refused one is written again)');
  writeFileSync(cache, 'not a code cache');
  const damaged = await run(main, compiled.token);
  t.not(readFileSync(cache, 'utf8').slice(0, 16), 'not a code cache', 'a damaged cache is refused by V8, and written anew');

  const sources = await run(undefined, compiled.token);
  for (const [label, answers] of [['without a code cache', compiled], ['from the code cache', cached], ['with a damaged cache', damaged]] as const) {
    t.test(`the bundle ${label}`, async (t) => {
      for (const [name, answer] of sources.answers) t.same(answers.answers.get(name), answer, name);
    });
  }
});
