/**
 * dist/main.js, as tools/build-dist.mjs writes it: runs the service bundle dist/service.cjs with
 * V8's code cache. Compiling the bundle (some megabytes of JavaScript) and the functions a start
 * runs took about a fifth of a start's CPU; from the cache V8 takes the compiled code instead.
 *
 * The cache (dist/service.cjs.cache) is written when the process exits after a start that had
 * none or whose cache V8 refused (another bundle, another Node): by then it holds every function
 * the start compiled. V8 checks it against the source and its own version and flags before using
 * it, so a stale one costs a compile, never a wrong result. A folder the service may not write
 * (a container's image) just means no cache.
 */
import { createRequire } from 'node:module';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const filename = fileURLToPath(new URL('./service.cjs', import.meta.url));
const cacheFile = `${filename}.cache`;

function readCache() {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

const cachedData = readCache();
// CommonJS's own wrapper, so the bundle sees require, module and __filename as under Node's loader.
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(filename, 'utf8')}\n})`, {
  filename,
  ...(cachedData === undefined ? {} : { cachedData }),
});
if (cachedData === undefined || script.cachedDataRejected === true) {
  process.once('exit', () => {
    try {
      // Written aside and renamed: two instances exiting together never leave half a cache.
      const partial = `${cacheFile}.${process.pid}`;
      writeFileSync(partial, script.createCachedData());
      renameSync(partial, cacheFile);
    } catch {
      // Not writable here: the next start compiles again.
    }
  });
}
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(filename), module, filename, fileURLToPath(new URL('.', import.meta.url)));
