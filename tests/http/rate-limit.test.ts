import t from 'tap';
import { createTestApp } from '../helpers/app.js';

/** One request after the other, as a client retrying would send them. */
async function inSequence<T>(count: number, send: () => Promise<T>): Promise<T[]> {
  const responses: T[] = [];
  for (let index = 0; index < count; index += 1) responses.push(await send());
  return responses;
}

t.test('the rate limit counts every request of a caller, 401s included, and answers 429 problem+json', async (t) => {
  const api = await createTestApp(t, { rateLimitPerMinute: 3 });
  const anonymous = await inSequence(4, () => api.app.inject({ method: 'GET', url: '/pledges' }));
  t.same(anonymous.map((response) => response.statusCode), [401, 401, 401, 429], 'anonymous requests share the address budget');
  t.match(anonymous[3]!.headers['content-type'], /application\/problem\+json/);
  t.equal(anonymous[3]!.json().code, 'RATE_LIMITED');

  const madeUp = await api.app.inject({ method: 'GET', url: '/pledges', headers: { authorization: 'Bearer bwk_made-up-token' } });
  t.equal(madeUp.statusCode, 429, 'a made-up token does not buy a fresh budget: it counts as the address');
  const unknownRoute = await api.app.inject({ method: 'GET', url: '/no-such-route' });
  t.equal(unknownRoute.statusCode, 429, 'unknown routes are limited too');
});

t.test('each valid token has its own budget', async (t) => {
  const api = await createTestApp(t, { rateLimitPerMinute: 3 });
  const treasurer = await inSequence(4, () => api.get(api.tokens.treasurer, '/pledges'));
  t.same(treasurer.map((response) => response.statusCode), [200, 200, 200, 429]);
  const accountant = await api.get(api.tokens.accountant, '/pledges');
  t.equal(accountant.statusCode, 200, "the accountant's budget is untouched by the treasurer's requests");
  t.equal((await api.app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'the address still has budget for /health');
});
