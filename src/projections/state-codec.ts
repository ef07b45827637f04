/**
 * Projection states as text, for checkpoints: JSON, with the types the states use and JSON lacks
 * (Map, Set, bigint cents, a property that is there but undefined) written as tagged objects.
 * An object held in two places (an invoice record both by id and in its financier's list) is
 * written once and referred to after: decoded, it is again one object, so a later fold that
 * updates it through one place updates it in both.
 *
 * Decoding gives back the same shape, keys in the same order: a fold that later sets a property
 * present-but-undefined keeps its place, so a state folded on from a checkpoint encodes to the
 * same text as one folded from the start. That, and Maps keeping their insertion order (a replay
 * inserts in log order), is what lets `verify` compare a stored checkpoint with a recomputed one
 * as text.
 */
const MAP = '$map';
const SET = '$set';
const BIGINT = '$bigint';
const UNDEFINED = '$undefined';
const DEFINE = '$def';
const REFER = '$ref';

export function encodeState(state: unknown): string {
  const shared = objectsHeldTwice(state);
  const ids = new Map<object, number>();
  return JSON.stringify(state, (_key, value: unknown) => {
    if (value === undefined) return { [UNDEFINED]: true };
    if (typeof value === 'object' && value !== null && shared.has(value)) {
      const id = ids.get(value);
      if (id !== undefined) return { [REFER]: id };
      ids.set(value, ids.size);
      // A copy inside the definition: the replacer meets the copy next, not the shared object again.
      const copy = value instanceof Map ? new Map(value) : value instanceof Set ? new Set(value) : Array.isArray(value) ? [...value] : { ...value };
      return { [DEFINE]: ids.size - 1, v: copy };
    }
    if (typeof value === 'bigint') return { [BIGINT]: value.toString() };
    if (value instanceof Map) return { [MAP]: [...value] };
    if (value instanceof Set) return { [SET]: [...value] };
    return value;
  });
}

export function decodeState<S>(text: string): S {
  // A plain parse and one walk: JSON.parse with a reviver is several times slower on a large state.
  const defined = new Map<number, unknown>();
  // Depth first, keys in order: a definition is complete before any reference to it is met.
  const revive = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index += 1) value[index] = revive(value[index]);
      return value;
    }
    const tagged = value as Record<string, unknown>;
    if (UNDEFINED in tagged) return undefined;
    if (BIGINT in tagged) return BigInt(tagged[BIGINT] as string);
    if (REFER in tagged) return defined.get(tagged[REFER] as number);
    if (DEFINE in tagged) {
      const content = revive(tagged.v);
      defined.set(tagged[DEFINE] as number, content);
      return content;
    }
    if (MAP in tagged) return new Map((revive(tagged[MAP]) as Array<[unknown, unknown]>));
    if (SET in tagged) return new Set(revive(tagged[SET]) as unknown[]);
    // Assigning undefined keeps the key where it was: a later fold that sets it keeps the order.
    for (const key of Object.keys(tagged)) tagged[key] = revive(tagged[key]);
    return tagged;
  };
  return revive(JSON.parse(text)) as S;
}

/** Every object, array, Map or Set reachable from `root` along two paths or more. */
function objectsHeldTwice(root: unknown): Set<object> {
  const seen = new Set<object>();
  const twice = new Set<object>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (seen.has(value)) {
      twice.add(value);
      continue;
    }
    seen.add(value);
    if (value instanceof Map) for (const [key, item] of value) pending.push(key, item);
    else if (value instanceof Set) for (const item of value) pending.push(item);
    else for (const item of Object.values(value)) pending.push(item);
  }
  return twice;
}
