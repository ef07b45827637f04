import { Worker } from 'node:worker_threads';
import { DomainError, type DomainErrorCode } from '../domain/errors.js';
import { parseCamt053, type ParsedStatement } from './camt053.js';

/**
 * Parses a camt.053 document in a worker thread. A 4 MB statement takes seconds of pure
 * JavaScript to check and parse; on the main thread that would hold every other request for as
 * long. The worker answers the parsed statement, or the refusal's code, message and field,
 * which become the same DomainError the caller would have had.
 *
 * Small documents are parsed in place: starting a worker costs tens of milliseconds, more than
 * parsing a usual month's statement.
 */
export const WORKER_THRESHOLD_BYTES = 64 * 1024;

type WorkerAnswer =
  | { readonly ok: true; readonly statement: ParsedStatement }
  | { readonly ok: false; readonly code?: DomainErrorCode; readonly message: string; readonly field?: string };

export async function parseCamt053InWorker(xml: string): Promise<ParsedStatement> {
  if (xml.length < WORKER_THRESHOLD_BYTES) return parseCamt053(xml);
  const answer = await new Promise<WorkerAnswer>((resolve, reject) => {
    const worker = new Worker(new URL(workerFile(), import.meta.url), { workerData: xml });
    worker.once('message', (message: WorkerAnswer) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the statement parser stopped with exit code ${code}`));
    });
  });
  if (answer.ok) return answer.statement;
  if (answer.code !== undefined) throw new DomainError(answer.code, answer.message, answer.field);
  throw new Error(answer.message);
}

/** Under ts-node (the tests) the worker is the .ts source; built, it is the .js next to this file. */
function workerFile(): string {
  return import.meta.url.endsWith('.ts') ? './camt053-worker.ts' : './camt053-worker.js';
}
