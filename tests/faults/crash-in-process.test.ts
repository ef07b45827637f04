/**
 * Fault injection in process (issue 9, item 10): for every write route, the store fails at each
 * point where a crash can fall, and the client retries with the same Idempotency-Key.
 *
 * - after the commit, before anyone hears of it (a process dying, a connection dropping between
 *   the commit and the answer): the first attempt answers 5xx, the events are durable; the retry
 *   must get the answer that was committed with them and write nothing;
 * - inside the commit, after the rows were written and before COMMIT: nothing may be written;
 *   the retry decides afresh and writes exactly once.
 *
 * Before issue 9 the answer was saved in a step after the commit, so the first case wrote the
 * retried request a second time.
 */
import t from 'tap';
import type { StoreFaults } from '../../src/store/sqlite.js';
import type { RecordedEvent } from '../../src/store/port.js';
import { ROUTES, send, world } from '../http/write-routes.js';

/** A fault point that fires once, when armed, and counts how often it fired. */
function armableFaults(): { faults: StoreFaults; arm(point: keyof StoreFaults): void; fired(): number } {
  let armed: keyof StoreFaults | undefined;
  let fired = 0;
  const fire = (point: keyof StoreFaults) => () => {
    if (armed !== point) return;
    armed = undefined;
    fired += 1;
    throw new Error(`injected fault: ${point}`);
  };
  return {
    faults: { insideCommit: fire('insideCommit'), afterCommit: fire('afterCommit') },
    arm: (point) => {
      armed = point;
    },
    fired: () => fired,
  };
}

const withKey = (events: readonly RecordedEvent[], key: string) => events.filter((event) => event.metadata.idempotencyKey === key);

let trials = 0;

for (const point of ['afterCommit', 'insideCommit'] as const) {
  t.test(`a crash ${point === 'afterCommit' ? 'between the commit and the answer' : 'inside the commit'}, then a retry with the same key: written exactly once`, async (t) => {
    for (const route of ROUTES) {
      t.test(route.route, async (t) => {
        const injected = armableFaults();
        const w = await world(t, { faults: injected.faults });
        const before = await w.api.allEvents();
        const key = `crash-${point}-${route.route.replace(/\s/g, ':')}`;
        injected.arm(point);
        const crashed = await send(w, route, route.body(w), { 'idempotency-key': key });
        t.equal(injected.fired(), 1, 'the fault fired');
        t.equal(crashed.statusCode, 500, `the first attempt fails as the client sees it: ${crashed.body}`);
        const afterCrash = await w.api.allEvents();
        if (point === 'afterCommit') t.ok(afterCrash.length > before.length, 'the events of the first attempt are durable');
        else t.equal(afterCrash.length, before.length, 'a crash inside the commit writes nothing');

        const retry = await send(w, route, route.body(w), { 'idempotency-key': key });
        t.equal(retry.statusCode, 201, retry.body);
        t.equal(retry.headers['idempotent-replayed'], point === 'afterCommit' ? 'true' : undefined, 'replayed only when the first attempt committed');
        const afterRetry = await w.api.allEvents();
        const written = withKey(afterRetry, key);
        t.ok(written.length > 0, 'the request is in the log');
        t.equal(afterRetry.length, before.length + written.length, 'nothing but this request was added');
        if (point === 'afterCommit') t.same(written, withKey(afterCrash, key), 'the retry wrote nothing: the events are those of the first attempt');
        // The committed answer names the position of the request's last event.
        t.equal(retry.json().position, written.at(-1)!.position);

        const again = await send(w, route, route.body(w), { 'idempotency-key': key });
        t.equal(again.body, retry.body, 'every later repeat gets the same answer');
        t.equal((await w.api.allEvents()).length, afterRetry.length);
        trials += 1;
      });
    }
  });
}

t.test('at least 20 crash-and-retry trials ran', async (t) => {
  t.ok(trials >= 20, `${trials} trials`);
});
