/**
 * Event-store benchmark: appends to a fresh SQLite file (WAL, synchronous=NORMAL plus the store's own
 * fsync of the WAL before each acknowledgement, exactly as the service opens it) one event per append and in batches, with exact expected revisions across
 * ~100 streams and realistic ~300-byte payloads, then reads the whole log back with readAll.
 *
 * Sizes come from the options, or from BENCH_EVENTS via `storeOptionsFromEnv`:
 *   BENCH_EVENTS=2000          both phases append 2,000 events
 *   BENCH_EVENTS=5000,100000   one-by-one phase 5,000, batched phase 100,000 (the defaults)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../src/store/sqlite.js';
import type { NewEvent } from '../src/store/port.js';

export interface BenchStoreOptions {
  /** Events appended one per `append` call. Default 5,000. */
  readonly oneByOneEvents?: number;
  /** Events appended `batchSize` per `append` call. Default 100,000. */
  readonly batchedEvents?: number;
  /** Events per append in the batched phase. Default 100. */
  readonly batchSize?: number;
  /** Number of streams appended to, round-robin. Default 100. */
  readonly streams?: number;
  /** Parent directory of the temporary database directory. Default os.tmpdir(). */
  readonly dir?: string;
  /** Where the report goes. Default console.log. */
  readonly log?: (line: string) => void;
}

export interface PhaseResult {
  readonly name: string;
  readonly events: number;
  readonly appends: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly appendsPerSecond: number | null;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
}

export interface BenchStoreResult {
  readonly sqliteVersion: string;
  readonly journalMode: string;
  readonly synchronous: string;
  readonly averagePayloadBytes: number;
  readonly phases: readonly PhaseResult[];
}

const SYNCHRONOUS_NAMES = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

export function storeOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): BenchStoreOptions {
  const raw = env.BENCH_EVENTS?.trim();
  if (!raw) return {};
  const parts = raw.split(',').map((part) => Number(part.replace(/_/g, '').trim()));
  if (parts.length > 2 || parts.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new Error(`BENCH_EVENTS must be N or ONE_BY_ONE,BATCHED (positive integers), got ${JSON.stringify(raw)}`);
  }
  return { oneByOneEvents: parts[0]!, batchedEvents: parts[1] ?? parts[0]! };
}

export async function benchStore(options: BenchStoreOptions = {}): Promise<BenchStoreResult> {
  const oneByOneEvents = options.oneByOneEvents ?? 5_000;
  const batchedEvents = options.batchedEvents ?? 100_000;
  const batchSize = options.batchSize ?? 100;
  const streamCount = options.streams ?? 100;
  const log = options.log ?? ((line: string) => console.log(line));

  const dir = mkdtempSync(join(options.dir ?? tmpdir(), 'ledger-bench-'));
  const path = join(dir, 'bench.db');
  const store = new SqliteEventStore(path);
  try {
    const sqliteVersion = store.db.prepare<[], { v: string }>('SELECT sqlite_version() AS v').get()!.v;
    const journalMode = String(store.db.pragma('journal_mode', { simple: true }));
    const synchronousValue = Number(store.db.pragma('synchronous', { simple: true }));
    const synchronous = SYNCHRONOUS_NAMES[synchronousValue] ?? String(synchronousValue);

    const streams = Array.from({ length: streamCount }, (_, i) => `member-${String(i).padStart(4, '0')}`);
    const heads = new Map<string, number>();
    const payloads = new PayloadFactory();

    /**
     * `inFlight` writers append concurrently, each to its own streams (so expected revisions never
     * clash), the way a busy service does; with 1 it is a single caller awaiting every append.
     */
    const appendPhase = async (name: string, totalEvents: number, perAppend: number, inFlight = 1): Promise<PhaseResult> => {
      const appendCount = Math.ceil(totalEvents / perAppend);
      const latencies = new Float64Array(appendCount);
      let written = 0;
      let nextAppend = 0;
      const writer = async (writerIndex: number): Promise<void> => {
        const own = streams.filter((_, index) => index % inFlight === writerIndex);
        for (let turn = 0; ; turn += 1) {
          const i = nextAppend;
          if (i >= appendCount) return;
          nextAppend += 1;
          const stream = own[turn % own.length]!;
          const size = Math.min(perAppend, totalEvents - i * perAppend);
          const events = Array.from({ length: size }, () => payloads.next(stream));
          const head = heads.get(stream);
          const before = process.hrtime.bigint();
          const result = await store.append(stream, events, head === undefined ? 'no-stream' : head);
          latencies[i] = Number(process.hrtime.bigint() - before) / 1e6;
          heads.set(stream, result.nextExpectedRevision);
          written += size;
        }
      };
      const started = process.hrtime.bigint();
      await Promise.all(Array.from({ length: inFlight }, (_, index) => writer(index)));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      latencies.sort();
      return {
        name,
        events: written,
        appends: appendCount,
        seconds,
        eventsPerSecond: written / seconds,
        appendsPerSecond: appendCount / seconds,
        p50Ms: percentile(latencies, 0.5),
        p99Ms: percentile(latencies, 0.99),
        maxMs: latencies[latencies.length - 1] ?? 0,
      };
    };

    log(`store benchmark: ${path}`);
    log(
      `  SQLite ${sqliteVersion}, journal_mode=${journalMode}, synchronous=${synchronous}, ` +
        `${streamCount} streams, ~${payloads.averageSampleBytes()} B payload (data JSON), Node ${process.version}`,
    );
    const phases: PhaseResult[] = [];
    phases.push(await appendPhase('one event per append', oneByOneEvents, 1));
    phases.push(await appendPhase('one event per append, 50 writers', oneByOneEvents * 4, 1, 50));
    phases.push(await appendPhase(`batched (${batchSize} per append)`, batchedEvents, batchSize));

    let read = 0;
    const readStarted = process.hrtime.bigint();
    for await (const event of store.readAll()) {
      if (event.position !== '') read += 1;
    }
    const readSeconds = Number(process.hrtime.bigint() - readStarted) / 1e9;
    phases.push({
      name: 'readAll (whole log)',
      events: read,
      appends: 0,
      seconds: readSeconds,
      eventsPerSecond: read / readSeconds,
      appendsPerSecond: null,
      p50Ms: null,
      p99Ms: null,
      maxMs: null,
    });

    log('');
    for (const line of renderTable(phases)) log(line);
    log('');
    log(
      '  one writer waits for each fsync; concurrent writers share one commit (group commit), ' +
        `which is where the durable-appends/s figure of a busy service comes from (synchronous=${synchronous}, WAL fsynced before each answer).`,
    );
    return { sqliteVersion, journalMode, synchronous, averagePayloadBytes: payloads.averageSampleBytes(), phases };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Nearest-rank percentile over an ascending array. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1]!;
}

