import t from 'tap';
import { CommandHandler } from '../../src/application/command-handler.js';
import { loadPledge } from '../../src/application/pledge-lookup.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const UNKNOWN_PLEDGE = '0f8e7d6c-5b4a-4392-8171-605f4e3d2c1b';

t.test('the treasurer records a pledge; the answer carries its id, status, amount and position', async (t) => {
  const api = await withMasterData(t);
  const response = await api.post(api.tokens.treasurer, '/pledges', spdoPledge({ reference: '5675239', referenceDate: '2018-12-23' }));
  t.equal(response.statusCode, 201, response.body);
  const body = response.json();
  t.match(body, {
    id: /^[0-9a-f-]{36}$/,
    financier: 'gemeente-utrecht-spdo',
    kamer: 'top',
    year: 2019,
    amount: '59000.00',
    form: 'cash',
    status: 'committed',
    reference: '5675239',
    referenceDate: '2018-12-23',
    position: /^\d+$/,
  });
  t.notOk('share' in body, 'an amount pledge has no share');
  const events = await api.allEvents();
  const last = events.at(-1)!;
  t.equal(last.type, 'PledgeMade');
  t.equal(last.stream, `pledge-${body.id}`);
  t.equal(last.position, body.position);
  t.equal(last.metadata.recordedBy, 'treasurer(Penningmeester)');
});

t.test('a share of the actual costs, in kind, is recorded without an amount', async (t) => {
  const api = await withMasterData(t);
  const { amount: _amount, ...withoutAmount } = spdoPledge();
  const response = await api.post(api.tokens.treasurer, '/pledges', { ...withoutAmount, share: { numerator: 1, denominator: 3 }, form: 'in-kind', status: 'proposed' });
  t.equal(response.statusCode, 201, response.body);
  t.match(response.json(), { share: { numerator: 1, denominator: 3 }, form: 'in-kind', status: 'proposed' });
  t.notOk('amount' in response.json(), 'a share pledge has no amount');
});

t.test('a refused pledge names the rule and the field, and writes nothing', async (t) => {
  const api = await withMasterData(t);
  const before = (await api.allEvents()).length;
  const { amount: _amount, ...withoutAmount } = spdoPledge();
  const cases: Array<[string, unknown, number, string, string]> = [
    ['an unknown financier', spdoPledge({ financier: 'nobody' }), 422, 'UNKNOWN_FINANCIER', 'financier'],
    ['an unknown room', spdoPledge({ kamer: 'nowhere' }), 422, 'UNKNOWN_KAMER', 'kamer'],
    ['both an amount and a share', spdoPledge({ share: { numerator: 1, denominator: 3 } }), 400, 'INVALID_INPUT', 'share'],
    ['neither an amount nor a share', withoutAmount, 400, 'INVALID_INPUT', 'amount'],
    ['a share above one', { ...withoutAmount, share: { numerator: 4, denominator: 3 } }, 400, 'INVALID_INPUT', 'share'],
    ['a share of zero', { ...withoutAmount, share: { numerator: 0, denominator: 3 } }, 400, 'VALIDATION_FAILED', 'share.numerator'],
    ['an amount of zero', spdoPledge({ amount: '0.00' }), 400, 'VALIDATION_FAILED', 'amount'],
    ['an amount as a JSON number', spdoPledge({ amount: 59000 }), 400, 'VALIDATION_FAILED', 'amount'],
    ['an amount with three decimals', spdoPledge({ amount: '59000.001' }), 400, 'VALIDATION_FAILED', 'amount'],
    ['a pledge that starts withdrawn', spdoPledge({ status: 'withdrawn' }), 400, 'VALIDATION_FAILED', 'status'],
    ['a form that does not exist', spdoPledge({ form: 'cheque' }), 400, 'VALIDATION_FAILED', 'form'],
    ['a reference date that is not a date', spdoPledge({ referenceDate: '2018-02-30' }), 400, 'VALIDATION_FAILED', 'referenceDate'],
    ['an unknown field', spdoPledge({ colour: 'red' }), 400, 'VALIDATION_FAILED', 'colour'],
  ];
  for (const [what, body, status, code, field] of cases) {
    const response = await api.post(api.tokens.treasurer, '/pledges', body);
    t.equal(response.statusCode, status, `${what}: ${response.body}`);
    t.match(response.headers['content-type'], /problem\+json/);
    t.equal(response.json().code, code, what);
    t.ok((response.json().errors as Array<{ path: string }>).some((error) => error.path === field), `${what} names ${field}`);
  }
  t.equal((await api.allEvents()).length, before, 'nothing was written');
});

