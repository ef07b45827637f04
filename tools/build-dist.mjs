/**
 * `npm start`'s prestart: src/ compiled to dist/ by esbuild, one .js per module (no bundle), so
 * the service starts from plain JavaScript instead of compiling every module through tsx's
 * loader at each start (about a second of CPU on a 2-core machine). Takes well under a second.
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

const outdir = join(root, 'dist');
// Removed first, written last: a build that fails midway leaves no version to vouch for its modules.
rmSync(join(outdir, 'projection-code-version.txt'), { force: true });

await build({
  entryPoints,
  outdir,
  outbase: join(root, 'src'),
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The JSX settings (react-jsx, jsxImportSource preact) come from here.
  tsconfig: join(root, 'tsconfig.json'),
  sourcemap: true,
  logLevel: 'warning',
});

// The version of the sources just compiled (src/projections/checkpoints.ts, projectionCodeVersion):
// the compiled service and the CLI run from the sources by tsx agree on it.
const { codeVersionOf, CODE_VERSION_FILE } = await import(join(outdir, 'projections', 'checkpoints.js'));
writeFileSync(join(outdir, CODE_VERSION_FILE), `${codeVersionOf(join(root, 'src', 'projections'))}\n`);
