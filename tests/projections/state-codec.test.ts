import t from 'tap';
import { decodeState, encodeState, stateText } from '../../src/projections/state-codec.js';

/** A state with everything the projections' states hold: Maps, Sets, bigint cents, undefined properties, an object held twice. */
function sampleState() {
  const invoice = { id: 'inv-1', open: 12_345n, note: undefined as string | undefined, paidOn: [] as string[] };
  return {
    byId: new Map([['inv-1', invoice]]),
    byFinancier: new Map([['financier-01', [invoice]]]),
    years: new Set([2024, 2020]),
    totals: { b: 1n, a: -250n },
    share: { numerator: 1, denominator: 3 },
  };
}

t.test('a decoded state is the state encoded: same types, key and entry order, undefined properties kept in place', async (t) => {
  const state = sampleState();
  const decoded = decodeState<ReturnType<typeof sampleState>>(encodeState(state));
  t.equal(stateText(decoded), stateText(state), 'the same content');
  t.ok(decoded.byId instanceof Map && decoded.years instanceof Set, 'Maps and Sets stay Maps and Sets');
  t.same([...decoded.years], [2024, 2020], 'in insertion order');
  t.same(Object.keys(decoded.totals), ['b', 'a'], 'keys in their order');
  t.equal(typeof decoded.totals.a, 'bigint', 'cents stay bigints');
  t.same(Object.keys(decoded.byId.get('inv-1')!), ['id', 'open', 'note', 'paidOn'], 'a property present but undefined keeps its place');
});

t.test('an object held in two places is one object after decoding: a fold that updates it through one place updates both', async (t) => {
  const decoded = decodeState<ReturnType<typeof sampleState>>(encodeState(sampleState()));
  const byId = decoded.byId.get('inv-1')!;
  t.equal(byId, decoded.byFinancier.get('financier-01')![0], 'the same object');
  byId.open = 0n;
  t.equal(decoded.byFinancier.get('financier-01')![0]!.open, 0n, 'seen through the other place');
});

t.test('stateText tells states apart by content only', async (t) => {
  const one = sampleState();
  const other = sampleState();
  t.equal(stateText(one), stateText(other), 'equal content, equal text');
  other.totals.a = -251n;
  t.not(stateText(one), stateText(other), 'a cent more: another text');
  const shared = sampleState();
  const unshared = { ...sampleState(), byFinancier: new Map([['financier-01', [{ ...shared.byId.get('inv-1')! }]]]) };
  t.not(stateText(shared), stateText(unshared), 'an object held twice is not two equal objects');
  // The bytes may tell an integer held as a double from a small one; the text does not.
  const asDouble = { ...sampleState(), share: { numerator: 1.5 - 0.5, denominator: 3 } };
  t.equal(stateText(asDouble), stateText(sampleState()), 'a number is its value');
});
