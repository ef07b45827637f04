import t from 'tap';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createTestApp, testClock, type TestApp } from '../helpers/app.js';
import { SqliteEventStore } from '../../src/store/sqlite.js';
import { TokenRegistry } from '../../src/auth/tokens.js';
import { CommandHandler } from '../../src/application/command-handler.js';
import { createProjectionRunner } from '../../src/projections/create.js';
import { buildApp } from '../../src/http/app.js';

// The test clock starts at 2020-06-15T10:00:00Z: today in Amsterdam is 2020-06-15.
const HOURS = { volunteer: 'v-017', date: '2020-06-10', hours: '2.5', kind: 'resident', activity: 'formulierenbrigade' };

async function withRooms(t: Parameters<typeof createTestApp>[0]): Promise<TestApp> {
  const api = await createTestApp(t);
  for (const [id, name] of [['top', 'TOP'], ['de-klop', 'De Klop']]) {
    const response = await api.post(api.tokens.treasurer, '/kamers', { id, name });
    if (response.statusCode !== 201) throw new Error(response.body);
  }
  return api;
}

async function recordEntry(api: TestApp, body: object = HOURS, as = api.tokens.treasurer): Promise<{ id: string; position: string }> {
  const response = await api.post(as, '/kamers/top/volunteer-hours', body);
  if (response.statusCode !== 201) throw new Error(response.body);
  return response.json();
}

t.test('the treasurer records hours: 201 with the entry, its id and position; hours kept with two decimals', async (t) => {
  const api = await withRooms(t);
  const response = await api.post(api.tokens.treasurer, '/kamers/top/volunteer-hours', HOURS);
  t.equal(response.statusCode, 201, response.body);
  const body = response.json();
  t.match(body, { id: /^[0-9a-f-]{36}$/, kamer: 'top', volunteer: 'v-017', date: '2020-06-10', hours: '2.50', kind: 'resident', activity: 'formulierenbrigade', position: /^\d+$/ });
  t.notOk('value' in body, 'no value while no rate for 2020 is set: recording is not refused for it');
  const events = await api.allEvents();
  const last = events.at(-1)!;
  t.equal(last.type, 'VolunteerHoursRecorded');
  t.equal(last.stream, `volunteer-entry-${body.id}`);
  t.equal(last.position, body.position);
  t.same(last.data, { entryId: body.id, kamerId: 'top', volunteerId: 'v-017', date: '2020-06-10', hours: '2.50', kind: 'resident', activity: 'formulierenbrigade' });
  t.match(last.metadata.recordedBy, /^treasurer/);
});

t.test('with a rate for the year and kind, the answer carries the value: hours × rate', async (t) => {
  const api = await withRooms(t);
  await api.post(api.tokens.treasurer, '/valuation-rates', { year: 2020, kind: 'resident', perHour: '11.00' });
  await api.post(api.tokens.treasurer, '/valuation-rates', { year: 2020, kind: 'professional', perHour: '37.00' });
  const resident = await api.post(api.tokens.treasurer, '/kamers/top/volunteer-hours', HOURS);
  t.equal(resident.json().value, '27.50', '2.5 h × €11.00');
  const professional = await api.post(api.tokens.treasurer, '/kamers/top/volunteer-hours', { ...HOURS, kind: 'professional', hours: '4' });
  t.equal(professional.json().value, '148.00', '4 h × €37.00');
  const lastYear = await api.post(api.tokens.treasurer, '/kamers/top/volunteer-hours', { ...HOURS, date: '2019-12-31' });
  t.equal(lastYear.statusCode, 201);
  t.notOk('value' in lastYear.json(), 'the 2020 rate is not used for 2019 hours');
});

