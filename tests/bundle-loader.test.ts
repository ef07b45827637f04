/**
 * tools/bundle-loader.cjs (dist/main.js, dist/cli/main.js) runs a bundle from V8's code cache. V8 checks
 * a cache against the source's length only, so a cache made from another bundle of the same
 * length would run the other bundle's code: an instance of an older build that exits after a new
 * build writes exactly such a cache. The loader keys its cache by the bundle's SHA-256; this runs
 * the real loader on two tiny bundles of equal length and checks the second never runs the first's code.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './helpers/service-process.js';

const bundleSaying = (word: string): string => `function say() { return '${word}'; }\nconsole.log(say());\n`;

t.test("a code cache made from another bundle of the same length is not used: the bundle's own code runs", async (t) => {
  const dir = t.testdir();
  copyFileSync(join(PROJECT_ROOT, 'tools', 'bundle-loader.cjs'), join(dir, 'bundle-loader.cjs'));
  writeFileSync(join(dir, 'main.mjs'), "import { runBundle } from './bundle-loader.cjs';\nrunBundle(new URL('./service.cjs', import.meta.url));\n");
  const bundle = join(dir, 'service.cjs');
  const cache = join(dir, 'service.cjs.cache');
  const start = (): string => execFileSync(process.execPath, [join(dir, 'main.mjs')], { encoding: 'utf8' }).trim();

  const first = bundleSaying('version-1');
  const second = bundleSaying('version-2');
  t.equal(first.length, second.length, 'the two bundles have the same length (what V8 checks)');
  writeFileSync(bundle, first);
  t.equal(start(), 'version-1', 'the first bundle runs');
  t.ok(existsSync(cache), 'and its start wrote a code cache at exit');

  const firstCache = readFileSync(cache);
  writeFileSync(bundle, second);
  t.equal(start(), 'version-2', 'the second bundle runs its own code beside the first one\'s cache');
  t.not(readFileSync(cache).equals(firstCache), true, 'and the cache is written anew for it');
  t.equal(start(), 'version-2', 'from its own cache too');
});
