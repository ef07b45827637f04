/**
 * The accountant's replay checks every event of the log against the event contract
 * (`parseDomainEvent`, zod), as the log reader does on a first pass. That check is a fifth of a
 * replay's CPU and needs nothing the folds produce, so the replay runs it on the second core: a
 * worker thread opens the same ledger, reads the log up to the head the replay started at and
 * validates each event, while the main thread folds the same events unchecked. The replay prints
 * nothing before the worker's verdict: a malformed event is refused exactly as before, with the
 * same message, only found in parallel.
 */
import { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import { parseDomainEvent } from '../domain/events.js';
import type { EventStore } from '../store/port.js';
import { comparePositionStrings } from './log-reader.js';

/** The worker's answer: every event up to the head matched the contract, or the first that did not. */
export type ValidationVerdict = { readonly ok: true; readonly events: number } | { readonly ok: false; readonly message: string };

/** Reads the log from the start through `through` and checks every event; the first malformed one ends it. */
export async function validateLog(store: EventStore, through: string, batchSize = 1_000): Promise<ValidationVerdict> {
  let events = 0;
  try {
    for await (const batch of store.scanAll(undefined, batchSize)) {
      for (const [position, , type, data] of batch) {
        if (comparePositionStrings(position, through) > 0) return { ok: true, events };
        parseDomainEvent({ type, data: JSON.parse(data) as unknown, position });
        events += 1;
      }
    }
    return { ok: true, events };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** A validation running in a worker thread; `verdict` never rejects (a failed worker is a refusal). */
export interface ParallelValidation {
  readonly verdict: Promise<ValidationVerdict>;
}

/**
 * Starts a worker that validates the configured ledger's log through `through`. The worker is
 * this module's sibling `log-validation-worker` in the same form as this file (.ts under tsx and
 * tap, .js when built), so it runs under whatever loader runs the caller.
 */
export function validateLogInWorker(config: Config, through: string): ParallelValidation {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const worker = new Worker(new URL(`./log-validation-worker${extension}`, import.meta.url), { workerData: { config, through } });
  const verdict = new Promise<ValidationVerdict>((resolve) => {
    worker.once('message', (message: ValidationVerdict) => resolve(message));
    worker.once('error', (error) => resolve({ ok: false, message: `the log validation failed: ${error.message}` }));
    worker.once('exit', (code) => resolve({ ok: false, message: `the log validation stopped with exit code ${code} before its verdict` }));
  });
  return { verdict };
}
