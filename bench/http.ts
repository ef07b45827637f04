/**
 * HTTP benchmark: the real service, as `npm start` runs it (`node dist/main.js`, compiled from
 * `src/` first by tools/build-dist.mjs; `--tsx`: the sources through tsx's loader instead), default
 * settings, logs at info to a file, runs as a child process over a temporary DATA_DIR, and this
 * process drives it over loopback:
 *
 * 1. writes (POST /kamers/:kamer/volunteer-hours, durable, group-committed) at 50 connections;
 * 2. the same writes at a fixed 1,000 requests a second, open loop (see `openLoop`);
 * 3. GET /financiers/:id/position and GET /kamers/:id/budget/:year at 50 connections, on a store
 *    of `--events N` synthetic events (default 100,000), built first with bench/projections-log.ts,
 *    or on a copy of an existing ledger (`--file`);
 * 4. the same two reads mixed with writes: reads at 50 connections while volunteer-hour writes
 *    (to another room) run open loop at a fixed `--mixed-rate` a second (default 100). Every write
 *    moves the log's position, so this is what a read costs when the books are being kept.
 *
 * Prints requests a second, p50/p99/p99.9 latency, the number of non-2xx answers and the service's
 * CPU time per request (the figure that stays comparable on a busy machine). Asserts nothing. Both
 * processes share this machine's cores, as a client on the same host would; `--pin` gives each a
 * core of its own (taskset; the line saying how it ran is printed first).
 *
 *   npm run bench -- http                      # 100k-event store for the reads
 *   npm run bench -- http --events 1000000     # the 1M store (building it takes minutes)
 *   npm run bench -- http --profile            # the service writes a .cpuprofile (tools/cpuprofile-share.mjs sums one function's share)
 *   npm run bench -- http --only writes --default-limits   # what a bulk load meets with the default rate limits
 *   npm run bench -- http --only reads --file /work/bench-data/log-1m.db   # reads on a copy of a 1M store
 *   npm run bench -- http --only reads --no-mixed --file /work/bench-data/q-1m.db   # the two reads alone (issue 13's goal)
 *   npm run bench -- http --only reads --no-mixed --file /work/bench-data/q-1m.db --pin --trace-gc   # one core each (taskset); GC pauses per phase
 *   npm run bench -- http --only reads --no-mixed --floor --file /work/bench-data/q-1m-ckpt.db   # and a bare fastify serving the same bytes, for comparison
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest, Agent, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { TokenRegistry } from '../src/auth/tokens.js';
import { SqliteEventStore } from '../src/store/sqlite.js';
import { copyLedgerFile } from './ledger-file.js';
import { writeSyntheticLog } from './projections-log.js';

export interface BenchHttpOptions {
  /** Events in the store the reads run on. Default 100,000. */
  readonly events: number;
  /** Seconds each measured phase lasts. Default 10. */
  readonly seconds: number;
  readonly connections: number;
  /** Requests a second of the open-loop phase. Default 1,000. */
  readonly fixedRate: number;
  /** Where the service writes a CPU profile per run (node --cpu-prof); none when undefined. */
  readonly profileDir?: string;
  /** `--default-limits`: keep the service's default rate limits (else the per-token one is lifted). */
  readonly defaultLimits?: boolean;
  /** `--only writes` or `--only reads`: one half of the bench. */
  readonly only?: 'writes' | 'reads';
  /**
   * `--file`: run the reads on a copy of this ledger (made in the run's temporary folder, so the
   * file itself is never changed) instead of building a synthetic store. A copy that already holds
   * a projection checkpoint starts in seconds.
   */
  readonly file?: string;
  /** Writes a second during the mixed phase. Default 100. */
  readonly mixedRate: number;
  /** `--no-mixed`: only the two reads alone, not mixed with writes. */
  readonly noMixed?: boolean;
  /** `--tsx`: run `src/main.ts` through tsx's loader (as before `npm start` ran compiled JavaScript). */
  readonly tsx?: boolean;
  /**
   * `--pin`: the service on CPU 0 and this process (autocannon) on CPU 1 (`taskset`), so the two
   * stop taking turns on one core. Same load, same routes: only where each process runs.
   */
  readonly pin?: boolean;
  /** `--service-flags "--max-semi-space-size=32"`: extra Node flags for the service process. */
  readonly serviceFlags?: readonly string[];
  /** `--trace-gc`: the service runs with --trace-gc; each phase prints its collections and their pauses. */
  readonly traceGc?: boolean;
  /**
   * `--floor`: after the service's read phases, each read's answer (its bytes and headers, fetched
   * from the service) is served by a bare fastify in a child process (bench/floor-server.ts) and
   * driven with the same load: what this machine allows a read, printed under the service's figures.
   */
  readonly floor?: boolean;
  readonly log?: (line: string) => void;
}

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
/** `--pin`: the CPUs of the service and of the load generator. */
const SERVICE_CPU = '0';
const LOAD_CPU = '1';

