/**
 * peekBusinessDay reads an event's business date off its JSON text, so that a replay through an
 * `asOf` cut can skip an event dated later without parsing it. It must give what businessDateOf
 * gives on the parsed event, or nothing (then the reader parses).
 */
import t from 'tap';
import fc from 'fast-check';
import { businessDateOf, peekBusinessDay } from '../../src/domain/business-date.js';
import { businessDayNumber } from '../../src/projections/log-reader.js';
import { scenario } from './journal-scenarios.js';

t.test('the date read off the JSON is the parsed event\'s business date, for every event of random logs', async (t) => {
  let peeked = 0;
  fc.assert(
    fc.property(scenario, ({ events }) => {
      for (const event of events) {
        const json = JSON.stringify(event.data);
        const day = peekBusinessDay(event.type, json);
        const date = businessDateOf(event);
        const expected = date === undefined ? 0 : businessDayNumber(date);
        if (event.type === 'BankStatementReconciled') {
          if (day !== undefined) throw new Error('a reconciliation\'s nested dates are never peeked');
          continue;
        }
        // Text with an escape is always left to the parser; any other is peeked.
        if (json.includes('\\')) {
          if (day !== undefined) throw new Error(`text with an escape was peeked: ${json}`);
          continue;
        }
        if (day !== expected) throw new Error(`${event.type} ${JSON.stringify(event.data)}: peeked ${day}, parsed ${expected}`);
        peeked += 1;
      }
    }),
    { numRuns: 100 },
  );
  t.ok(peeked > 0, `${peeked} events peeked`);
});

t.test('text that does not plainly say the date is left to the parser', async (t) => {
  t.equal(peekBusinessDay('ExpensePaid', '{"date":"2019-03-04","amount":"1.00"}'), 20190304);
  t.equal(peekBusinessDay('KamerRegistered', '{"kamerId":"top","name":"Top"}'), 0, 'a type without a business date');
  t.equal(peekBusinessDay('ExpensePaid', '{"date":"2019-03-04","x":{"date":"2020-01-01"}}'), undefined, 'the key twice');
  t.equal(peekBusinessDay('ExpensePaid', '{"amount":"1.00"}'), undefined, 'no key');
  t.equal(peekBusinessDay('ExpensePaid', '{"date":"2019-3-4"}'), undefined, 'not YYYY-MM-DD');
  t.equal(peekBusinessDay('ExpensePaid', '{"description":"the \\"date\\":\\"2030-01-01\\" in text","date":"2019-03-04"}'), undefined, 'text with an escape');
  // A key spelt with an escape is the date field to JSON.parse, unseen by a search for "date":
  // the peek must not take the other date for it (review finding, round 5).
  const escapedKey = '{"date":"2023-12-31","dat\\u0065":"2024-01-01"}';
  t.equal((JSON.parse(escapedKey) as { date: string }).date, '2024-01-01', 'JSON.parse reads the escaped key as the date');
  t.equal(peekBusinessDay('ExpensePaid', escapedKey), undefined, 'an escaped key');
  t.equal(peekBusinessDay('NoSuchEvent', '{"date":"2019-03-04"}'), undefined, 'an unknown type');
});
