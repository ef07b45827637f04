import t from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp } from '../helpers/app.js';
import { DEFAULT_RATE_LIMITS } from '../../src/http/rate-limits.js';
import { ConfigError, loadConfig } from '../../src/config.js';

/** One request after the other, as a client retrying would send them. */
async function inSequence<T>(count: number, send: () => Promise<T>): Promise<T[]> {
  const responses: T[] = [];
  for (let index = 0; index < count; index += 1) responses.push(await send());
  return responses;
}

const statuses = (responses: readonly LightMyRequestResponse[]) => responses.map((response) => response.statusCode);

t.test('failed authentications are limited per address: 429 with Retry-After, other addresses and valid tokens unaffected', async (t) => {
  const api = await createTestApp(t, { rateLimits: { authFailuresPerAddress: 10 } });
  const guess = (remoteAddress: string, attempt: number) =>
    api.app.inject({ method: 'GET', url: '/pledges', remoteAddress, headers: { authorization: `Bearer bwk_guess-${attempt}` } });
  let attempt = 0;
  const guesses = await inSequence(12, () => guess('10.0.0.1', (attempt += 1)));
  t.same(statuses(guesses), [...Array<number>(10).fill(401), 429, 429], 'ten wrong tokens a minute, then 429');
  const refused = guesses[10]!;
  t.match(refused.headers['content-type'], /application\/problem\+json/);
  t.equal(refused.json().code, 'RATE_LIMITED');
  const retryAfter = Number(refused.headers['retry-after']);
  t.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After says when to come back (${retryAfter} s)`);
  t.equal((await api.app.inject({ method: 'GET', url: '/pledges', remoteAddress: '10.0.0.1' })).statusCode, 429, 'without any token too');

  t.equal((await guess('10.0.0.2', 99)).statusCode, 401, 'another address still gets its own answer');
  const valid = await api.request(api.tokens.treasurer, { method: 'GET', url: '/pledges', remoteAddress: '10.0.0.1' });
  t.equal(valid.statusCode, 200, 'a valid token from the same address is counted by token, not by address');
  const health = await api.app.inject({ method: 'GET', url: '/health', remoteAddress: '10.0.0.1' });
  t.equal(health.statusCode, 200, "the load balancer's health probe is never blocked by someone guessing tokens");
});

t.test('requests without a valid token share the address budget; a made-up token buys no fresh one', async (t) => {
  const api = await createTestApp(t, { rateLimits: { perAddress: 3 } });
  const anonymous = await inSequence(3, () => api.app.inject({ method: 'GET', url: '/health' }));
  t.same(statuses(anonymous), [200, 200, 200]);
  const madeUp = await api.app.inject({ method: 'GET', url: '/pledges', headers: { authorization: 'Bearer bwk_made-up-token' } });
  t.equal(madeUp.statusCode, 429, 'the made-up token counts as the address');
  t.equal(madeUp.json().code, 'RATE_LIMITED');
  t.ok(Number(madeUp.headers['retry-after']) > 0, 'with Retry-After');
  t.equal((await api.app.inject({ method: 'GET', url: '/no-such-route' })).statusCode, 429, 'unknown routes are limited too');
  t.equal((await api.get(api.tokens.treasurer, '/pledges')).statusCode, 200, 'a valid token has its own budget');
});

t.test('the per-token limit is configurable and applies when set low, to that token only', async (t) => {
  const api = await createTestApp(t, { rateLimits: { perToken: 3 } });
  const treasurer = await inSequence(4, () => api.get(api.tokens.treasurer, '/pledges'));
  t.same(statuses(treasurer), [200, 200, 200, 429]);
  t.match(treasurer[3]!.json().detail, /more than 3 requests a minute/);
  t.equal((await api.get(api.tokens.accountant, '/pledges')).statusCode, 200, "the accountant's budget is untouched by the treasurer's requests");
});

t.test('with the default limits, a bulk load of 2,000 writes by one treasurer token is never throttled', async (t) => {
  const api = await createTestApp(t, { rateLimits: DEFAULT_RATE_LIMITS });
  t.equal((await api.post(api.tokens.treasurer, '/kamers', { id: 'top', name: 'TOP' })).statusCode, 201);
  const writes = 2_000;
  const concurrent = 50;
  const answered = new Map<number, number>();
  for (let start = 0; start < writes; start += concurrent) {
    const batch = await Promise.all(
      Array.from({ length: concurrent }, (_, index) =>
        api.post(api.tokens.treasurer, '/kamers/top/volunteer-hours', { volunteer: `v-${start + index}`, date: '2020-03-02', hours: '1.5', kind: 'resident' }),
      ),
    );
    for (const response of batch) answered.set(response.statusCode, (answered.get(response.statusCode) ?? 0) + 1);
  }
  t.same(Object.fromEntries(answered), { 201: writes }, `all ${writes} writes answered 201`);
  t.equal((await api.allEvents()).filter((event) => event.type === 'VolunteerHoursRecorded').length, writes, 'and all are in the log');
});

t.test('the three budgets come from the environment, with generous defaults for valid tokens', async (t) => {
  const defaults = loadConfig({});
  t.same(
    [defaults.RATE_LIMIT_PER_MINUTE, defaults.RATE_LIMIT_ANONYMOUS_PER_MINUTE, defaults.AUTH_FAILURES_PER_MINUTE],
    [DEFAULT_RATE_LIMITS.perToken, DEFAULT_RATE_LIMITS.perAddress, DEFAULT_RATE_LIMITS.authFailuresPerAddress],
    'config defaults and app defaults are the same figures',
  );
  t.ok(defaults.RATE_LIMIT_PER_MINUTE >= 10_000, 'a token may send thousands of requests a minute by default');
  const set = loadConfig({ RATE_LIMIT_PER_MINUTE: '5000', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100', AUTH_FAILURES_PER_MINUTE: '3' });
  t.same([set.RATE_LIMIT_PER_MINUTE, set.RATE_LIMIT_ANONYMOUS_PER_MINUTE, set.AUTH_FAILURES_PER_MINUTE], [5000, 100, 3]);
  t.throws(() => loadConfig({ AUTH_FAILURES_PER_MINUTE: '0' }), ConfigError, 'a budget of zero is refused at start-up');
});

t.test("a valid token's answers carry the limiter's headers, counting down, and past its budget the library's 429 with Retry-After", async (t) => {
  const api = await createTestApp(t, { rateLimits: { perToken: 3 } });
  const answers = await inSequence(4, () => api.get(api.tokens.treasurer, '/pledges'));
  t.same(answers.map((answer) => answer.headers['x-ratelimit-limit']), ['3', '3', '3', '3']);
  t.same(answers.map((answer) => answer.headers['x-ratelimit-remaining']), ['2', '1', '0', '0']);
  for (const answer of answers) {
    const reset = Number(answer.headers['x-ratelimit-reset']);
    t.ok(reset >= 1 && reset <= 60, `x-ratelimit-reset in seconds (${reset})`);
  }
  const refused = answers[3]!;
  t.equal(refused.statusCode, 429);
  t.equal(refused.json().code, 'RATE_LIMITED');
  t.ok(Number(refused.headers['retry-after']) >= 1, 'with Retry-After');
  t.equal((await api.get(api.tokens.treasurer, '/pledges')).statusCode, 429, 'and it stays refused for the rest of the minute');
});
