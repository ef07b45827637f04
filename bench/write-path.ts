/**
 * The durable write path in one process, without sockets: the real app (`buildApp`, every hook,
 * the route, the command handler, the SQLite store with its group commit, WAL fsync and
 * checkpoints, the projections catching up) driven by `app.inject` at a fixed number of writes in
 * flight. It prints what stays comparable on a busy machine, where the HTTP bench's latencies do
 * not:
 *
 * - CPU per write (user + system of the whole process, fsync and checkpoint threads included);
 * - the event loop's delay (p50, p99, max, from perf_hooks): how long the one JavaScript thread
 *   was stopped at a stretch, by a checkpoint, a GC pause or a long synchronous step. Every write
 *   in flight waits for such a stop, so it is what the fixed-rate p99 is made of.
 *
 * Asserts nothing. Logging is off (the HTTP bench logs at info to a file).
 *
 *   npm run bench -- write-path                       # 20,000 writes, 50 in flight
 *   npm run bench -- write-path --writes 50000 --in-flight 10
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CommandHandler } from '../src/application/command-handler.js';
import { SignInLinks } from '../src/auth/sign-in-links.js';
import { TokenRegistry } from '../src/auth/tokens.js';
import { buildApp } from '../src/http/app.js';
import { createProjectionRunner } from '../src/projections/create.js';
import { SqliteEventStore } from '../src/store/sqlite.js';

export interface WritePathOptions {
  readonly writes: number;
  readonly inFlight: number;
}

/** `--writes N` (default 20,000) and `--in-flight N` (default 50). */
export function writePathOptions(argv: readonly string[]): WritePathOptions {
  const valueOf = (flag: string, fallback: number): number => {
    const index = argv.indexOf(flag);
    if (index < 0) return fallback;
    const value = Number(argv[index + 1]?.replace(/_/g, ''));
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} needs a positive whole number, got ${String(argv[index + 1])}`);
    return value;
  };
  return { writes: valueOf('--writes', 20_000), inFlight: valueOf('--in-flight', 50) };
}

const HOURS = { volunteer: 'v-017', date: '2020-03-02', hours: '2.50', kind: 'resident' };

export async function benchWritePath(options: WritePathOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-write-path-'));
  const store = new SqliteEventStore(join(dir, 'ledger.db'));
  const tokens = TokenRegistry.inMemory();
  const projections = createProjectionRunner(store);
  const unlimited = 1_000_000_000;
  const app = await buildApp(
    { store, tokens, commands: new CommandHandler(store), projections, clock: () => new Date(), signInLinks: SignInLinks.inMemory() },
    { logger: false, rateLimits: { perToken: unlimited, perAddress: unlimited, authFailuresPerAddress: unlimited } },
  );
  const { token } = tokens.create({ role: 'treasurer', name: 'bench' });
  const post = async (url: string, payload: object): Promise<void> => {
    const answer = await app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${token}` } });
    if (answer.statusCode !== 201) throw new Error(`${url}: ${answer.statusCode} ${answer.body}`);
  };
  const writeHours = async (count: number): Promise<void> => {
    let next = 0;
    const lane = async () => {
      while (next < count) {
        next += 1;
        await post('/kamers/top/volunteer-hours', HOURS);
      }
    };
    await Promise.all(Array.from({ length: options.inFlight }, lane));
  };
  try {
    await post('/kamers', { id: 'top', name: 'TOP' });
    await post('/valuation-rates', { year: 2020, kind: 'resident', perHour: '14.06' });
    await writeHours(2_000); // warm-up: JIT, SQLite's cache
    const delay = monitorEventLoopDelay({ resolution: 1 });
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    delay.enable();
    await writeHours(options.writes);
    delay.disable();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const ms = (nanoseconds: number) => `${(nanoseconds / 1e6).toFixed(1)} ms`;
    console.log(
      `${options.writes.toLocaleString('en')} writes, ${options.inFlight} in flight: CPU ${((cpu.user + cpu.system) / 1000 / options.writes).toFixed(3)} ms/write ` +
        `(user ${(cpu.user / 1000 / options.writes).toFixed(3)}, system ${(cpu.system / 1000 / options.writes).toFixed(3)}), ${Math.round(options.writes / seconds).toLocaleString('en')} writes/s; ` +
        `event-loop delay p50 ${ms(delay.percentile(50))} p99 ${ms(delay.percentile(99))} max ${ms(delay.max)}; ` +
        `WAL checkpoints in the worker: ${store.checkpointer?.completed ?? 0}`,
    );
  } finally {
    await app.close();
    await projections.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