t.test('malformed hours and entries are refused with 400 naming the field, and write nothing', async (t) => {
  const api = await withRooms(t);
  const before = (await api.allEvents()).length;
  const cases: Array<[object, string]> = [
    [{ ...HOURS, hours: '2.505' }, 'hours'],
    [{ ...HOURS, hours: '0' }, 'hours'],
    [{ ...HOURS, hours: '0.00' }, 'hours'],
    [{ ...HOURS, hours: '24.01' }, 'hours'],
    [{ ...HOURS, hours: '-1' }, 'hours'],
    [{ ...HOURS, hours: 2.5 }, 'hours'],
    [{ ...HOURS, volunteer: 'Jan de Vries' }, 'volunteer'],
    [{ ...HOURS, volunteer: 'v'.repeat(41) }, 'volunteer'],
    [{ ...HOURS, kind: 'staff' }, 'kind'],
    [{ ...HOURS, date: '2020-02-30' }, 'date'],
    [{ ...HOURS, name: 'Jan' }, 'name'],
    [{ volunteer: 'v-017', date: '2020-06-10', kind: 'resident' }, 'hours'],
  ];
  for (const [body, field] of cases) {
    const response = await api.post(api.tokens.treasurer, '/kamers/top/volunteer-hours', body);
    t.equal(response.statusCode, 400, JSON.stringify(body));
    t.match(response.headers['content-type'], /problem\+json/);
    t.ok((response.json().errors as Array<{ path: string }>).some((e) => e.path === field), `names ${field}: ${response.body}`);
  }
  t.equal((await api.allEvents()).length, before, 'nothing was written');
});

t.test('24 hours is the most one entry holds', async (t) => {
  const api = await withRooms(t);
  const response = await api.post(api.tokens.treasurer, '/kamers/top/volunteer-hours', { ...HOURS, hours: '24' });
  t.equal(response.statusCode, 201, response.body);
  t.equal(response.json().hours, '24.00');
});

t.test('hours on a day after today (Amsterdam) are refused with 422 VOLUNTEER_HOURS_IN_FUTURE', async (t) => {
  const api = await withRooms(t);
  const before = (await api.allEvents()).length;
  const tomorrow = await api.post(api.tokens.treasurer, '/kamers/top/volunteer-hours', { ...HOURS, date: '2020-06-16' });
  t.equal(tomorrow.statusCode, 422);
  t.match(tomorrow.json(), { code: 'VOLUNTEER_HOURS_IN_FUTURE', errors: [{ path: 'date' }] });
  t.equal((await api.allEvents()).length, before, 'nothing was written');
  // 22:30 UTC on 15 June is already 16 June in Amsterdam (UTC+2 in summer).
  api.clock.set('2020-06-15T22:30:00Z');
  const justAfterMidnight = await api.post(api.tokens.treasurer, '/kamers/top/volunteer-hours', { ...HOURS, date: '2020-06-16' });
  t.equal(justAfterMidnight.statusCode, 201, justAfterMidnight.body);
});

t.test('hours for a room that does not exist are a 404 and write nothing', async (t) => {
  const api = await withRooms(t);
  const before = (await api.allEvents()).length;
  const response = await api.post(api.tokens.treasurer, '/kamers/nope/volunteer-hours', HOURS);
  t.equal(response.statusCode, 404);
  t.equal(response.json().code, 'NOT_FOUND');
  t.equal((await api.allEvents()).length, before);
});

t.test("a team leader records hours in their own room only; accountants and financiers do not record hours", async (t) => {
  const api = await withRooms(t);
  const before = (await api.allEvents()).length;
  for (const token of [api.tokens.accountant, api.tokens.financier('mitros'), api.tokens.teamleader('de-klop')]) {
    const response = await api.post(token, '/kamers/top/volunteer-hours', HOURS);
    t.equal(response.statusCode, 403, response.body);
    t.equal(response.json().code, 'FORBIDDEN');
  }
  t.equal((await api.allEvents()).length, before, 'nothing was written');
  const own = await api.post(api.tokens.teamleader('top'), '/kamers/top/volunteer-hours', HOURS);
  t.equal(own.statusCode, 201, own.body);
  t.match((await api.allEvents()).at(-1)!.metadata.recordedBy, /^teamleader:top/);
});

