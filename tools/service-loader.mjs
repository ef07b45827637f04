/**
 * dist/main.js, as tools/build-dist.mjs writes it: runs the service bundle dist/service.cjs with
 * V8's code cache. Compiling the bundle (some megabytes of JavaScript) and the functions a start
 * runs took about a fifth of a start's CPU; from the cache V8 takes the compiled code instead.
 *
 * The cache (dist/service.cjs.cache) is written when the process exits after a start that had
 * none or whose cache V8 refused (another bundle, another Node): by then it holds every function
 * the start compiled. V8 checks a cache against its own version and flags but against the source's
 * *length* only: a cache made from another bundle of the same length (a changed constant) would run
 * that bundle's code. So the file starts with the SHA-256 of the bundle it was made from, and a
 * cache of any other bundle is not handed to V8 at all (an instance still running an older build
 * writes its cache at exit, beside the newer bundle). A stale cache costs a compile, never a wrong
 * result. A folder the service may not write (a container's image) just means no cache.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const filename = fileURLToPath(new URL('./service.cjs', import.meta.url));
const cacheFile = `${filename}.cache`;
const source = readFileSync(filename, 'utf8');
const DIGEST_BYTES = 32;
const sourceDigest = createHash('sha256').update(source).digest();

/** The cached code, when the cache was made from exactly this bundle. */
function readCache() {
  try {
    const bytes = readFileSync(cacheFile);
    return bytes.length > DIGEST_BYTES && bytes.subarray(0, DIGEST_BYTES).equals(sourceDigest) ? bytes.subarray(DIGEST_BYTES) : undefined;
  } catch {
    return undefined;
  }
}

const cachedData = readCache();
// CommonJS's own wrapper, so the bundle sees require, module and __filename as under Node's loader.
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename,
  ...(cachedData === undefined ? {} : { cachedData }),
});
if (cachedData === undefined || script.cachedDataRejected === true) {
  process.once('exit', () => {
    try {
      // Written aside and renamed: two instances exiting together never leave half a cache.
      const partial = `${cacheFile}.${process.pid}`;
      writeFileSync(partial, Buffer.concat([sourceDigest, script.createCachedData()]));
      renameSync(partial, cacheFile);
    } catch {
      // Not writable here: the next start compiles again.
    }
  });
}
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(filename), module, filename, fileURLToPath(new URL('.', import.meta.url)));
