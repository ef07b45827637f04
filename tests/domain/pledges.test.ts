import t from 'tap';
import { foldEvents } from '../../src/domain/decider.js';
import type { EventData, EventOf } from '../../src/domain/events.js';
import { pledgeDecider, type MakePledge } from '../../src/domain/pledges/decider.js';
import { specFor } from '../helpers/decider.js';

const PLEDGE_ID = '5b0c6a3e-2f1d-4c55-9a0e-1f2d3c4b5a69';

t.test('making a pledge', async (t) => {
  const spec = specFor(t, pledgeDecider);

  t.test('records an amount pledge with its subsidy decision', async (t) => {
    const pledge = pledgeData({ amount: '59000.00', reference: '5675239', referenceDate: '2018-12-23' });
    specFor(t, pledgeDecider).given([]).when(make(pledge)).then([{ type: 'PledgeMade', data: pledge }]);
  });

  t.test('records a share of the actual costs, in kind or in cash', async (t) => {
    const { amount: _amount, ...withoutAmount } = pledgeData();
    const pledge = { ...withoutAmount, share: { numerator: 1, denominator: 3 }, form: 'in-kind' as const };
    specFor(t, pledgeDecider).given([]).when(make(pledge)).then([{ type: 'PledgeMade', data: pledge }]);
  });

  t.test('accepts a share of the whole (1/1)', async (t) => {
    const { amount: _amount, ...withoutAmount } = pledgeData();
    specFor(t, pledgeDecider).given([]).when(make({ ...withoutAmount, share: { numerator: 1, denominator: 1 } })).then((events) => {
      t.same(events[0]?.type === 'PledgeMade' && events[0].data.share, { numerator: 1, denominator: 1 });
    });
  });

  t.test('refuses a second PledgeMade on the same stream as a duplicate id', async () => {
    spec.given([made()]).when(make(pledgeData())).thenFails('DUPLICATE_ID', 'id');
  });

  t.test('refuses an unknown financier and an unknown room, naming the field', async () => {
    spec.given([]).when({ ...make(pledgeData()), financierExists: false }).thenFails('UNKNOWN_FINANCIER', 'financier');
    spec.given([]).when({ ...make(pledgeData()), kamerExists: false }).thenFails('UNKNOWN_KAMER', 'kamer');
  });

  t.test('refuses both an amount and a share, and neither', async () => {
    spec.given([]).when(make({ ...pledgeData(), share: { numerator: 1, denominator: 3 } })).thenFails('INVALID_INPUT', 'share');
    const { amount: _amount, ...neither } = pledgeData();
    spec.given([]).when(make(neither)).thenFails('INVALID_INPUT', 'amount');
  });

  t.test('refuses an amount of zero or less', async () => {
    spec.given([]).when(make(pledgeData({ amount: '0.00' }))).thenFails('INVALID_INPUT', 'amount');
    spec.given([]).when(make(pledgeData({ amount: '-5.00' }))).thenFails('INVALID_INPUT', 'amount');
  });

  t.test('refuses a share above one, of zero, or of fractional numbers', async () => {
    const { amount: _amount, ...withoutAmount } = pledgeData();
    for (const share of [
      { numerator: 4, denominator: 3 },
      { numerator: 0, denominator: 3 },
      { numerator: 1, denominator: 0 },
      { numerator: 1.5, denominator: 3 },
    ]) {
      spec.given([]).when(make({ ...withoutAmount, share })).thenFails('INVALID_INPUT', 'share');
    }
  });
});