const DESCRIPTIONS = [
  'Bijdrage werkplaats maart',
  'Huur gedeelde werkruimte',
  'Correctie dubbele boeking',
  'Ledenbijdrage kwartaal',
  'Materiaalkosten houtbewerking',
];

/** Builds ~300-byte JSON payloads with decimal money strings, as the ledger's domain events carry. */
class PayloadFactory {
  private sequence = 0;
  private sampleBytes = 0;
  private samples = 0;

  next(stream: string): NewEvent {
    const n = (this.sequence += 1);
    const cents = 1_000 + ((n * 7_919) % 250_000);
    const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    const vatCents = Math.round(cents * 0.21);
    const vat = `${Math.floor(vatCents / 100)}.${String(vatCents % 100).padStart(2, '0')}`;
    const totalCents = cents + vatCents;
    const total = `${Math.floor(totalCents / 100)}.${String(totalCents % 100).padStart(2, '0')}`;
    const data = {
      memberId: stream,
      invoiceId: `INV-2024-${String(n).padStart(6, '0')}`,
      description: DESCRIPTIONS[n % DESCRIPTIONS.length]!,
      amount,
      vatRate: '0.21',
      vat,
      total,
      currency: 'EUR',
      period: `2024-${String((n % 12) + 1).padStart(2, '0')}`,
      dueDate: `2024-${String((n % 12) + 1).padStart(2, '0')}-28`,
      account: '8000-omzet-werkplaats',
      costCentre: 'CC-042',
    };
    if (n % 1_000 === 1) {
      this.sampleBytes += Buffer.byteLength(JSON.stringify(data));
      this.samples += 1;
    }
    return {
      type: 'InvoiceLineRecorded',
      data,
      metadata: { recordedBy: 'system:bench', idempotencyKey: `bench-${n}` },
    };
  }

  averageSampleBytes(): number {
    if (this.samples === 0) {
      // Not yet sampled: build one to report the size up front.
      const probe = new PayloadFactory().next('member-0000');
      return Buffer.byteLength(JSON.stringify(probe.data));
    }
    return Math.round(this.sampleBytes / this.samples);
  }
}

function formatInt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function formatMs(value: number | null): string {
  return value === null ? '–' : value.toFixed(3);
}

function renderTable(phases: readonly PhaseResult[]): string[] {
  const header = ['phase', 'events', 'appends', 'seconds', 'events/s', 'appends/s', 'p50 ms', 'p99 ms', 'max ms'];
  const rows = phases.map((phase) => [
    phase.name,
    formatInt(phase.events),
    phase.appendsPerSecond === null ? '–' : formatInt(phase.appends),
    phase.seconds.toFixed(2),
    formatInt(phase.eventsPerSecond),
    phase.appendsPerSecond === null ? '–' : formatInt(phase.appendsPerSecond),
    formatMs(phase.p50Ms),
    formatMs(phase.p99Ms),
    formatMs(phase.maxMs),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const render = (cells: readonly string[]): string =>
    '  ' + cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [render(header), '  ' + widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(render)];
}
