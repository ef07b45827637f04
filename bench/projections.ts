/**
 * Projection benchmark: writes a synthetic ledger (bench/projections-log.ts) to a temporary
 * SQLite file, then, in a fresh child process (so its peak RSS is the replay's own, not the
 * generator's), measures for every size:
 * - the first full replay into the five read-side projections (each event parsed and validated
 *   against the contract once: what a service start costs);
 * - an "as of" replay of all five through a cut (the log already validated by this process);
 * - p50/p99 of a default-cut projection read after warm-up (nothing new to catch up), and of a
 *   read plus the room-budget answer built from it;
 * - the catch-up of a read after 1,000 new events;
 * - peak RSS (sampled, and the kernel's maxRSS).
 *
 * Sizes: BENCH_PROJECTION_EVENTS=100000,1000000 (the default) or any list of positive integers.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProjectionRunner } from '../src/projections/create.js';
import { pettyCashProjection } from '../src/projections/petty-cash.js';
import { pledgesProjection } from '../src/projections/pledges.js';
import type { TimeCut } from '../src/projections/projection.js';
import { receivablesProjection } from '../src/projections/receivables.js';
import { registryProjection } from '../src/projections/registry.js';
import { roomsProjection } from '../src/projections/rooms.js';
import type { ProjectionRunner } from '../src/projections/runner.js';
import { roomBudgetView } from '../src/projections/views/budget.js';
import { SqliteEventStore } from '../src/store/sqlite.js';
import { SyntheticLedger, writeSyntheticLog } from './projections-log.js';

export interface BenchProjectionOptions {
  readonly sizes?: readonly number[];
  readonly readSamples?: number;
  readonly dir?: string;
  readonly log?: (line: string) => void;
}

export interface ReplayFigures {
  readonly events: number;
  readonly firstReplaySeconds: number;
  readonly cutReplaySeconds: number;
  readonly readP50Ms: number;
  readonly readP99Ms: number;
  readonly readAndBudgetP50Ms: number;
  readonly readAndBudgetP99Ms: number;
  readonly catchUp1000Ms: number;
  /** RSS of the child before it read anything: the runtime and modules (tsx included). */
  readonly startRssMb: number;
  readonly peakRssMb: number;
  readonly maxRssMb: number;
  readonly heapUsedMb: number;
}

const CHILD_FLAG = 'BENCH_PROJECTION_REPLAY_FILE';

export function projectionOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): BenchProjectionOptions {
  const raw = env.BENCH_PROJECTION_EVENTS?.trim();
  if (!raw) return {};
  const sizes = raw.split(',').map((part) => Number(part.replace(/_/g, '').trim()));
  if (sizes.some((size) => !Number.isInteger(size) || size <= 0)) {
    throw new Error(`BENCH_PROJECTION_EVENTS must be positive integers separated by commas, got ${JSON.stringify(raw)}`);
  }
  return { sizes };
}

export async function benchProjections(options: BenchProjectionOptions = {}): Promise<ReplayFigures[]> {
  const sizes = options.sizes ?? [100_000, 1_000_000];
  const log = options.log ?? ((line: string) => console.log(line));
  const results: ReplayFigures[] = [];
  log(`projection benchmark, Node ${process.version}: 300 rooms, 40 financiers, 15 years; replays in a fresh child process`);
  for (const size of sizes) {
    const dir = mkdtempSync(join(options.dir ?? tmpdir(), 'ledger-projections-'));
    try {
      const path = join(dir, 'ledger.db');
      const store = new SqliteEventStore(path);
      const started = process.hrtime.bigint();
      await writeSyntheticLog(store, size);
      await store.close();
      log(`  ${size.toLocaleString('en')} events written in ${seconds(started).toFixed(1)} s`);
      const figures = await replayInChild(path, options.readSamples ?? 2_000);
      results.push(figures);
      for (const line of renderFigures(figures)) log(line);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

function renderFigures(figures: ReplayFigures): string[] {
  const rate = (count: number, secs: number) => `${Math.round(count / secs).toLocaleString('en')} events/s`;
  return [
    `  ${figures.events.toLocaleString('en')} events:`,
    `    first full replay, 5 projections (validates every event): ${figures.firstReplaySeconds.toFixed(2)} s, ${rate(figures.events, figures.firstReplaySeconds)}`,
    `    "as of" replay, 5 projections (already validated):        ${figures.cutReplaySeconds.toFixed(2)} s, ${rate(figures.events, figures.cutReplaySeconds)}`,
    `    default read after warm-up:   p50 ${figures.readP50Ms.toFixed(3)} ms, p99 ${figures.readP99Ms.toFixed(3)} ms`,
    `    read + room-budget answer:    p50 ${figures.readAndBudgetP50Ms.toFixed(3)} ms, p99 ${figures.readAndBudgetP99Ms.toFixed(3)} ms`,
    `    catch-up after 1,000 new events: ${figures.catchUp1000Ms.toFixed(1)} ms`,
    `    RSS ${figures.startRssMb.toFixed(0)} MB before reading; peak RSS ${figures.peakRssMb.toFixed(0)} MB sampled, maxRSS ${figures.maxRssMb.toFixed(0)} MB, heap after GC ${figures.heapUsedMb.toFixed(0)} MB (live states and the cached "as of" states)`,
  ];
}

function replayInChild(path: string, readSamples: number): Promise<ReplayFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url)], {
      env: { ...process.env, [CHILD_FLAG]: path, BENCH_PROJECTION_READ_SAMPLES: String(readSamples) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`the replay child exited with ${code}`));
      const last = output.trim().split('\n').pop() ?? '';
      resolve(JSON.parse(last) as ReplayFigures);
    });
  });
}