t.test('a correction writes a reversal of the current figures and the corrected entry in one append', async (t) => {
  const api = await withRooms(t);
  await api.post(api.tokens.treasurer, '/valuation-rates', { year: 2020, kind: 'resident', perHour: '11.00' });
  const entry = await recordEntry(api);
  const before = (await api.allEvents()).length;
  const response = await api.post(api.tokens.treasurer, `/volunteer-hours/${entry.id}/corrections`, { hours: '3', reason: 'counted the break' });
  t.equal(response.statusCode, 201, response.body);
  t.has(response.json(), { id: entry.id, kamer: 'top', volunteer: 'v-017', date: '2020-06-10', hours: '3.00', previousHours: '2.50', reason: 'counted the break', value: '33.00' });

  const events = await api.allEvents();
  t.equal(events.length, before + 2, 'exactly two events');
  const [reversal, corrected] = events.slice(-2);
  t.equal(reversal!.type, 'VolunteerHoursReversed');
  t.same(reversal!.data, { entryId: entry.id, kamerId: 'top', volunteerId: 'v-017', date: '2020-06-10', hours: '2.50', kind: 'resident', activity: 'formulierenbrigade', reason: 'counted the break' });
  t.equal(corrected!.type, 'VolunteerHoursRecorded');
  t.same(corrected!.data, { entryId: entry.id, kamerId: 'top', volunteerId: 'v-017', date: '2020-06-10', hours: '3.00', kind: 'resident', activity: 'formulierenbrigade' });
  t.same([reversal!.stream, corrected!.stream], [`volunteer-entry-${entry.id}`, `volunteer-entry-${entry.id}`]);
  t.same([reversal!.revision, corrected!.revision], [1, 2], 'consecutive revisions after the original entry');
  t.equal(BigInt(corrected!.position), BigInt(reversal!.position) + 1n, 'consecutive positions: nothing in between');
  t.equal(reversal!.metadata.correlationId, corrected!.metadata.correlationId, 'one request');
  t.equal(reversal!.metadata.recordedAt, corrected!.metadata.recordedAt, 'one append');
  t.equal(corrected!.metadata.reason, 'counted the break', 'the reason is in the audit history');
  t.equal(response.json().position, corrected!.position);
});

t.test('a second correction reverses the corrected figures', async (t) => {
  const api = await withRooms(t);
  const entry = await recordEntry(api);
  await api.post(api.tokens.treasurer, `/volunteer-hours/${entry.id}/corrections`, { hours: '3', reason: 'first' });
  const second = await api.post(api.tokens.treasurer, `/volunteer-hours/${entry.id}/corrections`, { hours: '1.75', reason: 'second' });
  t.equal(second.statusCode, 201, second.body);
  t.has(second.json(), { hours: '1.75', previousHours: '3.00' });
  const reversal = (await api.allEvents()).at(-2)!;
  t.has(reversal.data, { hours: '3.00', reason: 'second' });
});

t.test('a correction that changes nothing, lacks a reason, has invalid hours or names no entry is refused and writes nothing', async (t) => {
  const api = await withRooms(t);
  const entry = await recordEntry(api);
  const before = (await api.allEvents()).length;
  const url = `/volunteer-hours/${entry.id}/corrections`;
  const refusals: Array<[string, object, number, string, string | undefined]> = [
    [url, { hours: '2.50', reason: 'same' }, 400, 'INVALID_INPUT', 'hours'],
    [url, { hours: '2.5', reason: 'same, written differently' }, 400, 'INVALID_INPUT', 'hours'],
    [url, { hours: '3', reason: '  ' }, 400, 'VALIDATION_FAILED', 'reason'],
    [url, { hours: '3' }, 400, 'VALIDATION_FAILED', 'reason'],
    [url, { hours: '24.01', reason: 'too many' }, 400, 'VALIDATION_FAILED', 'hours'],
    [url, { hours: 3, reason: 'a number' }, 400, 'VALIDATION_FAILED', 'hours'],
    [url, { hours: '3', reason: 'x', date: '2020-06-11' }, 400, 'VALIDATION_FAILED', 'date'],
    ['/volunteer-hours/00000000-0000-4000-8000-000000000000/corrections', { hours: '3', reason: 'unknown' }, 404, 'NOT_FOUND', undefined],
  ];
  for (const [target, body, status, code, field] of refusals) {
    const response = await api.post(api.tokens.treasurer, target, body);
    t.equal(response.statusCode, status, `${JSON.stringify(body)}: ${response.body}`);
    t.equal(response.json().code, code);
    if (field) t.ok((response.json().errors as Array<{ path: string }>).some((e) => e.path === field), `names ${field}`);
  }
  t.equal((await api.allEvents()).length, before, 'nothing was written');
});

