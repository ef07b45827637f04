/**
 * Hostile request bodies get a 4xx, never a 500 (issue 9, item 9). Before, ~750,000 levels of
 * JSON nesting with an Idempotency-Key overflowed the stack of the request's fingerprint: 500.
 */
import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from '../../src/http/json-body.js';

const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const nestedObject = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

t.test('a body nested 750,000 levels deep is a 400 naming the rule, with or without an Idempotency-Key, and writes nothing', async (t) => {
  const api = await createTestApp(t);
  for (const headers of [{}, { 'idempotency-key': 'deep-1' }]) {
    for (const url of ['/kamers', '/pledges', '/kamers/top/volunteer-hours']) {
      const response = await api.request(api.tokens.treasurer, {
        method: 'POST',
        url,
        payload: nested(750_000),
        headers: { 'content-type': 'application/json', ...headers },
      });
      t.equal(response.statusCode, 400, `${url}: ${response.body.slice(0, 200)}`);
      t.match(response.headers['content-type'], /application\/problem\+json/);
      t.equal(response.json().code, 'BODY_TOO_DEEP');
    }
  }
  t.same(await api.allEvents(), [], 'nothing was written');
});

t.test('a deep body to an unknown route is a 4xx, not a 500', async (t) => {
  const api = await createTestApp(t);
  const response = await api.request(api.tokens.treasurer, {
    method: 'POST',
    url: '/no-such-route',
    payload: nestedObject(100_000),
    headers: { 'content-type': 'application/json', 'idempotency-key': 'deep-2' },
  });
  t.ok(response.statusCode >= 400 && response.statusCode < 500, `${response.statusCode}: ${response.body.slice(0, 200)}`);
});

t.test(`nesting up to ${MAX_JSON_DEPTH} levels is parsed and validated as usual; brackets inside strings do not count`, async (t) => {
  const api = await createTestApp(t);
  const atLimit = await api.request(api.tokens.treasurer, {
    method: 'POST',
    url: '/kamers',
    payload: `{"id":"top","name":"TOP","extra":${nested(MAX_JSON_DEPTH - 1)}}`,
    headers: { 'content-type': 'application/json' },
  });
  t.equal(atLimit.statusCode, 400);
  t.equal(atLimit.json().code, 'VALIDATION_FAILED', 'refused by the schema (an unknown field), not by depth');

  const bracketsInName = await api.post(api.tokens.treasurer, '/kamers', { id: 'top', name: `TOP ${'['.repeat(150)}` });
  t.equal(bracketsInName.statusCode, 201, bracketsInName.body);
});

t.test('the depth scan counts only structure: escaped quotes and brackets in strings are skipped', async (t) => {
  t.equal(jsonNestsDeeperThan(nested(3), 3), false);
  t.equal(jsonNestsDeeperThan(nested(4), 3), true);
  t.equal(jsonNestsDeeperThan(`["\\"[[[[[["]`, 2), false, 'an escaped quote does not end the string');
  t.equal(jsonNestsDeeperThan(`[[{"a":[1]}],[[2]]]`, 4), false);
  t.equal(jsonNestsDeeperThan(`[[{"a":[[1]]}]]`, 4), true);
});
