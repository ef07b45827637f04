import t from 'tap';
import { budgetDecider, cooperativeDecider, financierDecider, kamerDecider, valuationRatesDecider } from '../../src/domain/registry/deciders.js';
import { foldEvents } from '../../src/domain/decider.js';
import { specFor } from '../helpers/decider.js';

t.test('a kamer is registered once', async (t) => {
  const spec = specFor(t, kamerDecider);
  spec.given([]).when({ type: 'RegisterKamer', kamerId: 'top', name: 'TOP' }).then([
    { type: 'KamerRegistered', data: { kamerId: 'top', name: 'TOP' } },
  ]);
  spec
    .given([{ type: 'KamerRegistered', data: { kamerId: 'top', name: 'TOP' } }])
    .when({ type: 'RegisterKamer', kamerId: 'top', name: 'TOP again' })
    .thenFails('DUPLICATE_ID', 'id');
});

t.test('a financier is registered once', async (t) => {
  const spec = specFor(t, financierDecider);
  const mitros = { financierId: 'mitros', name: 'Mitros', kind: 'housing-corporation', pays: 'invoice' } as const;
  spec.given([]).when({ type: 'RegisterFinancier', financier: mitros }).then([{ type: 'FinancierRegistered', data: mitros }]);
  spec
    .given([{ type: 'FinancierRegistered', data: mitros }])
    .when({ type: 'RegisterFinancier', financier: { ...mitros, name: 'Mitros (again)', pays: 'none' } })
    .thenFails('DUPLICATE_ID', 'id');
});

t.test('a budget totals its lines and refuses a line named twice or an unknown room', async (t) => {
  const spec = specFor(t, budgetDecider);
  const lines = [
    { line: 'rent', label: 'Huur', amount: '10680.00' },
    { line: 'utilities', label: 'Gas, water, licht', amount: '5556.05' },
  ];
  spec.given([]).when({ type: 'SetBudget', kamerId: 'top', year: 2018, lines, kamerExists: true }).then((events) => {
    t.equal(events[0]?.data.total, '16236.05');
  });
  spec
    .given([])
    .when({ type: 'SetBudget', kamerId: 'top', year: 2018, lines: [...lines, lines[0]!], kamerExists: true })
    .thenFails('INVALID_INPUT', 'lines.2.line');
  spec.given([]).when({ type: 'SetBudget', kamerId: 'nope', year: 2018, lines, kamerExists: false }).thenFails('NOT_FOUND');
});

t.test('a later valuation rate replaces the earlier one for its kind only', async (t) => {
  const state = foldEvents(valuationRatesDecider, [
    { type: 'ValuationRateSet', data: { year: 2020, kind: 'resident', perHour: '10.04' } },
    { type: 'ValuationRateSet', data: { year: 2020, kind: 'professional', perHour: '37.00' } },
    { type: 'ValuationRateSet', data: { year: 2020, kind: 'resident', perHour: '11.00' } },
  ]);
  t.same(state.perHour, { resident: '11.00', professional: '37.00' });
});

t.test('a registry stream with a foreign event is corrupt and says so', async (t) => {
  t.throws(() => kamerDecider.evolve(kamerDecider.initialState, { type: 'ValuationRateSet', data: { year: 2020, kind: 'resident', perHour: '1.00' } }), /corrupt/);
});

t.test("a financier's details change by a new event that replaces all four; an unknown financier is 404", async (t) => {
  const spec = specFor(t, financierDecider);
  const address = { street: 'Proefweg 22', postcode: '9999 ZZ', city: 'Proefstad', country: 'NL' };
  const registered = { financierId: 'gemeente', name: 'Gemeente', kind: 'municipality', pays: 'invoice', address, email: 'a@example.com' } as const;
  spec.given([]).when({ type: 'RegisterFinancier', financier: registered }).then([{ type: 'FinancierRegistered', data: registered }]);
  const moved = { ...address, street: 'Nieuweweg 1' };
  const events = spec
    .given([{ type: 'FinancierRegistered', data: registered }])
    .when({ type: 'ChangeFinancierDetails', financierId: 'gemeente', details: { address: moved, requiresBuyerReference: true } })
    .then([{ type: 'FinancierDetailsChanged', data: { financierId: 'gemeente', address: moved, requiresBuyerReference: true } }]);
  const state = foldEvents(financierDecider, [{ type: 'FinancierRegistered', data: registered }, ...events]);
  t.same(state, { registered: true, financier: { financierId: 'gemeente', name: 'Gemeente', kind: 'municipality', pays: 'invoice', address: moved, requiresBuyerReference: true } }, 'the e-mail left out is no longer known; name and kind stay');
  spec.given([]).when({ type: 'ChangeFinancierDetails', financierId: 'nope', details: {} }).thenFails('NOT_FOUND');
});

t.test("the cooperative's details: each setting is a new event, and the state knows its revision", async (t) => {
  const details = {
    name: 'Coöperatie',
    address: { street: 'Voorbeeldstraat 1', postcode: '1234 AB', city: 'Voorbeeldstad', country: 'NL' },
    kvkNumber: '12345678',
    vatExemptionNote: 'vrijgesteld',
    iban: 'NL91ABNA0417164300',
    bic: 'ABNANL2A',
    email: 'p@example.org',
  };
  const spec = specFor(t, cooperativeDecider);
  spec.given([]).when({ type: 'SetCooperativeDetails', details }).then([{ type: 'CooperativeDetailsSet', data: details }]);
  const second = { ...details, email: 'q@example.org' };
  const state = foldEvents(cooperativeDecider, [{ type: 'CooperativeDetailsSet', data: details }, { type: 'CooperativeDetailsSet', data: second }]);
  t.same(state.current, { details: second, revision: 1 });
});
