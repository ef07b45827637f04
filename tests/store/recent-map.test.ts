import t from 'tap';
import { setRecent } from '../../src/store/recent-map.js';

t.test('setRecent keeps the newest entries, moves a set key to the newest, and drops the oldest tenth past the bound', async (t) => {
  const map = new Map<string, number>();
  for (let index = 0; index < 10; index += 1) setRecent(map, `k${index}`, index, 10);
  setRecent(map, 'k0', 100, 10); // k0 is now the newest, k1 the oldest
  t.same([...map.keys()], ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9', 'k0']);
  t.equal(map.get('k0'), 100);
  setRecent(map, 'k10', 10, 10);
  t.same([...map.keys()], ['k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9', 'k0', 'k10'], 'one past the bound drops the excess and a tenth more: k1 and k2');
});
