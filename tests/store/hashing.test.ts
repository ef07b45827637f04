/**
 * canonicalJson defines every stored event hash: a faster rewrite must give the same text for
 * every value an event can hold, or verify would report the whole log as tampered.
 */
import t from 'tap';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { canonicalJson, eventHash, GENESIS_HASH, nextDigest } from '../../src/store/hashing.js';

/** The definition as first written (entries, filter, sort, join): the reference the rewrite must equal. */
function referenceCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : referenceCanonicalJson(item))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${referenceCanonicalJson(item)}`).join(',')}}`;
}

t.test('canonicalJson equals its reference definition on any JSON value, with undefined properties and unicode keys', async (t) => {
  const value = fc.letrec((tie) => ({
    leaf: fc.oneof(fc.constant(null), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.string({ unit: 'binary' })),
    array: fc.array(fc.oneof(tie('node'), fc.constant(undefined)), { maxLength: 5 }),
    object: fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), fc.oneof(tie('node'), fc.constant(undefined)), { maxKeys: 6 }),
    node: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('array'), tie('object')),
  })).node;
  fc.assert(fc.property(value, (json) => canonicalJson(json) === referenceCanonicalJson(json)), { numRuns: 2000 });
  t.equal(canonicalJson({ b: 1, a: [undefined, { d: undefined, c: 'x' }] }), '{"a":[null,{"c":"x"}],"b":1}');
});

t.test('an event hash is the SHA-256 of the previous hash, a newline and the canonical JSON of the event', async (t) => {
  const event = { stream: 's-1', revision: 0, type: 'Noted', data: { z: 1, a: '2.50' }, metadata: { recordedBy: 'x', recordedAt: '2020-01-01T00:00:00.000Z', correlationId: 'c', causationId: 'e' } };
  const body = '{"data":{"a":"2.50","z":1},"metadata":{"causationId":"e","correlationId":"c","recordedAt":"2020-01-01T00:00:00.000Z","recordedBy":"x"},"revision":0,"stream":"s-1","type":"Noted"}';
  t.equal(eventHash(GENESIS_HASH, event), createHash('sha256').update(`${GENESIS_HASH}\n${body}`).digest('hex'));
});

t.test('event hashes and log digests equal the Hash object fed piece by piece, as they were first defined, on any text', async (t) => {
  const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
  fc.assert(
    fc.property(hex, fc.string({ unit: 'binary' }), (previous, text) => {
      const event = { stream: 's-1', revision: 3, type: 'Noted', data: { text }, metadata: { recordedBy: text, recordedAt: '2020-01-01T00:00:00.000Z', correlationId: 'c', causationId: 'e' } };
      const body = canonicalJson({ stream: event.stream, revision: event.revision, type: event.type, data: event.data, metadata: event.metadata });
      return eventHash(previous, event) === createHash('sha256').update(previous).update('\n').update(body).digest('hex');
    }),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(hex, hex, (previous, hash) => nextDigest(previous, hash) === createHash('sha256').update(previous).update(hash).digest('hex')),
    { numRuns: 500 },
  );
  t.equal(nextDigest(GENESIS_HASH, GENESIS_HASH), createHash('sha256').update(GENESIS_HASH + GENESIS_HASH).digest('hex'));
});
