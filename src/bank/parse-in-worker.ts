import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { notWellFormed, PARSER_OPTIONS, parseCamt053, readCamt053, refuseHostileText, type ParsedStatement } from './camt053.js';

/**
 * Reads a camt.053 document with its costly part (fast-xml-parser's validation and parsing: seconds
 * for a 4 MB statement) in a worker thread, so other requests are answered meanwhile. The cheap
 * scans for hostile text run here first, so a hostile document never reaches the parser; the
 * parsed tree comes back and is read here, with every rule of camt053.ts.
 *
 * The worker is a few lines of plain CommonJS evaluated from a string that load fast-xml-parser's
 * CommonJS build: no TypeScript file has to load inside the worker, so it runs the same under
 * tsx, tap (ts-node) and the built JavaScript. Small documents are parsed in place: starting a
 * worker costs tens of milliseconds, more than parsing a usual month's statement.
 */
export const WORKER_THRESHOLD_BYTES = 64 * 1024;

const FAST_XML_PARSER = createRequire(import.meta.url).resolve('fast-xml-parser');

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { XMLParser, XMLValidator } = require(workerData.parserModule);
try {
  const wellFormed = XMLValidator.validate(workerData.xml);
  if (wellFormed !== true) parentPort.postMessage({ ok: false, notWellFormed: { line: wellFormed.err.line, msg: wellFormed.err.msg } });
  else {
    const parser = new XMLParser({ ...workerData.options, transformTagName: (name) => name.replace(/^[^:]*:/, '') });
    parentPort.postMessage({ ok: true, tree: parser.parse(workerData.xml) });
  }
} catch (error) {
  parentPort.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
}
`;

type WorkerAnswer =
  | { readonly ok: true; readonly tree: unknown }
  | { readonly ok: false; readonly notWellFormed?: { line: number; msg: string }; readonly message?: string };

export async function parseCamt053InWorker(xml: string): Promise<ParsedStatement> {
  if (xml.length < WORKER_THRESHOLD_BYTES) return parseCamt053(xml);
  refuseHostileText(xml);
  const answer = await inWorker(xml);
  if (answer.ok) return readCamt053(answer.tree);
  if (answer.notWellFormed) return notWellFormed(answer.notWellFormed);
  throw new Error(`the statement parser failed: ${answer.message ?? 'no answer'}`);
}

function inWorker(xml: string): Promise<WorkerAnswer> {
  return new Promise<WorkerAnswer>((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { xml, parserModule: FAST_XML_PARSER, options: PARSER_OPTIONS } });
    worker.once('message', (message: WorkerAnswer) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the statement parser stopped with exit code ${code}`));
    });
  });
}