t.test("a team leader corrects entries of their own room only; accountants and financiers do not correct", async (t) => {
  const api = await withRooms(t);
  const entry = await recordEntry(api, HOURS, api.tokens.teamleader('top'));
  const url = `/volunteer-hours/${entry.id}/corrections`;
  const before = (await api.allEvents()).length;
  for (const token of [api.tokens.accountant, api.tokens.financier('mitros'), api.tokens.teamleader('de-klop')]) {
    const response = await api.post(token, url, { hours: '3', reason: 'not mine to fix' });
    t.equal(response.statusCode, 403, response.body);
  }
  t.equal((await api.allEvents()).length, before, 'nothing was written');
  const own = await api.post(api.tokens.teamleader('top'), url, { hours: '3', reason: 'miscounted' });
  t.equal(own.statusCode, 201, own.body);
});

t.test('a repeated request with the same Idempotency-Key records one entry, not two', async (t) => {
  const api = await withRooms(t);
  const headers = { 'idempotency-key': 'hours-v-017-2020-06-10' };
  const first = await api.post(api.tokens.treasurer, '/kamers/top/volunteer-hours', HOURS, headers);
  const repeat = await api.post(api.tokens.treasurer, '/kamers/top/volunteer-hours', HOURS, headers);
  t.equal(repeat.statusCode, 201);
  t.same(repeat.json(), first.json(), 'the same entry id comes back');
  t.equal((await api.allEvents()).filter((e) => e.type === 'VolunteerHoursRecorded').length, 1);
});

t.test("the service's logs name entries and rooms, never the volunteer", async (t) => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const clock = testClock();
  const store = new SqliteEventStore(join(t.testdir(), 'logs.db'), { now: clock });
  const tokens = TokenRegistry.inMemory();
  const projections = createProjectionRunner(store);
  const app = await buildApp(
    { store, tokens, commands: new CommandHandler(store), projections, clock },
    { logger: { level: 'info', stream: sink } },
  );
  t.teardown(async () => {
    await app.close();
    await projections.close();
    await store.close();
  });
  const treasurer = tokens.create({ role: 'treasurer', name: 'Penningmeester' }).token;
  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${treasurer}` } });
  await post('/kamers', { id: 'top', name: 'TOP' });
  const volunteer = 'pseudonym-4711';
  const recorded = await post('/kamers/top/volunteer-hours', { ...HOURS, volunteer });
  t.equal(recorded.statusCode, 201, recorded.body);
  const corrected = await post(`/volunteer-hours/${recorded.json().id}/corrections`, { hours: '3', reason: 'miscounted' });
  t.equal(corrected.statusCode, 201, corrected.body);
  await new Promise((resolve) => setTimeout(resolve, 50)); // request lines are written together, within 10 ms
  const log = lines.join('');
  t.match(log, /volunteer hours recorded/);
  t.match(log, /volunteer hours corrected/);
  t.match(log, new RegExp(recorded.json().id));
  t.notMatch(log, new RegExp(volunteer), 'the pseudonym is not in the logs either');
  // What was recorded goes into the request's one line, not a second line of its own.
  const records = log.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
  const writes = records.filter((line) => (line.req as { method?: string } | undefined)?.method === 'POST' || 'outcome' in line);
  t.same(writes.map((line) => line.msg), ['request completed', 'request completed', 'request completed'], 'one line each for the room, the hours and the correction');
  t.same(records.filter((line) => /volunteer hours/.test(String(line.msg))), [], 'and no line of their own');
  t.match(writes[1], {
    req: { method: 'POST', url: '/kamers/top/volunteer-hours' },
    res: { statusCode: 201 },
    outcome: { done: 'volunteer hours recorded', entry: recorded.json().id, kamer: 'top', kind: 'resident', hours: recorded.json().hours },
  });
  t.match(writes[2], { res: { statusCode: 201 }, outcome: { done: 'volunteer hours corrected', entry: recorded.json().id, previousHours: recorded.json().hours, hours: corrected.json().hours } });
});