t.test('a pledge moves forward, may skip a step, and is withdrawn for good', async (t) => {
  const api = await withMasterData(t);
  const id = await makePledge(api, { status: 'proposed' });
  const conditional = await api.post(api.tokens.treasurer, `/pledges/${id}/status`, { status: 'conditional', note: 'depends on progress mid-2020' });
  t.equal(conditional.statusCode, 201, conditional.body);
  t.match(conditional.json(), { id, status: 'conditional', previousStatus: 'proposed', amount: '59000.00', position: /^\d+$/ });

  const skipping = await makePledge(api, { status: 'proposed' });
  const committed = await api.post(api.tokens.treasurer, `/pledges/${skipping}/status`, { status: 'committed' });
  t.equal(committed.statusCode, 201, committed.body);
  t.match(committed.json(), { status: 'committed', previousStatus: 'proposed' });

  const withdrawn = await api.post(api.tokens.treasurer, `/pledges/${id}/status`, { status: 'withdrawn', note: 'board said no' });
  t.equal(withdrawn.statusCode, 201, withdrawn.body);
  t.match(withdrawn.json(), { status: 'withdrawn', previousStatus: 'conditional' });
  const changes = (await api.allEvents()).filter((event) => event.type === 'PledgeStatusChanged' && event.stream === `pledge-${id}`);
  t.same(changes.map((event) => event.data), [
    { pledgeId: id, financierId: 'gemeente-utrecht-spdo', kamerId: 'top', year: 2019, from: 'proposed', to: 'conditional', note: 'depends on progress mid-2020' },
    { pledgeId: id, financierId: 'gemeente-utrecht-spdo', kamerId: 'top', year: 2019, from: 'conditional', to: 'withdrawn', note: 'board said no' },
  ]);
  t.equal(changes[1]!.metadata.reason, 'board said no', 'the note is the reason in the audit history');
});

t.test('a refused status change names the rule and writes nothing', async (t) => {
  const api = await withMasterData(t);
  const committed = await makePledge(api, { status: 'committed' });
  const withdrawn = await makePledge(api, { status: 'proposed' });
  await api.post(api.tokens.treasurer, `/pledges/${withdrawn}/status`, { status: 'withdrawn' });
  const before = (await api.allEvents()).length;
  const cases: Array<[string, string, unknown, number, string, string | undefined]> = [
    ['backwards', committed, { status: 'proposed' }, 422, 'PLEDGE_STATUS_TRANSITION', 'status'],
    ['to the same status', committed, { status: 'committed' }, 422, 'PLEDGE_STATUS_TRANSITION', 'status'],
    ['after a withdrawal', withdrawn, { status: 'committed' }, 422, 'PLEDGE_WITHDRAWN', 'status'],
    ['withdrawn a second time', withdrawn, { status: 'withdrawn' }, 422, 'PLEDGE_WITHDRAWN', 'status'],
    ['back to conditional', committed, { status: 'conditional' }, 422, 'PLEDGE_STATUS_TRANSITION', 'status'],
    ['with an unknown field', committed, { status: 'withdrawn', reason: 'x' }, 400, 'VALIDATION_FAILED', 'reason'],
    ['to a status that does not exist', committed, { status: 'toegezegd' }, 400, 'VALIDATION_FAILED', 'status'],
    ['of a pledge that does not exist', UNKNOWN_PLEDGE, { status: 'committed' }, 404, 'NOT_FOUND', undefined],
    ['of an id that is not a uuid', 'not-a-uuid', { status: 'committed' }, 400, 'VALIDATION_FAILED', 'params.id'],
  ];
  for (const [what, id, body, status, code, field] of cases) {
    const response = await api.post(api.tokens.treasurer, `/pledges/${id}/status`, body);
    t.equal(response.statusCode, status, `${what}: ${response.body}`);
    t.equal(response.json().code, code, what);
    if (field) t.ok((response.json().errors as Array<{ path: string }>).some((error) => error.path === field), `${what} names ${field}`);
  }
  t.equal((await api.allEvents()).length, before, 'nothing was written');
});

