/**
 * A write's answer is built and checked before its events are committed (issue 9, item 2): every
 * write route, posted with every optional field filled, answers 201. Before, a financier
 * registered with an IBAN was written and then answered 500 (its answer schema reused the input's
 * IBAN transform, which cannot encode), and a retry got 409 DUPLICATE_ID.
 */
import t from 'tap';
import { ROUTES, send, world } from './write-routes.js';

interface JsonSchema {
  readonly type?: string;
  readonly properties?: Record<string, JsonSchema>;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
}

/** Every property path a request schema declares, nested objects and array items included ("lines.[].amount"). */
function declaredPaths(schema: JsonSchema | undefined, prefix = ''): string[] {
  if (!schema) return [];
  const alternatives = [...(schema.anyOf ?? []), ...(schema.allOf ?? [])].flatMap((inner) => declaredPaths(inner, prefix));
  const items = schema.items ? declaredPaths(schema.items, `${prefix}[].`) : [];
  const properties = Object.entries(schema.properties ?? {}).flatMap(([name, inner]) => [`${prefix}${name}`, ...declaredPaths(inner, `${prefix}${name}.`)]);
  return [...alternatives, ...items, ...properties];
}

/** The property paths a body fills, in the same notation. */
function filledPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => filledPaths(item, `${prefix}[].`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([name, inner]) => [`${prefix}${name}`, ...filledPaths(inner, `${prefix}${name}.`)]);
}

t.test('the full bodies of the table fill every field each route declares', async (t) => {
  const w = await world(t);
  const document = (await w.api.get(w.api.tokens.accountant, '/openapi.json')).json() as {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  };
  for (const route of ROUTES) {
    const [method, path] = route.route.split(' ') as [string, string];
    const schema = document.paths[path]?.[method]?.requestBody?.content['application/json']?.schema;
    const declared = new Set(declaredPaths(schema));
    const filled = new Set(route.full(w).flatMap((body) => filledPaths(body)));
    t.ok(declared.size > 0, `${route.route} declares a body`);
    t.same([...declared].filter((field) => !filled.has(field)).sort(), [], `${route.route}: every declared field is filled by a full body`);
  }
});

t.test('every write route answers 201 with every optional field filled, and the answer is what a repeat gets', async (t) => {
  for (const route of ROUTES) {
    t.test(route.route, async (t) => {
      const alternatives = route.full(await world(t)).length;
      for (let index = 0; index < alternatives; index += 1) {
        // A world of its own for each body: ids (pledge, payment) differ from world to world.
        const w = await world(t);
        const body = route.full(w)[index]!;
        const before = (await w.api.allEvents()).length;
        const headers = { 'idempotency-key': `full-${index}` };
        const first = await send(w, route, body, headers);
        t.equal(first.statusCode, 201, `${JSON.stringify(body)}: ${first.body}`);
        t.ok((await w.api.allEvents()).length > before, 'it was written');
        const repeat = await send(w, route, body, headers);
        t.equal(repeat.statusCode, 201, repeat.body);
        t.equal(repeat.body, first.body, 'a repeat gets the answer that was committed');
      }
    });
  }
});

t.test('a financier registered with an IBAN answers 201 with the IBAN in electronic form', async (t) => {
  const w = await world(t);
  const body = { id: 'bo-ex', name: 'Bo-Ex', kind: 'housing-corporation', pays: 'invoice', iban: 'nl91 abna 0417 1643 00' };
  const response = await w.api.post(w.api.tokens.treasurer, '/financiers', body, { 'idempotency-key': 'bo-ex' });
  t.equal(response.statusCode, 201, response.body);
  t.equal(response.json().iban, 'NL91ABNA0417164300');
  const retry = await w.api.post(w.api.tokens.treasurer, '/financiers', body, { 'idempotency-key': 'bo-ex' });
  t.equal(retry.statusCode, 201, `a retry is the first answer, not 409 DUPLICATE_ID: ${retry.body}`);
});
