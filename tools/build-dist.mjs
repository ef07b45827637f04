/**
 * `npm start`'s prestart: src/ compiled to dist/ by esbuild, one .js per module, so the service
 * starts from plain JavaScript instead of compiling every module through tsx's loader at each
 * start (about a second of CPU on a 2-core machine); the service's entry dist/main.js runs a
 * bundle of it (below). Takes well under a second. `node tools/build-dist.mjs [outdir]` writes
 * elsewhere (tests).
 *
 * esbuild is the one tsx runs on (resolved through tsx, a dependency of the project), so a fresh
 * clone needs nothing beyond `npm install`. It only strips types: `npm run typecheck` (tsc) is
 * what checks them. `npm run build` (tsc) writes the same layout, for the Docker image.
 */
import { copyFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { build } = createRequire(createRequire(import.meta.url).resolve('tsx'))('esbuild');

const entryPoints = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((file) => /\.tsx?$/.test(file) && !file.endsWith('.d.ts'))
  .map((file) => join(root, 'src', file));

const outdir = process.argv[2] ?? join(root, 'dist');
// Removed first, written last: a build that fails midway leaves no version to vouch for its modules.
rmSync(join(outdir, 'projection-code-version.txt'), { force: true });

// The service's entry, main.js, is then replaced by the service bundled with the packages it
// loads at start (dist/service.cjs) and the loader that runs it from V8's code cache
// (tools/bundle-loader.cjs, started by dist/main.js); the CLI's entry, cli/main.js, likewise by
// dist/cli.cjs. Node's loader took a third of a start's CPU finding, reading and wrapping some
// thousand files one at a time (node_modules above all: fastify's CommonJS, zod's modules), and
// compiling the bundle a fifth; a bundle is one file, and the cache holds its compiled code. The
// one-file-per-module output stays for the other workers. CommonJS, because Node 20 keeps a code
// cache only for a script, not a module.
//
// Packages stay outside the bundle when they need their own files beside them (native addons,
// swagger-ui's static assets), run worker threads from files (pino), are loaded by name when
// first used (the document libraries, src/lazy-require.ts), or are large and used only when the
// store is EventStoreDB (its client and gRPC: required when src/store/open.ts first imports the
// adapter, as before).
const SERVICE_EXTERNAL = [
  'better-sqlite3',
  'sodium-native',
  '@eventstore/db-client',
  '@fastify/swagger-ui',
  '@fastify/static',
  'pino',
  'pdfkit',
  'xmlbuilder2',
  'qrcode',
  'pngjs',
];
const shared = {
  platform: 'node',
  target: 'node20',
  // The JSX settings (react-jsx, jsxImportSource preact) come from here.
  tsconfig: join(root, 'tsconfig.json'),
  sourcemap: true,
  logLevel: 'warning',
};

await build({ ...shared, format: 'esm', entryPoints, outdir, outbase: join(root, 'src') });
// One bundle per process (or thread) that is started often and whose start is timed: the service,
// the CLI (the accountant's `replay` is timed as a whole process against ledger-cli, start
// included) and the replay's worker thread, which otherwise loaded its modules one file at a time
// for longer than the main thread took to load its own and start folding.
const BUNDLES = [
  { entry: join('main.ts'), bundle: 'service.cjs', starter: 'main.js' },
  // The CLI's starter runs `replay` from a bundle of its own module graph: a third of the whole
  // CLI's, which the main thread loaded for 0.1 s before the replay began (src/cli/replay-main.ts).
  // A tiny bundle before it starts the worker thread, whose own start then overlaps that load
  // (src/cli/replay-start.ts).
  { entry: join('cli', 'main.ts'), bundle: 'cli.cjs', starter: join('cli', 'main.js'), commandBundles: { replay: ['replay-start.cjs', 'replay-cli.cjs'] } },
  { entry: join('cli', 'replay-start.ts'), bundle: 'replay-start.cjs' },
  { entry: join('cli', 'replay-main.ts'), bundle: 'replay-cli.cjs' },
  // Started by src/projections/replay-worker.ts (bundled into both CLI bundles) through the same loader.
  { entry: join('projections', 'replay-worker-thread.ts'), bundle: 'replay-worker.cjs' },
];
for (const { bundle } of BUNDLES) rmSync(join(outdir, `${bundle}.cache`), { force: true });
// One id for the bundles of this run (src/projections/build-id.ts): the replay's worker refuses a
// main thread of another build.
const buildId = `build-${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
rmSync(join(outdir, 'service-chunks'), { recursive: true, force: true });
copyFileSync(join(root, 'tools', 'bundle-loader.cjs'), join(outdir, 'bundle-loader.cjs'));
for (const { entry, bundle } of BUNDLES) {
  await build({
    ...shared,
    entryPoints: [join(root, 'src', entry)],
    outfile: join(outdir, bundle),
    format: 'cjs',
    bundle: true,
    external: SERVICE_EXTERNAL,
    // The modules' import.meta.url (createRequire, files found beside the modules) is the bundle's own.
    // (import.meta.resolve, for tsx's loader in src/projections/replay-worker.ts, is never called from a bundle.)
    define: { 'import.meta.url': '__bundleUrl', 'import.meta.resolve': '__bundleResolve', __LEDGER_BUILD_ID__: JSON.stringify(buildId) },
    banner: {
      js: "var __bundleUrl = require('node:url').pathToFileURL(__filename).href;\nvar __bundleResolve = (specifier) => require('node:url').pathToFileURL(require.resolve(specifier)).href;",
    },
    // import() of a package becomes require, which a script run by node:vm has (import() it has not).
    supported: { 'dynamic-import': false },
  });
}
// The starters last, once every bundle of this build is written: a build that fails on the way
// leaves the previous starters, which run the previous build's bundles (one build id), never a
// starter of this build beside another build's bundles.
for (const { bundle, starter, commandBundles = {} } of BUNDLES) {
  if (starter === undefined) continue;
  // The module esbuild wrote for the entry gives way to a starter that runs the bundle through the
  // loader, or a command's own bundles, in order, when the first argument names one.
  const loader = relative(dirname(join(outdir, starter)), join(outdir, 'bundle-loader.cjs')).split(sep).join('/');
  const up = starter.includes(sep) ? '../' : './';
  const listed = (bundles) => JSON.stringify(bundles.map((name) => `${up}${name}`));
  const chosen = Object.entries(commandBundles).reduce(
    (otherwise, [command, own]) => `process.argv[2] === ${JSON.stringify(command)} ? ${listed(own)} : ${otherwise}`,
    listed([bundle]),
  );
  writeFileSync(
    join(outdir, starter),
    `// Written by tools/build-dist.mjs: runs ${[[bundle], ...Object.values(commandBundles)].map((bundles) => bundles.join(' + ')).join(' or ')} from V8's code cache (bundle-loader.cjs).\n` +
      `import { runBundle } from './${loader}';\nfor (const bundle of ${chosen}) runBundle(new URL(bundle, import.meta.url));\n`,
  );
  rmSync(join(outdir, `${starter}.map`), { force: true });
}

// The version of the sources just compiled (src/projections/checkpoints.ts, projectionCodeVersion):
// the compiled service and the CLI run from the sources by tsx agree on it.
const { codeVersionOf, CODE_VERSION_FILE } = await import(join(outdir, 'projections', 'checkpoints.js'));
writeFileSync(join(outdir, CODE_VERSION_FILE), `${codeVersionOf(join(root, 'src', 'projections'))}\n`);