t.test('an amendment keeps the previous amount beside the new one', async (t) => {
  const api = await withMasterData(t);
  const id = await makePledge(api, { amount: '59000.00' });
  const response = await api.post(api.tokens.treasurer, `/pledges/${id}/amendments`, { amount: '64328.00', reason: 'subsidy decision 6918976' });
  t.equal(response.statusCode, 201, response.body);
  t.match(response.json(), { id, amount: '64328.00', previousAmount: '59000.00', reason: 'subsidy decision 6918976', position: /^\d+$/ });
  const amended = (await api.allEvents()).at(-1)!;
  t.same(amended.data, {
    pledgeId: id,
    financierId: 'gemeente-utrecht-spdo',
    kamerId: 'top',
    year: 2019,
    previousAmount: '59000.00',
    amount: '64328.00',
    reason: 'subsidy decision 6918976',
  });
  t.equal(amended.metadata.reason, 'subsidy decision 6918976');
});

t.test('a refused amendment names the rule and writes nothing', async (t) => {
  const api = await withMasterData(t);
  const id = await makePledge(api, { amount: '1000.00' });
  const { amount: _amount, ...withoutAmount } = spdoPledge();
  const share = await api.post(api.tokens.treasurer, '/pledges', { ...withoutAmount, share: { numerator: 1, denominator: 3 } });
  const withdrawn = await makePledge(api, {});
  await api.post(api.tokens.treasurer, `/pledges/${withdrawn}/status`, { status: 'withdrawn' });
  const before = (await api.allEvents()).length;
  const cases: Array<[string, string, unknown, number, string, string | undefined]> = [
    ['of a share pledge', share.json().id, { amount: '500.00', reason: 'x' }, 422, 'PLEDGE_SHARE_NOT_AMENDABLE', 'amount'],
    ['of a withdrawn pledge', withdrawn, { amount: '500.00', reason: 'x' }, 422, 'PLEDGE_WITHDRAWN', undefined],
    ['to the same amount', id, { amount: '1000.00', reason: 'no change' }, 400, 'INVALID_INPUT', 'amount'],
    ['to zero', id, { amount: '0.00', reason: 'nothing' }, 400, 'VALIDATION_FAILED', 'amount'],
    ['without a reason', id, { amount: '900.00', reason: '  ' }, 400, 'VALIDATION_FAILED', 'reason'],
    ['with an unknown field', id, { amount: '900.00', reason: 'x', note: 'y' }, 400, 'VALIDATION_FAILED', 'note'],
    ['of a pledge that does not exist', UNKNOWN_PLEDGE, { amount: '500.00', reason: 'x' }, 404, 'NOT_FOUND', undefined],
  ];
  for (const [what, pledge, body, status, code, field] of cases) {
    const response = await api.post(api.tokens.treasurer, `/pledges/${pledge}/amendments`, body);
    t.equal(response.statusCode, status, `${what}: ${response.body}`);
    t.equal(response.json().code, code, what);
    if (field) t.ok((response.json().errors as Array<{ path: string }>).some((error) => error.path === field), `${what} names ${field}`);
  }
  t.equal((await api.allEvents()).length, before, 'nothing was written');
});

