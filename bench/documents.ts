/**
 * How long one PDF takes (goal < 50 ms): an invoice of 3 lines and one of 60 lines, rendered
 * from their events as GET /invoices/:id/document.pdf does (text, table, EPC QR code). The
 * first render (fonts and QR tables warming up) is reported apart from the steady state.
 */
import type { EventData } from '../src/domain/events.js';
import { creditorReferenceFor } from '../src/domain/receivables/payment-reference.js';
import { invoicePdf } from '../src/documents/invoice-document.js';

const PARTIES: EventData<'InvoiceIssued'>['parties'] = {
  supplier: {
    name: 'BuurtWerkKamer Coöperatie U.A.',
    address: { street: 'Voorbeeldstraat 1', postcode: '1234 AB', city: 'Voorbeeldstad', country: 'NL' },
    kvkNumber: '12345678',
    vatExemptionNote: 'Vrijgesteld van btw (voorbeeldtekst)',
    iban: 'NL91ABNA0417164300',
    bic: 'ABNANL2A',
    email: 'penningmeester@example.org',
    revision: 0,
  },
  customer: { name: 'Woningcorporatie Voorbeeld', address: { street: 'Proefweg 22', postcode: '9999 ZZ', city: 'Proefstad', country: 'NL' } },
};

function invoiceOf(lineCount: number): EventData<'InvoiceIssued'> {
  const lines = Array.from({ length: lineCount }, (_, index) => ({ description: `Bijdrage buurtwerkkamer, post ${index + 1}`, amount: '125.00' }));
  return {
    invoiceId: '00000000-0000-4000-8000-000000000001',
    number: '2020-0001',
    financierId: 'voorbeeld',
    kamerId: 'top',
    year: 2020,
    issueDate: '2020-06-15',
    dueDate: '2020-07-13',
    lines,
    total: (lineCount * 125).toFixed(2),
    paymentReference: creditorReferenceFor('2020-0001'),
    parties: PARTIES,
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function benchDocuments(runs = Number(process.env.BENCH_DOCUMENTS ?? 200)): Promise<void> {
  for (const lineCount of [3, 60]) {
    const invoice = invoiceOf(lineCount);
    const coldStart = performance.now();
    const first = await invoicePdf(invoice, undefined);
    const cold = performance.now() - coldStart;
    const timings: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const started = performance.now();
      await invoicePdf(invoice, undefined);
      timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    const mean = timings.reduce((sum, value) => sum + value, 0) / timings.length;
    console.log(
      `invoice PDF, ${String(lineCount).padStart(2)} lines (${(first.length / 1024).toFixed(1)} KB): first ${cold.toFixed(1)} ms, ` +
        `then mean ${mean.toFixed(1)} ms, p50 ${percentile(timings, 50).toFixed(1)} ms, p99 ${percentile(timings, 99).toFixed(1)} ms over ${runs} (goal < 50 ms)`,
    );
  }
}
