/** The small LRU the view caches use: least recently used out first, whether or not a read was of the newest key. */
import t from 'tap';
import { LruCache } from '../../src/projections/lru.js';

t.test('the least recently used key goes first, whatever was read', async (t) => {
  const cache = new LruCache<number>(3);
  cache.set('a', 1);
  cache.set('b', 2);
  cache.set('c', 3);
  t.equal(cache.get('c'), 3, 'the newest, read again (its order stays as it is)');
  t.equal(cache.get('c'), 3);
  t.equal(cache.get('a'), 1, 'a becomes the newest');
  t.equal(cache.get('a'), 1);
  cache.set('d', 4); // evicts b: read least recently
  t.same([cache.get('b'), cache.get('c'), cache.get('a'), cache.get('d')], [undefined, 3, 1, 4]);
  cache.set('e', 5); // c, a, d were read in that order since: c goes
  t.equal(cache.get('c'), undefined);
  t.equal(cache.size, 3);
  t.equal(cache.get('missing'), undefined);
});

t.test('after clear, a key set again is found and the order starts over', async (t) => {
  const cache = new LruCache<string>(2);
  cache.set('x', 'one');
  cache.clear();
  t.equal(cache.get('x'), undefined);
  cache.set('x', 'two');
  cache.set('y', 'three');
  t.equal(cache.get('x'), 'two');
  cache.set('z', 'four'); // y was read least recently
  t.same([cache.get('y'), cache.get('x'), cache.get('z')], [undefined, 'two', 'four']);
});
