/**
 * Benchmark runner: `npm run bench` runs every benchmark in order; `npm run bench -- store` (one or
 * more names) runs only those. Add a benchmark by appending an entry to BENCHMARKS.
 */
import { benchStore, storeOptionsFromEnv } from './store.js';
import { benchProjections, projectionOptionsFromEnv } from './projections.js';
import { benchStatement, statementEntriesFromEnv } from './statement.js';
import { benchUbl, ublOptionsFromEnv } from './ubl.js';
import { benchDocuments } from './documents.js';
import { benchPages, pageRequestsFromEnv } from './pages.js';
import { benchVersusLedger, versusLedgerOptions } from './versus-ledger.js';
import { benchCheckpointStart, checkpointStartOptions } from './checkpoint-start.js';
import { benchHttp, httpOptionsFromArgs } from './http.js';
import { benchExport, exportOptions } from './export.js';
import { benchWritePath, writePathOptions } from './write-path.js';

interface Benchmark {
  readonly name: string;
  readonly description: string;
  /** `options`: the `--flag value` arguments given after the names. */
  run(options: readonly string[]): Promise<unknown>;
}

const BENCHMARKS: readonly Benchmark[] = [
  {
    name: 'store',
    description: 'SQLite event store: one-by-one and batched appends, readAll (env BENCH_EVENTS=N or N1,N2)',
    run: () => benchStore(storeOptionsFromEnv()),
  },
  {
    name: 'projections',
    description: 'Projection replay (first and "as of"), read p50/p99, peak RSS over a synthetic ledger (env BENCH_PROJECTION_EVENTS=N1,N2)',
    run: () => benchProjections(projectionOptionsFromEnv()),
  },
  {
    name: 'statement',
    description: 'camt.053 import of a large statement, twice, end to end, with GET /health asked meanwhile (env BENCH_STATEMENT_ENTRIES=N, default 26000)',
    run: () => benchStatement(statementEntriesFromEnv()),
  },
  {
    name: 'ubl',
    description: 'Peppol UBL e-invoice: time to build one document of 3 and of 200 lines (env BENCH_UBL_DOCUMENTS=N)',
    run: () => benchUbl(ublOptionsFromEnv()),
  },
  {
    name: 'documents',
    description: 'How long one invoice PDF takes, 3 and 60 lines, with the EPC QR code (env BENCH_DOCUMENTS=runs)',
    run: () => benchDocuments(),
  },
  {
    name: 'pages',
    description: "Each page's server time (p50/p99, goal p99 < 50 ms) on the fixtures' data, with a session cookie (env BENCH_PAGE_REQUESTS=N, default 200)",
    run: () => benchPages(pageRequestsFromEnv()),
  },
  {
    name: 'versus-ledger',
    description: 'The accountant\'s replay against ledger-cli on the same exported books: bank balance agreement, time and peak RSS (--events N, --runs R, --file an existing ledger)',
    run: (options) => benchVersusLedger(versusLedgerOptions(options)),
  },
  {
    name: 'checkpoint-start',
    description: 'A start to the first room-budget read, without and with a projection checkpoint, the projections alone and the real service with its parts (--events N, or --file an existing ledger; --runs R service starts; --keep-checkpoints to start from those the file has)',
    run: (options) => benchCheckpointStart(checkpointStartOptions(options)),
  },
  {
    name: 'http',
    description: 'The real service in a child process, driven by autocannon: writes at 50 connections and at a fixed 1,000 req/s (open loop), the position and room-budget reads on a large store (--events N, default 100000, or --file a copy of a ledger), alone and with writes at --mixed-rate N a second (default 100) (--seconds, --rate, --only writes|reads, --default-limits, --profile [dir])',
    run: (options) => benchHttp(httpOptionsFromArgs(options)),
  },
  {
    name: 'export',
    description: "One year's hledger, XAF and CSV export after a service start, first request and repeated, the whole journal (before) against the year's fold (--file a copy of a ledger or --events N, --year Y default 2017, --runs R, --closing)",
    run: (options) => benchExport(exportOptions(options)),
  },
  {
    name: 'write-path',
    description: 'Durable writes through the real app in one process (app.inject): CPU per write and the event loop\'s longest stops, figures a busy machine does not distort (--writes N, --in-flight N)',
    run: (options) => benchWritePath(writePathOptions(options)),
  },
];

function usage(): string {
  const names = BENCHMARKS.map((bench) => `  ${bench.name.padEnd(12)} ${bench.description}`).join('\n');
  return `usage: npm run bench [-- <name>...]\n\nbenchmarks:\n${names}\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage());
    return 0;
  }
  // `--flag value` pairs are options for the benchmarks; everything else names one.
  const optionStart = argv.findIndex((arg) => arg.startsWith('--'));
  const names = optionStart < 0 ? argv : argv.slice(0, optionStart);
  const options = optionStart < 0 ? [] : argv.slice(optionStart);
  const unknown = names.filter((name) => !BENCHMARKS.some((bench) => bench.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark: ${unknown.join(', ')}\n\n${usage()}`);
    return 2;
  }
  const selected = names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((bench) => names.includes(bench.name));
  for (const bench of selected) {
    const started = process.hrtime.bigint();
    console.log(`== ${bench.name} ==`);
    await bench.run(options);
    console.log(`== ${bench.name} done in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s ==\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
