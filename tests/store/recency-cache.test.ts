import t from 'tap';
import { RecencyCache } from '../../src/store/recency-cache.js';

t.test('past its bound, a RecencyCache drops the least recently read or written entries, a tenth of the bound at a time', async (t) => {
  const cache = new RecencyCache<string, number>(10);
  for (let index = 0; index < 10; index += 1) cache.set(`k${index}`, index);
  t.equal(cache.get('k0'), 0, 'k0 read: now the most recent');
  cache.set('k1', 100); // k1 written: most recent after k0; k2 is now the least recent
  cache.set('k10', 10); // 11 entries: the excess (1) and a tenth of 10 (1) go: k2 and k3
  t.equal(cache.size, 9);
  t.equal(cache.get('k2'), undefined);
  t.equal(cache.get('k3'), undefined);
  t.same(['k0', 'k1', 'k4', 'k9', 'k10'].map((key) => cache.get(key)), [0, 100, 4, 9, 10], 'read and written entries stay, with their latest values');
  cache.clear();
  t.equal(cache.size, 0);
});
