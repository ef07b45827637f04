/**
 * How long a service start takes to its first answered room-budget read, without and with a
 * checkpoint: `npm run bench -- checkpoint-start [--events N] [--file ledger.db]`.
 *
 * Each start is a fresh child process (as a restart is) that opens the ledger with the service's
 * runner (createServiceProjectionRunner), reads the room budget of one room, closes (which saves
 * a checkpoint) and reports its timings and peak RSS. The first start has no checkpoint and folds
 * the whole log; the second starts from the checkpoint the first saved.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createServiceProjectionRunner } from '../src/projections/create.js';
import { pledgesProjection } from '../src/projections/pledges.js';
import { registryProjection } from '../src/projections/registry.js';
import { roomsProjection } from '../src/projections/rooms.js';
import { roomBudgetView } from '../src/projections/views/budget.js';
import { SqliteEventStore } from '../src/store/sqlite.js';
import { withLedgerFile } from './ledger-file.js';

const CHILD_FLAG = 'BENCH_CHECKPOINT_START_FILE';

interface StartFigures {
  readonly firstReadSeconds: number;
  readonly closeSeconds: number;
  readonly loaded: number;
  readonly maxRssMb: number;
}

export function checkpointStartOptions(args: readonly string[]): { events: number; file: string | undefined } {
  const at = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const events = Number((at('--events') ?? '100000').replace(/_/g, ''));
  if (!Number.isInteger(events) || events <= 0) throw new Error('--events needs a positive whole number');
  return { events, file: at('--file') };
}

export async function benchCheckpointStart(options: { events: number; file: string | undefined }): Promise<void> {
  await withLedgerFile(options.file, options.events, 'ledger-checkpoint-', async (path) => {
    // A file given may hold checkpoints already: start from none, to measure both starts.
    const clean = new SqliteEventStore(path);
    clean.db.exec('DROP TABLE IF EXISTS projection_checkpoints');
    const events = (await clean.lastPosition()) ?? '0';
    await clean.close();
    console.log(`${Number(events).toLocaleString('en')} events in ${path}`);
    for (const label of ['without a checkpoint', 'from the checkpoint the first start saved']) {
      const figures = await startInChild(path);
      console.log(
        `  start ${label}: first room-budget read after ${figures.firstReadSeconds.toFixed(2)} s ` +
          `(${figures.loaded} projections loaded from a checkpoint), close with checkpoint ${figures.closeSeconds.toFixed(2)} s, peak RSS ${figures.maxRssMb.toFixed(0)} MB`,
      );
    }
  });
}

function startInChild(path: string): Promise<StartFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], { env: { ...process.env, [CHILD_FLAG]: path }, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output.trim().split('\n').pop()!) as StartFigures) : reject(new Error(`the start child exited with ${code}`))));
  });
}

/** The child: one service start, measured from opening the file. */
async function measureStart(path: string): Promise<StartFigures> {
  const started = process.hrtime.bigint();
  const store = new SqliteEventStore(path);
  let loaded = 0;
  const runner = createServiceProjectionRunner(store, (event) => {
    if (event.kind === 'loaded') loaded += 1;
  });
  const [registry, pledges, rooms] = await Promise.all([runner.read(registryProjection), runner.read(pledgesProjection), runner.read(roomsProjection)]);
  roomBudgetView({ registry, pledges, rooms }, 'kamer-042', 2020);
  const firstReadSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const closing = process.hrtime.bigint();
  await runner.close();
  await store.close();
  const closeSeconds = Number(process.hrtime.bigint() - closing) / 1e9;
  return { firstReadSeconds, closeSeconds, loaded, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

const childPath = process.env[CHILD_FLAG];
if (childPath !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) {
  measureStart(childPath).then(
    (figures) => process.stdout.write(`${JSON.stringify(figures)}\n`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
