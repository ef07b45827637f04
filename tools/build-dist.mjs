/**
 * `npm start`'s prestart: src/ compiled to dist/ by esbuild, one .js per module, so the service
 * starts from plain JavaScript instead of compiling every module through tsx's loader at each
 * start (about a second of CPU on a 2-core machine); the service's entry dist/main.js is a bundle
 * (below). Takes well under a second. `node tools/build-dist.mjs [outdir]` writes elsewhere (tests).
 *
 * esbuild is the one tsx runs on (resolved through tsx, a dependency of the project), so a fresh
 * clone needs nothing beyond `npm install`. It only strips types: `npm run typecheck` (tsc) is
 * what checks them. `npm run build` (tsc) writes the same layout, for the Docker image.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { build } = createRequire(createRequire(import.meta.url).resolve('tsx'))('esbuild');

const entryPoints = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((file) => /\.tsx?$/.test(file) && !file.endsWith('.d.ts'))
  .map((file) => join(root, 'src', file));

const outdir = process.argv[2] ?? join(root, 'dist');
// Removed first, written last: a build that fails midway leaves no version to vouch for its modules.
rmSync(join(outdir, 'projection-code-version.txt'), { force: true });

// The service's entry, main.js, is then replaced by one bundle of it with the packages it loads
// at start: Node's loader took a third of a start's CPU finding, reading and wrapping some
// thousand files one at a time (node_modules above all: fastify's CommonJS, zod's modules), and
// a bundle is one file. The one-file-per-module output stays for the CLI and the workers.
// What the service loads only when used (`import()`: the EventStoreDB adapter, src/store/open.ts)
// goes into chunks of its own (dist/service-chunks/), loaded then; the modules they share with the
// rest stay one instance. Packages stay outside the bundle when they need their own files beside
// them (native addons, swagger-ui's static assets), run worker threads from files (pino), are
// loaded by name when first used (the document libraries, src/lazy-require.ts), or are large and
// used by a lazy chunk only (the EventStoreDB client and its gRPC: a third of the bundle, which
// V8 would parse at every start).
const SERVICE_CHUNKS = 'service-chunks';
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
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The JSX settings (react-jsx, jsxImportSource preact) come from here.
  tsconfig: join(root, 'tsconfig.json'),
  sourcemap: true,
  logLevel: 'warning',
};

await build({ ...shared, entryPoints, outdir, outbase: join(root, 'src') });
rmSync(join(outdir, SERVICE_CHUNKS), { recursive: true, force: true });
await build({
  ...shared,
  entryPoints: [join(root, 'src', 'main.ts')],
  outdir,
  entryNames: '[name]',
  chunkNames: `${SERVICE_CHUNKS}/[name]-[hash]`,
  splitting: true,
  bundle: true,
  external: SERVICE_EXTERNAL,
  // The CommonJS packages inside call require (node: modules, the externals): an ES module has none.
  // (Every output file gets it: the chunks too.)
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});

// The version of the sources just compiled (src/projections/checkpoints.ts, projectionCodeVersion):
// the compiled service and the CLI run from the sources by tsx agree on it.
const { codeVersionOf, CODE_VERSION_FILE } = await import(join(outdir, 'projections', 'checkpoints.js'));
writeFileSync(join(outdir, CODE_VERSION_FILE), `${codeVersionOf(join(root, 'src', 'projections'))}\n`);
