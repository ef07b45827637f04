import { parentPort, workerData } from 'node:worker_threads';
import { DomainError } from '../domain/errors.js';
import { parseCamt053 } from './camt053.js';

/** The worker side of parse-in-worker.ts: parse the document it was given, post the outcome back. */
try {
  parentPort!.postMessage({ ok: true, statement: parseCamt053(workerData as string) });
} catch (error) {
  if (error instanceof DomainError) parentPort!.postMessage({ ok: false, code: error.code, message: error.message, field: error.field });
  else parentPort!.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
}
