import t from 'tap';
import { z } from 'zod';
import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js';
import { rememberedValidation, validatorCompiler } from '../../src/http/cached-validation.js';

type Result = { value?: unknown; error?: unknown };

function compiled(schema: z.ZodType): (data: unknown) => Result {
  return validatorCompiler({ schema, method: 'GET', url: '/x', httpPart: 'querystring' } as FastifyRouteSchemaDef<z.ZodType>) as (data: unknown) => Result;
}

const Query = () => rememberedValidation(z.strictObject({ year: z.coerce.number().int().min(2000), page: z.string().optional() }));

t.test('a remembered schema parses an input once: the same input gets the same frozen value', async (t) => {
  let parses = 0;
  const validate = compiled(rememberedValidation(z.strictObject({ year: z.string().transform((year) => ((parses += 1), Number(year))) })));
  const first = validate({ year: '2020' });
  const second = validate({ year: '2020' });
  t.same(first.value, { year: 2020 });
  t.equal(second.value, first.value, 'the very same value');
  t.equal(parses, 1, 'zod ran once');
  t.ok(Object.isFrozen(first.value), 'frozen: every request with this input shares it');
  t.same(validate({ year: '2021' }).value, { year: 2021 }, 'another input is parsed on its own');
  t.equal(parses, 2);
});

t.test('invalid inputs are never remembered and still get their error, also beside remembered valid ones', async (t) => {
  const validate = compiled(Query());
  t.same(validate({ year: '2020' }).value, { year: 2020 });
  for (let round = 0; round < 2; round += 1) {
    t.ok(validate({ year: '1999' }).error, 'out of range');
    t.ok(validate({ year: 'abc' }).error, 'not a number');
    t.ok(validate({ year: '2020', extra: 'x' }).error, 'an unknown parameter');
    t.ok(validate({}).error, 'a missing parameter');
  }
});

t.test('inputs that would read alike if names and values were run together are told apart', async (t) => {
  const validate = compiled(rememberedValidation(z.record(z.string(), z.string())));
  t.same(validate({ ab: 'c' }).value, { ab: 'c' });
  t.same(validate({ a: 'bc' }).value, { a: 'bc' });
  t.same(validate({ a: 'b', c: '' }).value, { a: 'b', c: '' });
  t.same(validate({ a: 'b' }).value, { a: 'b' }, 'a prefix of a remembered input is its own input');
  t.same(validate({ 'a\u0000b': 'c' }).value, { 'a\u0000b': 'c' });
});

t.test('inputs with a repeated parameter (an array) are parsed every time, and unmarked schemas are never remembered', async (t) => {
  const validate = compiled(Query());
  t.ok(validate({ year: ['2020', '2021'] }).error, 'an array where one year is expected');
  let parses = 0;
  const unmarked = compiled(z.strictObject({ year: z.string().transform((year) => ((parses += 1), year)) }));
  unmarked({ year: '2020' });
  unmarked({ year: '2020' });
  t.equal(parses, 2);
});

t.test('the memory is bounded: past 1,000 inputs it starts over (a remembered input is parsed again), and answers stay right', async (t) => {
  const parsed: string[] = [];
  const validate = compiled(rememberedValidation(z.strictObject({ year: z.string().transform((year) => (parsed.push(year), Number(year))) })));
  validate({ year: '2000' });
  validate({ year: '2000' });
  t.same(parsed, ['2000'], 'remembered while the memory has room');
  for (let year = 2001; year < 3000; year += 1) t.equal((validate({ year: String(year) }).value as { year: number }).year, year);
  t.equal(parsed.length, 1000, 'a thousand inputs, each parsed once');
  validate({ year: '2000' });
  t.equal(parsed.length, 1000, 'the memory is full, not yet over: the first input is still remembered');
  validate({ year: '3000' });
  validate({ year: '2000' });
  t.same(parsed.slice(-2), ['3000', '2000'], 'the thousand-and-first input starts the memory over: the first is parsed again');
});

t.test('a long input is validated each time, never remembered: the memory is bounded in bytes too', async (t) => {
  let parses = 0;
  const validate = compiled(rememberedValidation(z.strictObject({ year: z.string().transform((year) => ((parses += 1), Number(year))) })));
  const padded = `${'0'.repeat(300)}2020`;
  t.same(validate({ year: padded }).value, { year: 2020 });
  t.same(validate({ year: padded }).value, { year: 2020 });
  t.equal(parses, 2, 'parsed each time');
  validate({ year: '2020' });
  validate({ year: '2020' });
  t.equal(parses, 3, 'a short one is still remembered');
});
