import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { SqliteEventStore } from '../../src/store/sqlite.js';
import { TokenRegistry } from '../../src/auth/tokens.js';
import { SignInLinks } from '../../src/auth/sign-in-links.js';
import { CommandHandler } from '../../src/application/command-handler.js';
import { createProjectionRunner } from '../../src/projections/create.js';
import { buildApp } from '../../src/http/app.js';
import Fastify from 'fastify';
import { pino, type Logger } from 'pino';
import { CRAFTED_ACCOUNT } from '../bank/camt053.fixtures.js';
import { plainPinoOptions, requestCompletedLine, requestLoggers, type RequestCompleted } from '../../src/http/request-log.js';

t.test('one log line per request, when answered: method, url, status, time; never a token or a sign-in code', async (t) => {
  const { app, tokens, lines } = await loggedApp(t);
  const { token } = tokens.create({ role: 'treasurer', name: 'Penningmeester' });
  const answer = await app.inject({ method: 'GET', url: '/pledges?year=2020', headers: { authorization: `Bearer ${token}` } });
  t.equal(answer.statusCode, 200);
  await app.inject({ method: 'GET', url: '/inloggen/secret-one-time-code' });
  await new Promise((resolve) => setTimeout(resolve, 50)); // request lines are written together, within 10 ms

  const completed = lines.filter((line) => line.msg === 'request completed');
  t.equal(completed.length, 2, 'one line for each request');
  t.equal(lines.filter((line) => line.msg === 'incoming request').length, 0, "fastify's own pair is off");
  t.match(completed[0], { req: { method: 'GET', url: '/pledges?year=2020' }, res: { statusCode: 200 }, responseTime: Number, reqId: String });
  t.match(completed[1], { req: { url: '/inloggen/:code' } }, 'a public route logs its pattern, not the one-time code');
  const everything = JSON.stringify(lines);
  t.notOk(everything.includes(token), 'the token is nowhere in the log');
  t.notOk(everything.includes('secret-one-time-code'), 'nor the sign-in code');
});

t.test("the hand-built request line is byte for byte the line pino writes through fastify's serializers", async (t) => {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString());
      done();
    },
  });
  // The logger buildApp makes for main.ts's options: a level, a stream and the redaction.
  const app = Fastify({ logger: { level: 'info', stream, redact: { paths: ['req.headers.authorization'], censor: '[redacted]' } } });
  t.teardown(() => app.close());
  t.ok(plainPinoOptions({ level: 'info', stream, redact: { paths: ['req.headers.authorization'], censor: '[redacted]' } }));
  t.notOk(plainPinoOptions({ level: 'info', stream, formatters: { level: (label: string) => ({ level: label }) } }), 'another format goes through pino');
  const child = app.log.child({ reqId: 'b7f3c2f0-4d1e-4c1e-9a43-5f0e6e4a164f' }) as unknown as Logger & Record<symbol, string>;
  const cases: RequestCompleted[] = [
    { method: 'GET', url: '/kamers/kamer-042/budget/2020', statusCode: 200, responseTime: 0.1 + 0.2 },
    { method: 'GET', url: '/x?q="quoted"\\back\u0001&é=✓</script>', statusCode: 404, responseTime: 12 },
    { method: 'POST', url: '/kamers/top/volunteer-hours', statusCode: 201, responseTime: 1e-7, outcome: { done: 'volunteer hours recorded', entry: 'e-1', hours: '2.50', nested: { a: [1, 'b"'] } } },
  ];
  for (const line of cases) {
    written.length = 0;
    child.info(
      { req: { method: line.method, url: line.url }, res: { statusCode: line.statusCode }, responseTime: line.responseTime, ...(line.outcome === undefined ? {} : { outcome: line.outcome }) },
      'request completed',
    );
    const pinoLine = written.join('');
    const time = (JSON.parse(pinoLine) as { time: number }).time;
    t.equal(requestCompletedLine(child[pino.symbols.chindingsSym]!, time, line), pinoLine, `${line.method} ${line.url}`);
  }
});

t.test("a route's own line (its request's pino child, made when first used) and the request line carry the same reqId, with pid and hostname", async (t) => {
  const { app, tokens, lines } = await loggedApp(t);
  const { token } = tokens.create({ role: 'treasurer', name: 'Penningmeester' });
  const headers = { authorization: `Bearer ${token}` };
  t.equal((await app.inject({ method: 'POST', url: '/kamers', headers, payload: { id: 'top', name: 'TOP' } })).statusCode, 201);
  const accounts = await app.inject({ method: 'PUT', url: '/cooperative/bank-accounts', headers, payload: { accounts: [CRAFTED_ACCOUNT] } });
  t.equal(accounts.statusCode, 201, 'a route that writes a line of its own ("bank accounts set")');
  t.equal((await app.inject({ method: 'GET', url: '/pledges', headers })).statusCode, 200);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const completed = lines.filter((line) => line.msg === 'request completed');
  t.equal(completed.length, 3);
  for (const line of completed) t.match(line, { pid: process.pid, hostname: String, reqId: /^[0-9a-f-]{36}$/ });
  t.equal(new Set(completed.map((line) => line.reqId)).size, 3, 'each request its own id');
  const own = lines.filter((line) => line.msg !== 'request completed' && line.reqId !== undefined);
  t.same(own.map((line) => line.msg), ['bank accounts set']);
  for (const line of own) {
    t.match(line, { pid: process.pid, hostname: String });
    t.ok(completed.some((request) => request.reqId === line.reqId), `"${String(line.msg)}" has its request's reqId`);
  }
});

t.test("a request's logger makes pino's child only for a line it writes: not for a call at a level that is off", async (t) => {
  const written: string[] = [];
  const parent = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _encoding, done) => (written.push(chunk.toString()), done()) }));
  let children = 0;
  const child = parent.child.bind(parent);
  parent.child = ((...args: Parameters<Logger['child']>) => ((children += 1), child(...args))) as Logger['child'];
  const log = requestLoggers.call(undefined as never, parent as never, { reqId: 'r-1' }, {} as never, undefined as never);
  log.trace({ session: 'decoded' }, 'a plugin tracing on every page request');
  log.debug('and debugging');
  t.equal(children, 0, 'trace and debug are off at info: no child made');
  t.same(written, [], 'and nothing written');
  log.info('a line of its own');
  t.equal(children, 1, 'a line that is written makes the child, once');
  log.warn('another');
  t.equal(children, 1);
  t.match(JSON.parse(written[0] ?? '{}'), { msg: 'a line of its own', reqId: 'r-1' });
});

/** buildApp with a pino logger at info writing into `lines` (one parsed object per line), as main.ts configures it. */
async function loggedApp(t: Test): Promise<{ app: FastifyInstance; tokens: TokenRegistry; lines: Array<Record<string, unknown>> }> {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const store = new SqliteEventStore(join(t.testdir(), 'ledger.db'));
  const tokens = TokenRegistry.inMemory();
  const projections = createProjectionRunner(store);
  const app = await buildApp(
    { store, tokens, commands: new CommandHandler(store), projections, clock: () => new Date(), signInLinks: SignInLinks.inMemory() },
    { logger: { level: 'info', stream } },
  );
  t.teardown(async () => {
    await app.close();
    await projections.close();
    await store.close();
  });
  return { app, tokens, lines };
}
