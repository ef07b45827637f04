/**
 * Fuzzing every write route of the OpenAPI document (issue 9, item 10): bodies are generated from
 * each route's own request schema, mostly near-valid (the schema's fields, plausible and edge
 * values: dates that do not exist, amounts at and past the limits, other rooms' ids, markup) and
 * sometimes wild (wrong types, unknown fields). Thousands of requests in bounded time, two rules:
 * never a 5xx, and a refused request never changes the log.
 */
import t from 'tap';
import fc from 'fast-check';
import { craftedStatement } from '../bank/camt053.fixtures.js';
import { world, type World } from '../http/write-routes.js';

interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
}

/** Whether a value passes the string schema's own checks (the rules behind it may still refuse it). */
function fitsStringSchema(value: string, schema: JsonSchema): boolean {
  if (schema.minLength !== undefined && value.length < schema.minLength) return false;
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return false;
  return schema.pattern === undefined || new RegExp(schema.pattern, 'u').test(value);
}

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly schema: JsonSchema | undefined;
  readonly contentType: string;
}

const RUNS_PER_ROUTE = 160;
/** A bound on each route's share of the run, so the suite's time stays bounded whatever happens. */
const TIME_LIMIT_PER_ROUTE_MS = 20_000;

/** Plausible and edge values for a string field, chosen by the field's name. */
function stringsFor(field: string, w: World): string[] {
  const name = field.toLowerCase();
  if (name.includes('date')) return ['2020-06-12', '2020-06-15', '2020-01-01', '2019-12-31', '2020-02-30', '2100-01-01', '1999-12-31', '2030-01-01', '2020-6-1'];
  if (name === 'month') return ['2020-06', '2020-05', '2020-07', '2020-01', '2020-13', '2020-6'];
  if (name === 'hours') return ['2.5', '0.25', '24', '24.01', '0', '-1', '3.333', '8'];
  if (name.includes('amount') || name === 'perhour') return ['0.01', '1.00', '12.50', '100.00', '250.00', '250.01', '999999999.99', '1000000000.00', '0.00', '-1.00', '1.005', '1e3', '1,00'];
  if (name.includes('iban')) return ['NL91ABNA0417164300', 'NL91 ABNA 0417 1643 00', 'NL00ABNA0000000000', 'DE89370400440532013000'];
  if (['kamer', 'financier', 'id'].includes(name)) return ['top', 'de-klop', 'portaal', 'doen', 'gemeente', 'nobody', 'new-room', 'Top', 'a'.repeat(41)];
  if (['pledge', 'invoice', 'payment'].includes(name)) return [w.pledge, w.invoice, w.payment, w.entry, '2020-0001', '2020/0001', '2020-0099', '00000000-0000-4000-8000-000000000000'];
  if (name === 'volunteer') return ['v-017', 'v-018', 'vrw-0042', 'Jan Jansen', ''];
  if (name === 'line') return ['rent', 'petty-cash', 'salaries', 'Rent', 'nope'];
  return ['Bijdrage 2020', 'koffie', 'Factuur 2020-0001', 'rent', 'resident', 'A', ' ', '', '<script>alert(1)</script>', '"; DROP TABLE events; --', 'é😀', 'x'.repeat(1200)];
}

/** An arbitrary for one schema: mostly its own shape with plausible values, now and then anything. */
function arbitraryFor(schema: JsonSchema | undefined, w: World, field = '', depth = 0): fc.Arbitrary<unknown> {
  const wild = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true }), fc.string(), fc.constant([]), fc.constant({}));
  if (!schema || depth > 4) return wild;
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  let shaped: fc.Arbitrary<unknown>;
  if (schema.const !== undefined) shaped = fc.constant(schema.const);
  else if (schema.enum) shaped = fc.constantFrom(...schema.enum);
  else if (schema.anyOf || schema.allOf) shaped = fc.oneof(...[...(schema.anyOf ?? []), ...(schema.allOf ?? [])].map((inner) => arbitraryFor(inner, w, field, depth + 1)));
  else if (types.includes('object')) {
    const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, inner]) => [name, arbitraryFor(inner, w, name, depth + 1)]));
    // Mostly with the required fields, so that requests get past validation to the rules.
    const complete = fc.record(properties, { requiredKeys: (schema.required ?? []).filter((name) => name in properties) });
    const partial = fc.record(properties, { requiredKeys: [] });
    const withUnknown = fc.tuple(complete, fc.string({ minLength: 1, maxLength: 8 }), wild).map(([body, key, value]) => ({ ...(body as object), [key]: value }));
    shaped = fc.oneof({ weight: 16, arbitrary: complete }, { weight: 2, arbitrary: partial }, { weight: 1, arbitrary: withUnknown });
  } else if (types.includes('array')) shaped = fc.array(arbitraryFor(schema.items, w, field, depth + 1), { minLength: 1, maxLength: 3 });
  else if (types.includes('string')) {
    const pool = stringsFor(field, w);
    const fitting = pool.filter((value) => fitsStringSchema(value, schema));
    shaped = fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(...(fitting.length > 0 ? fitting : pool)) },
      { weight: 2, arbitrary: fc.constantFrom(...pool) },
      { weight: 1, arbitrary: fc.string() },
    );
  }
  else if (types.includes('integer') || types.includes('number')) {
    shaped = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(2020, 2021, 2019, 1, 3) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 1999, 2101, 2 ** 53) }, { weight: 1, arbitrary: fc.double({ noNaN: true }) });
  } else if (types.includes('boolean')) shaped = fc.boolean();
  else shaped = wild;
  return depth === 0 ? shaped : fc.oneof({ weight: 30, arbitrary: shaped }, { weight: 1, arbitrary: wild });
}

