/**
 * Peppol UBL benchmark: how long `buildUbl` takes to build one e-invoice (goal: under 50 ms),
 * for a usual invoice (3 lines) and a long one (200 lines), after a warm-up. Pure CPU: no store.
 * `BENCH_UBL_DOCUMENTS=N` sets how many documents are built per size (default 1,000).
 */
import { buildUbl, type UblInvoiceInput } from '../src/documents/ubl.js';

export interface BenchUblOptions {
  readonly documents?: number;
  readonly log?: (line: string) => void;
}

export function ublOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): BenchUblOptions {
  const documents = Number.parseInt(env.BENCH_UBL_DOCUMENTS ?? '', 10);
  return Number.isInteger(documents) && documents > 0 ? { documents } : {};
}

function invoiceWithLines(lineCount: number): UblInvoiceInput {
  return {
    kind: 'invoice',
    number: '2020-0001',
    issueDate: '2020-06-15',
    dueDate: '2020-07-13',
    buyerReference: '5675239',
    supplier: {
      name: 'BuurtWerkKamer Coöperatie U.A.',
      address: { street: 'Daalsedijk 12', postcode: '3551 EJ', city: 'Utrecht', country: 'NL' },
      endpoint: { scheme: '0106', id: '12345678' },
      legalRegistration: { scheme: '0106', id: '12345678' },
    },
    customer: {
      name: 'Gemeente Utrecht',
      address: { street: 'Stadsplateau 1', postcode: '3521 AZ', city: 'Utrecht', country: 'NL' },
      endpoint: { scheme: '0190', id: '00000001002220647000' },
      legalRegistration: { scheme: '0190', id: '00000001002220647000' },
    },
    lines: Array.from({ length: lineCount }, (_, index) => ({ description: `Bijdrage buurtwerkkamer TOP 2020, termijn ${index + 1}`, amount: `${1000 + index}.25` })),
    vat: { category: 'O', exemptionReason: 'Niet onderworpen aan btw' },
    payment: { iban: 'NL91ABNA0417164300', bic: 'ABNANL2A', paymentId: 'RF1820200001' },
  };
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

export async function benchUbl(options: BenchUblOptions = {}): Promise<void> {
  const documents = options.documents ?? 1_000;
  const log = options.log ?? console.log;
  for (const lineCount of [3, 200]) {
    const input = invoiceWithLines(lineCount);
    for (let warmUp = 0; warmUp < 50; warmUp += 1) buildUbl(input);
    const timesMs: number[] = [];
    let bytes = 0;
    for (let index = 0; index < documents; index += 1) {
      const started = process.hrtime.bigint();
      bytes = buildUbl(input).length;
      timesMs.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    timesMs.sort((a, b) => a - b);
    log(
      `ubl: one invoice of ${lineCount} lines (${bytes} characters): p50 ${percentile(timesMs, 50).toFixed(2)} ms, ` +
        `p99 ${percentile(timesMs, 99).toFixed(2)} ms, max ${percentile(timesMs, 100).toFixed(2)} ms over ${documents} documents (goal < 50 ms)`,
    );
  }
}
