import t from 'tap';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { SqliteEventStore } from '../../src/store/sqlite.js';
import { TokenRegistry } from '../../src/auth/tokens.js';
import { SignInLinks } from '../../src/auth/sign-in-links.js';
import { CommandHandler } from '../../src/application/command-handler.js';
import { createProjectionRunner } from '../../src/projections/create.js';
import { buildApp } from '../../src/http/app.js';

t.test('one log line per request, when answered: method, url, status, time; never a token or a sign-in code', async (t) => {
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
  const { token } = tokens.create({ role: 'treasurer', name: 'Penningmeester' });
  const answer = await app.inject({ method: 'GET', url: '/pledges?year=2020', headers: { authorization: `Bearer ${token}` } });
  t.equal(answer.statusCode, 200);
  await app.inject({ method: 'GET', url: '/inloggen/secret-one-time-code' });

  const completed = lines.filter((line) => line.msg === 'request completed');
  t.equal(completed.length, 2, 'one line for each request');
  t.equal(lines.filter((line) => line.msg === 'incoming request').length, 0, "fastify's own pair is off");
  t.match(completed[0], { req: { method: 'GET', url: '/pledges?year=2020' }, res: { statusCode: 200 }, responseTime: Number, reqId: String });
  t.match(completed[1], { req: { url: '/inloggen/:code' } }, 'a public route logs its pattern, not the one-time code');
  const everything = JSON.stringify(lines);
  t.notOk(everything.includes(token), 'the token is nowhere in the log');
  t.notOk(everything.includes('secret-one-time-code'), 'nor the sign-in code');
});