const READ_SIDE = [registryProjection, pledgesProjection, receivablesProjection, roomsProjection, pettyCashProjection] as const;

function readAll(runner: ProjectionRunner, cut?: TimeCut): Promise<unknown[]> {
  return Promise.all(READ_SIDE.map((projection) => runner.read(projection as never, cut)));
}

function percentile(sorted: Float64Array, p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? 0;
}

async function latencies(samples: number, action: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let warmUp = 0; warmUp < Math.min(200, samples); warmUp += 1) await action();
  const timings = new Float64Array(samples);
  for (let index = 0; index < samples; index += 1) {
    const started = process.hrtime.bigint();
    await action();
    timings[index] = Number(process.hrtime.bigint() - started) / 1e6;
  }
  timings.sort();
  return { p50: percentile(timings, 0.5), p99: percentile(timings, 0.99) };
}

/** The child: opens the file, replays, measures, prints one JSON line. */
async function measureReplay(path: string, readSamples: number): Promise<ReplayFigures> {
  const startRssMb = process.memoryUsage().rss / 2 ** 20;
  let peakRss = process.memoryUsage().rss;
  // unref: a failed replay must not be kept alive by its own sampler.
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20).unref();
  const store = new SqliteEventStore(path);
  const events = Number((await store.lastPosition()) ?? 0);
  const runner = createProjectionRunner(store);

  let started = process.hrtime.bigint();
  await readAll(runner);
  const firstReplaySeconds = seconds(started);
  started = process.hrtime.bigint();
  await readAll(runner, { asOf: '2021-12-31' });
  const cutReplaySeconds = seconds(started);

  const read = await latencies(readSamples, () => runner.read(receivablesProjection));
  const readAndBudget = await latencies(readSamples, async () => {
    const [registry, pledges, rooms] = await Promise.all([runner.read(registryProjection), runner.read(pledgesProjection), runner.read(roomsProjection)]);
    return roomBudgetView({ registry, pledges, rooms }, 'kamer-042', 2020);
  });

  const more = new SyntheticLedger(undefined, 7).take(5_000).slice(4_000);
  await Promise.all(more.map(({ stream, event }) => store.append(stream, [{ type: event.type, data: event.data, metadata: { recordedBy: 'system:bench' } }], 'any')));
  started = process.hrtime.bigint();
  await readAll(runner);
  const catchUp1000Ms = seconds(started) * 1000;

  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  // What the states hold, without the garbage a collection would free.
  (globalThis as { gc?: () => void }).gc?.();
  const heapUsedMb = process.memoryUsage().heapUsed / 2 ** 20;
  await runner.close();
  await store.close();
  return {
    events,
    firstReplaySeconds,
    cutReplaySeconds,
    readP50Ms: read.p50,
    readP99Ms: read.p99,
    readAndBudgetP50Ms: readAndBudget.p50,
    readAndBudgetP99Ms: readAndBudget.p99,
    catchUp1000Ms,
    startRssMb,
    peakRssMb: peakRss / 2 ** 20,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    heapUsedMb,
  };
}

const childPath = process.env[CHILD_FLAG];
if (childPath !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) {
  measureReplay(childPath, Number(process.env.BENCH_PROJECTION_READ_SAMPLES ?? 2_000)).then(
    (figures) => process.stdout.write(`${JSON.stringify(figures)}\n`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