t.test('changing a pledge status', async (t) => {
  const spec = specFor(t, pledgeDecider);

  t.test('moves forward one step at a time', async () => {
    spec.given([made({ status: 'proposed' })]).when(changeStatus('conditional')).then([statusChanged('proposed', 'conditional')]);
    spec.given([made({ status: 'conditional' })]).when(changeStatus('committed')).then([statusChanged('conditional', 'committed')]);
  });

  t.test('a pledge on which money was invoiced or paid is not withdrawn; other moves are not held up by it', async () => {
    spec.given([made({ status: 'committed' })]).when(changeStatus('withdrawn', undefined, '0.01')).thenFails('PLEDGE_BELOW_CLAIMED', 'status');
    spec.given([made({ status: 'committed' })]).when(changeStatus('withdrawn', undefined, '0.00')).then([statusChanged('committed', 'withdrawn')]);
    spec.given([made({ status: 'conditional' })]).when(changeStatus('committed', undefined, '500.00')).then([statusChanged('conditional', 'committed')]);
  });

  t.test('may skip a step: a proposal can be committed straight away', async () => {
    spec.given([made({ status: 'proposed' })]).when(changeStatus('committed')).then([statusChanged('proposed', 'committed')]);
  });

  t.test('withdraws a pledge from any live status and keeps the note', async () => {
    for (const status of ['proposed', 'conditional', 'committed'] as const) {
      spec
        .given([made({ status })])
        .when(changeStatus('withdrawn', 'board decided against it'))
        .then([statusChanged(status, 'withdrawn', 'board decided against it')]);
    }
  });

  t.test('refuses to go back or to stay where it is', async () => {
    spec.given([made({ status: 'committed' })]).when(changeStatus('conditional')).thenFails('PLEDGE_STATUS_TRANSITION', 'status');
    spec.given([made({ status: 'conditional' })]).when(changeStatus('proposed')).thenFails('PLEDGE_STATUS_TRANSITION', 'status');
    spec.given([made({ status: 'committed' })]).when(changeStatus('committed')).thenFails('PLEDGE_STATUS_TRANSITION', 'status');
  });

  t.test('treats a withdrawal as final', async () => {
    const withdrawn = [made({ status: 'committed' }), statusChanged('committed', 'withdrawn')];
    spec.given(withdrawn).when(changeStatus('committed')).thenFails('PLEDGE_WITHDRAWN', 'status');
    spec.given(withdrawn).when(changeStatus('withdrawn')).thenFails('PLEDGE_WITHDRAWN', 'status');
  });

  t.test('refuses a pledge that was never made', async () => {
    spec.given([]).when(changeStatus('committed')).thenFails('NOT_FOUND');
  });
});

t.test('amending a pledge', async (t) => {
  const spec = specFor(t, pledgeDecider);

  t.test('records the previous and the new amount with the reason', async () => {
    spec
      .given([made({ amount: '59000.00' })])
      .when(amend('64328.00', 'subsidy decision 6918976'))
      .then([amended('59000.00', '64328.00', 'subsidy decision 6918976')]);
  });

  t.test('never below what was already invoiced on it or paid on it directly', async () => {
    spec.given([made({ amount: '1000.00' })]).when(amend('599.99', 'cut back', '600.00')).thenFails('PLEDGE_BELOW_CLAIMED', 'amount');
    spec.given([made({ amount: '1000.00' })]).when(amend('600.00', 'cut back to what was invoiced', '600.00')).then([amended('1000.00', '600.00', 'cut back to what was invoiced')]);
  });

  t.test('amends from the amount the last amendment left', async (t) => {
    const history = [made({ amount: '1000.00' }), amended('1000.00', '1500.00', 'first')];
    spec.given(history).when(amend('1200.00', 'second')).then([amended('1500.00', '1200.00', 'second')]);
    const state = foldEvents(pledgeDecider, [...history, amended('1500.00', '1200.00', 'second')]);
    t.equal(state.made && state.pledge.amount, '1200.00');
  });

  t.test('refuses a share pledge: it has no amount to amend', async () => {
    const { amount: _amount, ...withoutAmount } = pledgeData();
    spec
      .given([{ type: 'PledgeMade', data: { ...withoutAmount, share: { numerator: 1, denominator: 3 } } }])
      .when(amend('100.00', 'why'))
      .thenFails('PLEDGE_SHARE_NOT_AMENDABLE', 'amount');
  });

  t.test('refuses a withdrawn pledge', async () => {
    spec.given([made(), statusChanged('committed', 'withdrawn')]).when(amend('100.00', 'why')).thenFails('PLEDGE_WITHDRAWN');
  });

  t.test('refuses the same amount, an amount of zero, and an empty reason', async () => {
    spec.given([made({ amount: '1000.00' })]).when(amend('1000.00', 'no change')).thenFails('INVALID_INPUT', 'amount');
    spec.given([made({ amount: '1000.00' })]).when(amend('0.00', 'nothing')).thenFails('INVALID_INPUT', 'amount');
    spec.given([made({ amount: '1000.00' })]).when(amend('900.00', '   ')).thenFails('INVALID_INPUT', 'reason');
  });

  t.test('refuses a pledge that was never made', async () => {
    spec.given([]).when(amend('100.00', 'why')).thenFails('NOT_FOUND');
  });
});

