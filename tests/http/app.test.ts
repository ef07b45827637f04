import t from 'tap';
import { createTestApp } from '../helpers/app.js';

t.test('GET /health answers without a token and names the store', async (t) => {
  const { app } = await createTestApp(t);
  const response = await app.inject({ method: 'GET', url: '/health' });
  t.equal(response.statusCode, 200);
  t.same(response.json(), { status: 'ok', store: 'sqlite' });
});

t.test('a request without a token gets a 401 problem+json', async (t) => {
  const { app } = await createTestApp(t);
  for (const url of ['/openapi.json/nothing', '/kamers/top/budget/2019', '/audit/events']) {
    const response = await app.inject({ method: 'GET', url });
    t.equal(response.statusCode, 401, url);
    t.match(response.headers['content-type'], /application\/problem\+json/);
    t.match(response.json(), { status: 401, code: 'UNAUTHENTICATED', type: String, title: String, detail: String });
  }
});

t.test('an unknown or malformed token gets a 401', async (t) => {
  const { app } = await createTestApp(t);
  for (const authorization of ['Bearer bwk_nottherealtoken', 'Basic abc', 'Bearer']) {
    const response = await app.inject({ method: 'GET', url: '/audit/events', headers: { authorization } });
    t.equal(response.statusCode, 401, authorization);
  }
});

t.test('the OpenAPI document is generated from the route schemas and served with the docs page, to any token', async (t) => {
  const { app, get, tokens } = await createTestApp(t);
  const document = await get(tokens.financier('mitros'), '/openapi.json');
  t.equal(document.statusCode, 200);
  const body = document.json() as { openapi: string; paths: Record<string, unknown> };
  t.match(body.openapi, /^3\./);
  t.ok(body.paths['/health'], 'health is documented');
  const docs = await get(tokens.teamleader('top'), '/docs/');
  t.equal(docs.statusCode, 200);
  t.equal((await app.inject({ method: 'GET', url: '/openapi.json' })).statusCode, 401, 'but not without one');
  t.match(docs.body, /swagger/i);
});

t.test('an unknown route with a valid token is a 404 problem', async (t) => {
  const { get, tokens } = await createTestApp(t);
  const response = await get(tokens.treasurer, '/no/such/thing');
  t.equal(response.statusCode, 404);
  t.equal(response.json().code, 'NOT_FOUND');
});