/** Path parameters: mostly the world's real resource of the kind the path names, now and then another or junk. */
function pathArbitrary(path: string, w: World): fc.Arbitrary<string> {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
  const realId = path.startsWith('/pledges') ? w.pledge : path.startsWith('/invoices') ? w.invoice : path.startsWith('/payments') ? w.payment : w.entry;
  const real: Record<string, string[]> = { kamer: ['top'], year: ['2020', '2021'], id: [realId] };
  const other = fc.constantFrom('de-klop', 'nobody', '1999', w.pledge, w.payment, '00000000-0000-4000-8000-000000000000', '%2e%2e', 'x'.repeat(300));
  const value = (name: string) => fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...(real[name] ?? ['top'])) }, { weight: 1, arbitrary: other });
  return fc.tuple(...names.map(value)).map((values) => names.reduce((url, name, index) => url.replace(`{${name}}`, encodeURIComponent(values[index]!)), path));
}

function statementArbitrary(): fc.Arbitrary<string> {
  const amount = fc.constantFrom('1.00', '0.00', '-5.00', '1.005', '999999999.99', '9999999999999.99', 'abc', '1e3');
  const entry = fc.record({ amount, remittance: fc.array(fc.constantFrom('Factuur 2020-0001', '2020/0001', 'gift', '&amp;', '<x>'), { maxLength: 2 }) });
  return fc.oneof(
    fc.array(entry, { minLength: 1, maxLength: 3 }).map((entries) => craftedStatement(entries.map((e, index) => ({ ...e, entryReference: `FUZZ-${index}-${e.amount}` })))),
    fc.string(),
    fc.constant('<?xml version="1.0"?><Document>'),
    fc.constant('<!DOCTYPE x [<!ENTITY a "aaaaaaaa">]><Document>&a;</Document>'),
  );
}

async function writeOperations(w: World): Promise<Operation[]> {
  const document = (await w.api.get(w.api.tokens.accountant, '/openapi.json')).json() as {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  };
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([method]) => ['post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, operation]) => {
        const content = operation.requestBody?.content ?? {};
        const contentType = content['application/json'] ? 'application/json' : Object.keys(content)[0] ?? 'application/json';
        return { method: method.toUpperCase(), path: path.replace(/\{(\w+)\}/g, '{$1}'), schema: content[contentType]?.schema, contentType };
      }),
  );
}

t.test('fuzzing every write route: never a 5xx, and a refused request never changes the log', async (t) => {
  const operations = await writeOperations(await world(t));
  t.ok(operations.length >= 17, `${operations.length} write routes`);
  let requests = 0;
  const statuses = new Map<number, number>();
  for (const operation of operations) {
    t.test(`${operation.method} ${operation.path}`, async (t) => {
      const w = await world(t);
      const body = operation.contentType === 'application/json' ? arbitraryFor(operation.schema, w).map((value) => JSON.stringify(value) ?? 'null') : statementArbitrary();
      const failures: string[] = [];
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(pathArbitrary(operation.path, w), body, fc.boolean(), async (url, payload, withKey) => {
          if (Date.now() - started > TIME_LIMIT_PER_ROUTE_MS) return;
          const before = await w.api.store.lastPosition();
          const response = await w.api.request(w.api.tokens.treasurer, {
            method: operation.method as 'POST',
            url,
            payload,
            headers: { 'content-type': operation.contentType, ...(withKey ? { 'idempotency-key': `fuzz-${requests}` } : {}) },
          });
          requests += 1;
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
          if (response.statusCode >= 500) failures.push(`${response.statusCode} ${url} ${payload.slice(0, 300)} → ${response.body.slice(0, 300)}`);
          if (response.statusCode >= 400 && (await w.api.store.lastPosition()) !== before) failures.push(`refused but written: ${url} ${payload.slice(0, 300)}`);
          return failures.length === 0;
        }),
        { numRuns: RUNS_PER_ROUTE, seed: 20261130 + operations.indexOf(operation) },
      ).catch((error: unknown) => failures.push(String(error).slice(0, 2000)));
      t.same(failures, [], 'no 5xx, no refused request written');
    });
  }
  t.test('enough requests were sent, and they reached the business rules, not only validation', async (t) => {
    t.ok(requests >= 2000, `${requests} requests`);
    const counts = Object.fromEntries([...statuses].sort(([a], [b]) => a - b));
    t.comment(`answers by status: ${JSON.stringify(counts)}`);
    t.ok((statuses.get(201) ?? 0) > 100, 'many were accepted');
    t.ok((statuses.get(422) ?? 0) > 20, 'many were refused by a business rule');
  });
});
