import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The worker's code, as CommonJS (an `eval` worker needs no file of its own, so it runs the same
 * under tsx and from compiled JavaScript). It opens its own read-only connection: a connection
 * belongs to one thread.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const rows = db.pragma('quick_check(' + workerData.maxProblems + ')');
  parentPort.postMessage({ lines: rows.map((row) => row.quick_check) });
} catch (error) {
  parentPort.postMessage({ failure: { code: error && error.code, message: String(error && error.message) } });
} finally {
  if (db) db.close();
}
`;

type WorkerAnswer = { readonly lines: string[] } | { readonly failure: { readonly code: string | undefined; readonly message: string } };

/**
 * SQLite's `PRAGMA quick_check` of a ledger file, in a worker thread: it reads the whole file
 * (about 0.3 s per 100 MB), and on the service's thread that would hold every request behind it.
 * Resolves with the lines SQLite reports ("ok" when sound); rejects, with SQLite's error code,
 * when the file cannot be read.
 */
export function quickCheckOffThread(path: string, maxProblems: number): Promise<string[]> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, maxProblems, driver } });
    worker.once('message', (answer: WorkerAnswer) => {
      if ('lines' in answer) resolve(answer.lines);
      else reject(Object.assign(new Error(answer.failure.message), { code: answer.failure.code }));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the quick_check thread ended (${code}) without an answer`)));
  });
}
