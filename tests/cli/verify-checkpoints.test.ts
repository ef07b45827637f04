import t from 'tap';
import { join } from 'node:path';
import { SyntheticLedger } from '../../bench/projections-log.js';
import { verifyCommand } from '../../src/cli/commands/verify.js';
import { loadConfig } from '../../src/config.js';
import { createServiceProjectionRunner } from '../../src/projections/create.js';
import { STANDARD_PROJECTIONS } from '../../src/projections/standard.js';
import { SqliteEventStore } from '../../src/store/sqlite.js';
import { inflateRoomsCheckpoint } from '../helpers/tamper.js';

async function runVerify(path: string, args: string[] = []): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const config = loadConfig({ SQLITE_PATH: path, DATA_DIR: join(path, '..') });
  const code = await verifyCommand.run(args, { config, out: (text) => out.push(text), err: (text) => out.push(text) });
  return { code, out: out.join('\n') };
}

t.test('verify recomputes the checkpoints the service saved and exits 1 when one differs from the log', async (t) => {
  const path = join(t.testdir(), 'ledger.db');
  const store = new SqliteEventStore(path);
  for (const { stream, event } of new SyntheticLedger({ rooms: 20, financiers: 5, firstYear: 2020, years: 2 }, 3).take(600)) {
    await store.append(stream, [{ type: event.type, data: event.data, metadata: { recordedBy: 'system:test' } }], 'any');
  }
  // The service's runner: it saves a checkpoint of every read projection when it closes.
  const service = createServiceProjectionRunner(store);
  await Promise.all(STANDARD_PROJECTIONS.map((projection) => service.read(projection)));
  await service.close();
  await store.close();

  const intact = await runVerify(path);
  t.equal(intact.code, 0, intact.out);
  t.match(intact.out, `checkpoints:    ${STANDARD_PROJECTIONS.length} stored, ${STANDARD_PROJECTIONS.length} recompute from the log`);
  const json = JSON.parse((await runVerify(path, ['--json'])).out) as { checkpoints: Array<{ projection: string; outcome: string }> };
  t.same(json.checkpoints.map((check) => check.outcome), STANDARD_PROJECTIONS.map(() => 'matches'));

  const tamper = new SqliteEventStore(path);
  // Every room's invoiced figure in the stored rooms state gets a leading 9: still a state, not the log's.
  t.equal(inflateRoomsCheckpoint(tamper.db), 1, 'the one rooms checkpoint was changed');
  await tamper.close();
  const tampered = await runVerify(path);
  t.equal(tampered.code, 1);
  t.match(tampered.out, /CHECKPOINT DIFFERS: rooms at position \d+: its state is not what the log folds to/);
  t.match(tampered.out, 'the log is intact', 'the events themselves are fine');
});