/** `--events N`, `--seconds N`, `--connections N`, `--rate N`, `--mixed-rate N`, `--no-mixed`, `--only writes|reads`, `--file ledger.db`, `--default-limits`, `--tsx`, `--pin`, `--service-flags "…"`, `--trace-gc`, `--floor`, `--profile [dir]`. */
export function httpOptionsFromArgs(argv: readonly string[]): BenchHttpOptions {
  const valueOf = (flag: string): number | undefined => {
    const index = argv.indexOf(flag);
    if (index < 0) return undefined;
    const value = Number(argv[index + 1]?.replace(/_/g, ''));
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} needs a positive whole number, got ${String(argv[index + 1])}`);
    return value;
  };
  const profileIndex = argv.indexOf('--profile');
  const profileArgument = argv[profileIndex + 1];
  return {
    events: valueOf('--events') ?? 100_000,
    seconds: valueOf('--seconds') ?? 10,
    connections: valueOf('--connections') ?? 50,
    fixedRate: valueOf('--rate') ?? 1_000,
    mixedRate: valueOf('--mixed-rate') ?? 100,
    ...(argv.includes('--file') ? { file: argv[argv.indexOf('--file') + 1] ?? '' } : {}),
    defaultLimits: argv.includes('--default-limits'),
    noMixed: argv.includes('--no-mixed'),
    tsx: argv.includes('--tsx'),
    pin: argv.includes('--pin'),
    traceGc: argv.includes('--trace-gc'),
    floor: argv.includes('--floor'),
    ...(argv.includes('--service-flags') ? { serviceFlags: (argv[argv.indexOf('--service-flags') + 1] ?? '').split(' ').filter((flag) => flag !== '') } : {}),
    ...(argv.includes('--only') ? { only: argv[argv.indexOf('--only') + 1] === 'reads' ? 'reads' : 'writes' } : {}),
    ...(profileIndex < 0 ? {} : { profileDir: profileArgument !== undefined && !profileArgument.startsWith('--') ? profileArgument : join(tmpdir(), 'ledger-http-profiles') }),
  };
}

interface Figures {
  readonly name: string;
  readonly requests: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly non2xx: number;
  readonly errors: number;
  /**
   * CPU time the service spent per answered request (user + system, from /proc): unlike req/s it
   * hardly depends on what else this shared machine is running, so it compares runs fairly.
   */
  readonly cpuMsPerRequest: number;
  /**
   * CPU time this process (the load generator, autocannon) spent per request. It shares the
   * machine's cores with the service: when the two together need more than the cores have, the
   * latency is the load generator's as much as the service's.
   */
  readonly clientCpuMsPerRequest?: number;
  /** Lines printed under the figures (see `phaseNotes`). */
  readonly notes?: readonly string[];
}

export async function benchHttp(options: BenchHttpOptions): Promise<Figures[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const root = mkdtempSync(join(tmpdir(), 'ledger-bench-http-'));
  const figures: Figures[] = [];
  const report = (result: Figures) => {
    figures.push(result);
    log(
      `${result.name.padEnd(44)} ${Math.round(result.perSecond).toLocaleString('en').padStart(7)} req/s  ` +
        `p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  p99.9 ${result.p999.toFixed(2)} ms  ` +
        `non-2xx ${result.non2xx}  errors ${result.errors}  ${Number.isNaN(result.cpuMsPerRequest) ? 'service CPU in the line above' : `service CPU ${result.cpuMsPerRequest.toFixed(3)} ms/req`}` +
        `${result.clientCpuMsPerRequest === undefined ? '' : `  load generator CPU ${result.clientCpuMsPerRequest.toFixed(3)} ms/req`}  (${result.requests.toLocaleString('en')} requests)`,
    );
    for (const note of result.notes ?? []) log(`    ${note}`);
  };
  if (!options.tsx) execFileSync(process.execPath, [join(REPO_ROOT, 'tools', 'build-dist.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
  log(
    `HTTP benchmark, Node ${process.version}: the service (${options.tsx ? 'src/main.ts through tsx' : 'dist/main.js, as npm start runs it'}) in a child process, ` +
      `${options.connections} connections, ${options.seconds} s a phase; logs at info go to a file`,
  );
  if (options.profileDir !== undefined) log(`CPU profiles of the service go to ${options.profileDir}`);
  if (options.pin) {
    // -a: every thread of this process (autocannon runs on its main thread).
    execFileSync('taskset', ['-a', '-p', '-c', LOAD_CPU, String(process.pid)], { stdio: 'ignore' });
    log(`pinned (--pin): the service on CPU ${SERVICE_CPU} (taskset -c ${SERVICE_CPU}), this process and autocannon on CPU ${LOAD_CPU}`);
  } else log('not pinned: the service and autocannon share both cores as the scheduler places them (--pin: one core each)');
  if ((options.serviceFlags ?? []).length > 0 || options.traceGc) log(`the service's extra Node flags: ${[...(options.serviceFlags ?? []), ...(options.traceGc ? ['--trace-gc'] : [])].join(' ')}`);
  try {
    if (options.only !== 'reads') await benchWrites(join(root, 'writes'), options, report);
    if (options.only !== 'writes') await benchReads(join(root, 'reads'), options, report, log);
  } finally {
    agent.destroy();
    if (process.env.BENCH_KEEP === '1') log(`kept the run's folder (BENCH_KEEP=1): ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
  return figures;
}

/** Writes: a fresh ledger with one room. */
async function benchWrites(dataDir: string, options: BenchHttpOptions, report: (figures: Figures) => void): Promise<void> {
  const writes = await startService(dataDir, 'writes', options);
  try {
    await send(writes, 'POST', '/kamers', { id: 'top', name: 'TOP' });
    await send(writes, 'POST', '/valuation-rates', { year: 2020, kind: 'resident', perHour: '14.06' });
    const hours = { method: 'POST' as const, path: '/kamers/top/volunteer-hours', body: { volunteer: 'v-017', date: '2020-03-02', hours: '2.50', kind: 'resident' } };
    await closedLoop(writes, hours, { connections: 10, seconds: 2 }); // warm-up: JIT, SQLite cache
    report({ name: `writes, ${options.connections} connections`, ...(await measured(writes, () => closedLoop(writes, hours, options))) });
    report({ name: `writes, fixed ${options.fixedRate.toLocaleString('en')} req/s (from intended send)`, ...(await measured(writes, () => openLoop(writes, hours, options))) });
  } finally {
    await writes.stop();
  }
}

/** The two reads, on a store of `options.events` synthetic events (or a copy of `--file`), alone and mixed with writes. */
async function benchReads(readDir: string, options: BenchHttpOptions, report: (figures: Figures) => void, log: (line: string) => void): Promise<void> {
  const started = process.hrtime.bigint();
  const storeName = await prepareReadStore(readDir, options, log);
  log(`${options.file === undefined ? 'built' : 'copied'} a store of ${storeName} in ${seconds(started).toFixed(1)} s`);
  const startedService = process.hrtime.bigint();
  const reads = await startService(readDir, 'reads', options);
  try {
    const position = { method: 'GET' as const, path: '/financiers/financier-01/position' };
    const budget = { method: 'GET' as const, path: '/kamers/kamer-042/budget/2020' };
    const first = await send(reads, 'GET', budget.path);
    log(`service start → first room-budget answer (${first.status}): ${seconds(startedService).toFixed(2)} s, ${first.body.length.toLocaleString('en')} bytes`);
    // The start anchor folds every event's hash once the service listens (seconds of CPU on a
    // large store, in slices between requests): a one-time cost of the start, not of a read.
    const anchored = await startAnchorWritten(join(readDir, 'service.log'));
    log(anchored ? `start anchor written ${seconds(startedService).toFixed(2)} s after the start; the reads are measured after it` : 'no start anchor in the service log within 120 s; measuring anyway');
    const positionBytes = (await send(reads, 'GET', position.path)).body.length;
    const positionName = `GET financier position (${(positionBytes / 1024).toFixed(0)} KB), ${storeName}`;
    const budgetName = `GET room budget, ${storeName}`;
    await closedLoop(reads, position, { connections: 10, seconds: 2 });
    report({ name: positionName, ...(await measured(reads, () => closedLoop(reads, position, options))) });
    await closedLoop(reads, budget, { connections: 10, seconds: 2 });
    report({ name: budgetName, ...(await measured(reads, () => closedLoop(reads, budget, options))) });
    if (!options.noMixed) for (const [name, target] of [[positionName, position], [budgetName, budget]] as const) await mixedPhase(reads, name, target, options, report);
    if (options.floor) for (const [name, target] of [[positionName, position], [budgetName, budget]] as const) await floorPhase(reads, name, target, options, report);
  } finally {
    await reads.stop();
  }
}

/**
 * Writes to another room (kamer-007) at a fixed rate, open loop, from a process of their own
 * (`OpenLoopProcess`), while the read runs closed loop at `options.connections`. Each write moves the log's position, so the read meets a new position
 * about every 1/rate seconds. Reports the read's figures (its CPU a request is the service's CPU
 * over reads and writes together, divided by the reads: what a read costs while writes go on) and
 * the writes' own latency.
 */
async function mixedPhase(service: Service, readName: string, read: Target, options: BenchHttpOptions, report: (figures: Figures) => void): Promise<void> {
  const write = { method: 'POST' as const, path: '/kamers/kamer-007/volunteer-hours', body: { volunteer: 'v-017', date: '2020-03-02', hours: '2.50', kind: 'resident' } };
  const before = service.cpuMs();
  const logFrom = logSize(service);
  const writer = await OpenLoopProcess.start(service, write, { fixedRate: options.mixedRate, seconds: options.seconds });
  const [reads, writes] = await Promise.all([closedLoop(service, read, options), writer.run()]);
  const cpuMs = service.cpuMs() - before;
  report({ name: `${readName}, with ${options.mixedRate} writes/s`, ...reads, cpuMsPerRequest: cpuMs / reads.requests });
  report({ name: '  … the writes meanwhile (own process, from intended send)', ...writes, cpuMsPerRequest: Number.NaN /* shared with the reads: counted in their line */, ...(await phaseNotes(service, logFrom)) });
}

/** Headers Node writes itself on every answer (or per connection): the floor's server adds its own. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/**
 * `--floor`: the read's answer, as the service sent it (body and headers, less those Node adds
 * itself), served by a bare fastify in a child process (bench/floor-server.ts) under the same
 * closed-loop load, with its CPU per request measured the same way. The service's figures above
 * minus these is what the service's own work costs a read here.
 */
async function floorPhase(service: Service, readName: string, read: Target, options: BenchHttpOptions, report: (figures: Figures) => void): Promise<void> {
  const answer = await send(service, 'GET', read.path);
  const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name, value]) => !TRANSPORT_HEADERS.has(name) && typeof value === 'string')) as Record<string, string>;
  const floor = await FloorProcess.start(service, { body: answer.bytes.toString('base64'), headers }, options);
  try {
    const target = { method: 'GET' as const, path: '/floor' };
    await closedLoop(floor, target, { connections: 10, seconds: 2 }); // warm-up, as for the service
    const name = `floor of ${readName}: a bare fastify sending the same ${answer.bytes.length.toLocaleString('en')} bytes and ${Object.keys(headers).length} headers`;
    report({ name, ...(await measured(floor, () => closedLoop(floor, target, options))) });
  } finally {
    await floor.stop();
  }
}

/** bench/floor-server.ts in a child process, as a `Service` (its port, its CPU; no token needed, the bearer header is sent anyway). */
const FloorProcess = {
  async start(service: Service, answer: { body: string; headers: Record<string, string> }, options: BenchHttpOptions): Promise<Service> {
    const logPath = `${service.logPath}.floor`;
    const node = ['--import', 'tsx', join(REPO_ROOT, 'bench', 'floor-server.ts')];
    const [command, args] = options.pin ? ['taskset', ['-c', SERVICE_CPU, process.execPath, ...node]] : [process.execPath, node];
    const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, BENCH_FLOOR: JSON.stringify(answer) }, stdio: ['ignore', 'pipe', openSync(logPath, 'a')] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const port = await new Promise<number>((resolve, reject) => {
      let text = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(Number(text.trim()));
      });
      child.once('exit', (code) => reject(new Error(`the floor server exited (${String(code)}) before listening; see ${logPath}`)));
    });
    return { port, token: service.token, logPath, cpuMs: () => processCpuMs(child.pid), stop: () => stopChild(child, exited) };
  },
};

/** Waits (at most 120 s) for the service's log to have its start anchor line; false when it never came. */
async function startAnchorWritten(logFile: string): Promise<boolean> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (readFileSync(logFile, 'utf8').includes('"reason":"start"')) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Builds the synthetic store, or copies `--file` (and its WAL) into `dataDir`; returns how to name it. */
async function prepareReadStore(dataDir: string, options: BenchHttpOptions, log: (line: string) => void): Promise<string> {
  if (options.file === undefined) {
    await buildLargeStore(dataDir, options.events, log);
    return `${options.events.toLocaleString('en')} events`;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  copyLedgerFile(options.file, join(dataDir, 'ledger.db'));
  return basename(options.file);
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

interface Service {
  readonly port: number;
  readonly token: string;
  /** The service's stdout and stderr: its request lines (and --trace-gc's lines). */
  readonly logPath: string;
  /** CPU milliseconds the service process has used so far (NaN where /proc is missing). */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** utime + stime of a process (or of one thread: `<pid>/task/<tid>`), fields 14 and 15 of /proc/<pid>/stat, in clock ticks (1/100 s). */
export function processCpuMs(pid: number | string | undefined): number {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Runs one measured load and adds the service's and this process's CPU time per request to its figures. */
async function measured(service: Service, load: () => Promise<Omit<Figures, 'name' | 'cpuMsPerRequest'>>): Promise<Omit<Figures, 'name'>> {
  const before = service.cpuMs();
  const logFrom = logSize(service);
  const clientBefore = process.cpuUsage();
  const figures = await load();
  const client = process.cpuUsage(clientBefore);
  const cpuMs = service.cpuMs() - before;
  return { ...figures, cpuMsPerRequest: cpuMs / figures.requests, clientCpuMsPerRequest: (client.user + client.system) / 1000 / figures.requests, ...(await phaseNotes(service, logFrom)) };
}

function logSize(service: Service): number {
  return statSync(service.logPath).size;
}

/**
 * What the service's log says about a phase (from byte `from` on): its garbage collections, when
 * it runs with --trace-gc, and the time the service itself took for the writes (their request
 * lines' responseTime, from the request's arrival in fastify to its answer), beside the latency the
 * load generator saw, which also holds the time a request waited in the socket and in this process.
 */
async function phaseNotes(service: Service, from: number): Promise<{ notes?: string[] }> {
  await new Promise((resolve) => setTimeout(resolve, 100)); // request lines are written in batches every 10 ms
  const text = readFileSync(service.logPath).subarray(from).toString('utf8');
  const notes: string[] = [];
  const pauses = new Map<string, number[]>();
  for (const match of text.matchAll(/ ms: (Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Compact|Minor Mark-Sweep)\b[^,]*, ([\d.]+) \/ ([\d.]+) ms/g)) {
    const kind = match[1] ?? '';
    pauses.set(kind, [...(pauses.get(kind) ?? []), Number(match[2])]);
  }
  // The heap each major collection left: growing from one to the next under a steady read load is a leak.
  const heapAfterMajor = [...text.matchAll(/ ms: Mark-Compact [\d.]+ \([\d.]+\) -> ([\d.]+) \(/g)].map((match) => match[1]);
  if (heapAfterMajor.length > 0) notes.push(`heap after each major GC: ${heapAfterMajor.join(', ')} MB`);
  for (const [kind, ms] of pauses) {
    const sorted = [...ms].sort((a, b) => a - b);
    notes.push(`${kind}: ${ms.length} (${sorted.reduce((sum, pause) => sum + pause, 0).toFixed(0)} ms in all, median ${percentile(sorted, 0.5).toFixed(2)} ms, max ${(sorted.at(-1) ?? 0).toFixed(2)} ms)`);
  }
  const writeTimes: number[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{"level":30') || !line.includes('"method":"POST"')) continue;
    const responseTime = (JSON.parse(line) as { responseTime?: number }).responseTime;
    if (responseTime !== undefined) writeTimes.push(responseTime);
  }
  if (writeTimes.length > 0) {
    writeTimes.sort((a, b) => a - b);
    notes.push(`the writes inside the service (responseTime): p50 ${percentile(writeTimes, 0.5).toFixed(2)} ms, p99 ${percentile(writeTimes, 0.99).toFixed(2)} ms, max ${(writeTimes.at(-1) ?? 0).toFixed(2)} ms`);
  }
  return notes.length === 0 ? {} : { notes };
}

/** The value at `fraction` of sorted values (NaN for none). */
function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

interface Target {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * `node dist/main.js` (or `node --import tsx src/main.ts`) with the service's default settings, except the per-token rate
 * limit: one token may send more than a minute's default budget here, and the bench measures the
 * service, not the limiter (which still runs on every request). `--default-limits` keeps it, to
 * show what a bulk load meets with the defaults.
 */
async function startService(dataDir: string, name: string, options: BenchHttpOptions): Promise<Service> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const tokensFile = join(dataDir, 'tokens.json');
  const token = TokenRegistry.open(tokensFile).create({ role: 'treasurer', name: 'bench' }).token;
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, SQLITE_PATH: join(dataDir, 'ledger.db'), HOST: '127.0.0.1', PORT: String(port) };
  if (options.defaultLimits) delete env.RATE_LIMIT_PER_MINUTE;
  else env.RATE_LIMIT_PER_MINUTE = '100000000';
  delete env.NODE_OPTIONS;
  // One folder per run: node names each thread's profile (tsx's loader runs in a thread of its own).
  const profile = options.profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', join(options.profileDir, `${name}-${Date.now()}`)];
  const logPath = join(dataDir, 'service.log');
  const logFile = openSync(logPath, 'a');
  const main = options.tsx ? ['--import', 'tsx', 'src/main.ts'] : ['dist/main.js'];
  const node = [...(options.serviceFlags ?? []), ...(options.traceGc ? ['--trace-gc'] : []), ...profile, ...main];
  const [command, args] = options.pin ? ['taskset', ['-c', SERVICE_CPU, process.execPath, ...node]] : [process.execPath, node];
  const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', logFile, logFile] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const service: Service = { port, token, logPath, cpuMs: () => processCpuMs(child.pid), stop: () => stopChild(child, exited) };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}) before answering; see ${join(dataDir, 'service.log')}`);
    const health = await send(service, 'GET', '/health').catch(() => undefined);
    if (health?.status === 200) return service;
    if (Date.now() > deadline) {
      await service.stop();
      throw new Error('the service did not answer /health within 120 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGTERM, as an operator stops it: the service finishes, writes its last anchor (and a profile). */
async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** One request; resolves with status and body (never rejects on a status). */
function send(service: Service, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: string; bytes: Buffer; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port: service.port,
        method,
        path,
        agent,
        headers: { authorization: `Bearer ${service.token}`, ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({ status: response.statusCode ?? 0, body: bytes.toString(), bytes, headers: response.headers });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** autocannon at a number of connections, each sending its next request when the last is answered. */
async function closedLoop(service: Service, target: Target, load: { connections: number; seconds: number }): Promise<Omit<Figures, 'name' | 'cpuMsPerRequest'>> {
  const result = await autocannon({
    url: `http://127.0.0.1:${service.port}${target.path}`,
    method: target.method,
    connections: load.connections,
    duration: load.seconds,
    headers: { authorization: `Bearer ${service.token}`, ...(target.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(target.body === undefined ? {} : { body: JSON.stringify(target.body) }),
  });
  return {
    requests: result.requests.total,
    perSecond: result.requests.total / load.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    p999: result.latency.p99_9,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/**
 * Requests sent at fixed times (request i at start + i / rate), whatever the service does, and
 * each latency measured from that intended time to the end of the answer. A closed-loop tool at a
 * "fixed rate" (autocannon's overallRate, wrk) waits for a connection to be free before sending,
 * so a stall delays the sends that should have happened meanwhile and their waiting is never
 * counted (coordinated omission); here a stall shows up in every request scheduled during it.
 */
async function openLoop(service: Service, target: Target, load: { fixedRate: number; seconds: number }): Promise<Omit<Figures, 'name' | 'cpuMsPerRequest'>> {
  const total = load.fixedRate * load.seconds;
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const inFlight: Array<Promise<void>> = [];
  const start = performance.now();
  let next = 0;
  while (next < total) {
    const now = performance.now();
    // Every send whose time has come goes now, even if the timer fired late.
    while (next < total && start + (next * 1000) / load.fixedRate <= now) {
      const intended = start + (next * 1000) / load.fixedRate;
      inFlight.push(
        send(service, target.method, target.path, target.body).then(
          (response) => {
            latencies.push(performance.now() - intended);
            if (response.status < 200 || response.status > 299) non2xx += 1;
          },
          () => {
            errors += 1;
          },
        ),
      );
      next += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { requests: total, perSecond: latencies.length / elapsed, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), p999: percentile(latencies, 0.999), non2xx, errors };
}

type OpenLoopFigures = Omit<Figures, 'name' | 'cpuMsPerRequest'>;
interface OpenLoopJob {
  readonly port: number;
  readonly token: string;
  readonly target: Target;
  readonly load: { fixedRate: number; seconds: number };
}

/**
 * `openLoop` in a child process (bench/open-loop-child.ts). Run in this process beside
 * autocannon's connections, the writes' answers waited behind autocannon's on this event loop and
 * their timers fired late: their p99 was 240 ms while the service's own time for them (its request
 * lines' responseTime) had a p99 of 30 ms. In a process of its own the latency is the service's
 * and the loopback's. With `--pin` it shares the load generator's CPU (it inherits the affinity).
 */
class OpenLoopProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly output: Promise<string>,
  ) {}

  /** Started and ready (modules loaded): `run` then sends from the first request on time. */
  static async start(service: Service, target: Target, load: OpenLoopJob['load']): Promise<OpenLoopProcess> {
    const job: OpenLoopJob = { port: service.port, token: service.token, target, load };
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', 'open-loop-child.ts')], {
      cwd: REPO_ROOT,
      env: { ...process.env, BENCH_OPEN_LOOP: JSON.stringify(job) },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let text = '';
    let onReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    const output = new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.startsWith('ready\n')) onReady();
      });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve(text.slice('ready\n'.length)) : reject(new Error(`the open-loop writer exited with ${String(code)}`))));
    });
    await Promise.race([ready, output]);
    return new OpenLoopProcess(child, output);
  }

  async run(): Promise<OpenLoopFigures> {
    this.child.stdin?.end('go\n');
    return JSON.parse(await this.output) as OpenLoopFigures;
  }
}

/** The child's side (bench/open-loop-child.ts): the job from BENCH_OPEN_LOOP, `ready`, then on a line from stdin the figures as JSON. */
export async function openLoopChild(): Promise<void> {
  const job = JSON.parse(process.env.BENCH_OPEN_LOOP ?? '') as OpenLoopJob;
  const service: Service = { port: job.port, token: job.token, logPath: '', cpuMs: () => Number.NaN, stop: async () => undefined };
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const figures = await openLoop(service, job.target, job.load);
  agent.destroy();
  process.stdout.write(JSON.stringify(figures));
}

async function buildLargeStore(dataDir: string, events: number, log: (line: string) => void): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const store = new SqliteEventStore(join(dataDir, 'ledger.db'));
  try {
    let reported = 0;
    await writeSyntheticLog(store, events, (written) => {
      if (written - reported >= 200_000) {
        reported = written;
        log(`  … ${written.toLocaleString('en')} events written`);
      }
    });
  } finally {
    await store.close();
  }
}