t.test('the state exposes what invoicing needs', async (t) => {
  const state = foldEvents(pledgeDecider, [
    made({ status: 'proposed', amount: '10000.00', form: 'cash' }),
    statusChanged('proposed', 'committed'),
    amended('10000.00', '8000.00', 'lower'),
  ]);
  t.same(state, {
    made: true,
    pledge: { ...pledgeData({ status: 'proposed', amount: '10000.00', form: 'cash' }), status: 'committed', amount: '8000.00' },
  });
});

t.test('a pledge stream that breaks its own rules is corrupt and says so', async (t) => {
  t.throws(() => foldEvents(pledgeDecider, [made(), made()]), /corrupt/, 'a second PledgeMade');
  t.throws(() => foldEvents(pledgeDecider, [statusChanged('proposed', 'committed')]), /corrupt/, 'a change before the pledge');
  t.throws(() => foldEvents(pledgeDecider, [made({ status: 'committed' }), statusChanged('proposed', 'conditional')]), /corrupt/, 'a change from another status');
  t.throws(() => foldEvents(pledgeDecider, [made({ status: 'committed' }), statusChanged('committed', 'proposed')]), /corrupt/, 'a change backwards');
  t.throws(() => foldEvents(pledgeDecider, [made({ amount: '10.00' }), amended('20.00', '30.00', 'x')]), /corrupt/, 'an amendment of another amount');
  t.throws(() => foldEvents(pledgeDecider, [made(), statusChanged('committed', 'withdrawn'), amended('59000.00', '1.00', 'x')]), /corrupt/, 'an amendment after a withdrawal');
  t.throws(
    () => foldEvents(pledgeDecider, [{ type: 'KamerRegistered', data: { kamerId: 'top', name: 'TOP' } }]),
    /corrupt/,
    'a foreign event',
  );
});

// Fixture builders ----------------------------------------------------------------------------------

function pledgeData(overrides: Partial<EventData<'PledgeMade'>> = {}): EventData<'PledgeMade'> {
  return {
    pledgeId: PLEDGE_ID,
    financierId: 'gemeente-utrecht-spdo',
    kamerId: 'top',
    year: 2019,
    amount: '59000.00',
    form: 'cash',
    status: 'committed',
    ...overrides,
  };
}

function make(pledge: EventData<'PledgeMade'>): MakePledge {
  return { type: 'MakePledge', pledge, financierExists: true, kamerExists: true };
}

function made(overrides: Partial<EventData<'PledgeMade'>> = {}): EventOf<'PledgeMade'> {
  return { type: 'PledgeMade', data: pledgeData(overrides) };
}

function changeStatus(status: 'proposed' | 'conditional' | 'committed' | 'withdrawn', note?: string, claimed = '0.00') {
  return { type: 'ChangePledgeStatus' as const, pledgeId: PLEDGE_ID, status, ...(note === undefined ? {} : { note }), claimed };
}

function amend(amount: string, reason: string, claimed = '0.00') {
  return { type: 'AmendPledge' as const, pledgeId: PLEDGE_ID, amount, reason, claimed };
}

function denormalised() {
  const { pledgeId, financierId, kamerId, year } = pledgeData();
  return { pledgeId, financierId, kamerId, year };
}

function statusChanged(
  from: 'proposed' | 'conditional' | 'committed' | 'withdrawn',
  to: 'proposed' | 'conditional' | 'committed' | 'withdrawn',
  note?: string,
): EventOf<'PledgeStatusChanged'> {
  return { type: 'PledgeStatusChanged', data: { ...denormalised(), from, to, ...(note === undefined ? {} : { note }) } };
}

function amended(previousAmount: string, amount: string, reason: string): EventOf<'PledgeAmended'> {
  return { type: 'PledgeAmended', data: { ...denormalised(), previousAmount, amount, reason } };
}
