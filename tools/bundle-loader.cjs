/**
 * Runs a CommonJS bundle built by tools/build-dist.mjs with V8's code cache: the service's
 * (dist/main.js runs dist/service.cjs), the CLI's (dist/cli/main.js runs dist/cli.cjs) and the
 * replay's worker thread's (dist/replay-worker.cjs). Compiling a bundle (some megabytes of
 * JavaScript) and the functions a run uses took about a fifth of a service start's CPU; from the
 * cache V8 takes the compiled code instead. Copied to dist/ as dist/bundle-loader.cjs.
 *
 * The cache (`<bundle>.cache`) is written when the thread exits after a run that had none or whose
 * cache V8 refused (another bundle, another Node): by then it holds every function the run
 * compiled. V8 checks a cache against its own version and flags but against the source's *length*
 * only: a cache made from another bundle of the same length (a changed constant) would run that
 * bundle's code. So the file starts with the SHA-256 of the bundle it was made from, and a cache
 * of any other bundle is not handed to V8 at all (an instance still running an older build writes
 * its cache at exit, beside the newer bundle). A stale cache costs a compile, never a wrong
 * result. A folder the process may not write (a container's image) just means no cache.
 *
 * CommonJS, so a worker thread's few lines of bootstrap can `require` it without starting Node's
 * ESM loader (the replay's worker waits for its modules; src/projections/replay-worker.ts).
 */
'use strict';

const { createHash } = require('node:crypto');
const { createRequire } = require('node:module');
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');
const { fileURLToPath } = require('node:url');
const { Script } = require('node:vm');
const { threadId } = require('node:worker_threads');

const DIGEST_BYTES = 32;

/** The cached code, when the cache was made from exactly this bundle. */
function readCache(cacheFile, sourceDigest) {
  try {
    const bytes = readFileSync(cacheFile);
    return bytes.length > DIGEST_BYTES && bytes.subarray(0, DIGEST_BYTES).equals(sourceDigest) ? bytes.subarray(DIGEST_BYTES) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the bundle at `bundleUrl` (a file: URL or path) as Node would run a CommonJS module, from its code cache when it has one. */
function runBundle(bundleUrl) {
  const filename = bundleUrl instanceof URL || String(bundleUrl).startsWith('file:') ? fileURLToPath(bundleUrl) : String(bundleUrl);
  const cacheFile = `${filename}.cache`;
  const source = readFileSync(filename, 'utf8');
  const sourceDigest = createHash('sha256').update(source).digest();
  const cachedData = readCache(cacheFile, sourceDigest);
  // CommonJS's own wrapper, so the bundle sees require, module and __filename as under Node's loader.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename,
    ...(cachedData === undefined ? {} : { cachedData }),
  });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    process.once('exit', () => {
      try {
        // Written aside and renamed: two processes (or threads) exiting together never leave half a cache.
        const partial = `${cacheFile}.${process.pid}.${threadId}`;
        writeFileSync(partial, Buffer.concat([sourceDigest, script.createCachedData()]));
        renameSync(partial, cacheFile);
      } catch {
        // Not writable here: the next run compiles again.
      }
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(filename), module, filename, dirname(filename));
  return module.exports;
}

exports.runBundle = runBundle;