t.test('only the treasurer writes pledges', async (t) => {
  const api = await withMasterData(t);
  const id = await makePledge(api, { status: 'proposed' });
  const before = (await api.allEvents()).length;
  const writes: Array<[string, unknown]> = [
    ['/pledges', spdoPledge()],
    [`/pledges/${id}/status`, { status: 'committed' }],
    [`/pledges/${id}/amendments`, { amount: '1.00', reason: 'x' }],
  ];
  for (const token of [api.tokens.accountant, api.tokens.financier('gemeente-utrecht-spdo'), api.tokens.teamleader('top')]) {
    for (const [url, body] of writes) {
      const response = await api.post(token, url, body);
      t.equal(response.statusCode, 403, url);
      t.equal(response.json().code, 'FORBIDDEN');
    }
  }
  const anonymous = await api.app.inject({ method: 'POST', url: '/pledges', payload: spdoPledge() });
  t.equal(anonymous.statusCode, 401);
  t.equal((await api.allEvents()).length, before, 'nothing was written');
});

t.test('an Idempotency-Key repeat returns the same pledge and writes nothing', async (t) => {
  const api = await withMasterData(t);
  const headers = { 'idempotency-key': 'pledge-spdo-top-2019' };
  const first = await api.post(api.tokens.treasurer, '/pledges', spdoPledge(), headers);
  const before = (await api.allEvents()).length;
  const repeat = await api.post(api.tokens.treasurer, '/pledges', spdoPledge(), headers);
  t.equal(repeat.statusCode, 201);
  t.same(repeat.json(), first.json(), 'the same id: no second pledge');
  t.equal((await api.allEvents()).length, before);
});

t.test('loadPledge gives invoicing the current status and amount', async (t) => {
  const api = await withMasterData(t);
  const id = await makePledge(api, { status: 'conditional', form: 'in-kind' });
  await api.post(api.tokens.treasurer, `/pledges/${id}/status`, { status: 'committed' });
  await api.post(api.tokens.treasurer, `/pledges/${id}/amendments`, { amount: '6600.00', reason: 'huurkorting 2019' });
  const commands = new CommandHandler(api.store);
  t.same(await loadPledge(commands, id), {
    pledgeId: id,
    financierId: 'gemeente-utrecht-spdo',
    kamerId: 'top',
    year: 2019,
    amount: '6600.00',
    form: 'in-kind',
    status: 'committed',
  });
  t.equal(await loadPledge(commands, UNKNOWN_PLEDGE), undefined);
});

t.test('the pledge routes are in the OpenAPI document', async (t) => {
  const api = await createTestApp(t);
  const document = (await api.get(api.tokens.accountant, '/openapi.json')).json();
  for (const path of ['/pledges', '/pledges/{id}/status', '/pledges/{id}/amendments']) t.ok(document.paths[path]?.post, path);
});

// Fixture builders ----------------------------------------------------------------------------------

async function withMasterData(t: Parameters<typeof createTestApp>[0]): Promise<TestApp> {
  const api = await createTestApp(t);
  const kamer = await api.post(api.tokens.treasurer, '/kamers', { id: 'top', name: 'TOP' });
  const financier = await api.post(api.tokens.treasurer, '/financiers', {
    id: 'gemeente-utrecht-spdo',
    name: 'Gemeente Utrecht (SPDO)',
    kind: 'municipality',
    pays: 'subsidy-decision',
  });
  if (kamer.statusCode !== 201 || financier.statusCode !== 201) throw new Error(`master data refused: ${kamer.body} ${financier.body}`);
  return api;
}

function spdoPledge(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { financier: 'gemeente-utrecht-spdo', kamer: 'top', year: 2019, amount: '59000.00', form: 'cash', status: 'committed', ...overrides };
}

async function makePledge(api: TestApp, overrides: Record<string, unknown>): Promise<string> {
  const response = await api.post(api.tokens.treasurer, '/pledges', spdoPledge(overrides));
  if (response.statusCode !== 201) throw new Error(`pledge refused: ${response.body}`);
  return response.json().id as string;
}
