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

// The service's entry, main.js, is then replaced by the service bundled with the packages it
// loads at start (dist/service.cjs) and the loader that runs it from V8's code cache
// (tools/service-loader.mjs, copied to dist/main.js). Node's loader took a third of a start's CPU
// finding, reading and wrapping some thousand files one at a time (node_modules above all:
// fastify's CommonJS, zod's modules), and compiling the bundle a fifth; a bundle is one file,
// and the cache holds its compiled code. The one-file-per-module output stays for the CLI and
// the workers. CommonJS, because Node 20 keeps a code cache only for a script, not a module.
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
for (const stale of ['service-chunks', 'service.cjs.cache']) rmSync(join(outdir, stale), { recursive: true, force: true });
await build({
  ...shared,
  entryPoints: [join(root, 'src', 'main.ts')],
  outfile: join(outdir, 'service.cjs'),
  format: 'cjs',
  bundle: true,
  external: SERVICE_EXTERNAL,
  // The modules' import.meta.url (createRequire, files found beside the modules) is the bundle's own.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "var __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // import() of a package becomes require, which a script run by node:vm has (import() it has not).
  supported: { 'dynamic-import': false },
});
copyFileSync(join(root, 'tools', 'service-loader.mjs'), join(outdir, 'main.js'));
rmSync(join(outdir, 'main.js.map'), { force: true });

// The version of the sources just compiled (src/projections/checkpoints.ts, projectionCodeVersion):
// the compiled service and the CLI run from the sources by tsx agree on it.
const { codeVersionOf, CODE_VERSION_FILE } = await import(join(outdir, 'projections', 'checkpoints.js'));
writeFileSync(join(outdir, CODE_VERSION_FILE), `${codeVersionOf(join(root, 'src', 'projections'))}\n`);
