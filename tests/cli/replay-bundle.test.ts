/**
 * The accountant's `replay`, as the versus-ledger bench times it, runs what tools/build-dist.mjs
 * builds: dist/cli/main.js starts the replay's own CLI bundle dist/replay-cli.cjs (every other
 * command the whole CLI's, dist/cli.cjs), whose replay starts its worker thread from the bundle
 * dist/replay-worker.cjs, both through the loader that hands V8 its code cache. Every other test runs the sources through tsx, so this one builds into a folder of its
 * own and holds the bundles' answer (without a code cache, then from the caches the first run
 * wrote) equal to the sources', byte for byte: the JSON report and the printed tables.
 */
import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SyntheticLedger } from '../../bench/projections-log.js';
import { SqliteEventStore } from '../../src/store/sqlite.js';
import { PROJECT_ROOT } from '../helpers/service-process.js';

t.test('the bundled CLI and worker replay a ledger exactly as the sources do', async (t) => {
  const dir = t.testdir();
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'));
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'tools', 'build-dist.mjs'), join(dir, 'dist')], { cwd: PROJECT_ROOT, stdio: 'inherit' });

  const path = join(dir, 'ledger.db');
  const store = new SqliteEventStore(path);
  for (const { stream, event } of new SyntheticLedger({ rooms: 12, financiers: 4, firstYear: 2020, years: 2 }, 7).take(1_500)) {
    await store.append(stream, [{ type: event.type, data: event.data, metadata: { recordedBy: 'system:test' } }], 'any');
  }
  await store.close();

  const env: NodeJS.ProcessEnv = { ...process.env, STORE: 'sqlite', SQLITE_PATH: path, DATA_DIR: dir };
  delete env.NODE_OPTIONS;
  const replay = (command: readonly string[], args: readonly string[]): string => {
    const result = spawnSync(process.execPath, [...command, 'replay', ...args], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`replay exited with ${result.status}: ${result.stderr}`);
    return result.stdout;
  };
  const bundle = [join(dir, 'dist', 'cli', 'main.js')];
  const sources = ['--import', 'tsx', join(PROJECT_ROOT, 'src', 'cli', 'main.ts')];
  const caches = ['replay-cli.cjs.cache', 'replay-worker.cjs.cache'].map((name) => join(dir, 'dist', name));

  for (const args of [['--as-of', '2021-06-30', '--json'], ['--year', '2020']]) {
    const expected = replay(sources, args);
    t.match(expected, args.includes('--json') ? /"trialBalance"/ : /Trial balance 2020/, `the sources replay (${args.join(' ')})`);
    t.equal(replay(bundle, args), expected, `the bundles answer as the sources (${args.join(' ')})`);
  }
  for (const cache of caches) t.ok(existsSync(cache) && statSync(cache).size > 10_000, `the bundled run wrote ${cache.slice(dir.length)}: each thread ran from its bundle`);
  t.notOk(existsSync(join(dir, 'dist', 'cli.cjs.cache')), "the replay never loaded the whole CLI's bundle");
  t.notOk(readFileSync(join(dir, 'dist', 'replay-cli.cjs'), 'utf8').includes('loadFixturesCommand'), "whose other commands are not in the replay's");
  const written = caches.map((cache) => statSync(cache).mtimeMs);
  t.equal(replay(bundle, ['--as-of', '2021-06-30', '--json']), replay(sources, ['--as-of', '2021-06-30', '--json']), 'and from their code caches');
  t.same(caches.map((cache) => statSync(cache).mtimeMs), written, 'which V8 took (a refused cache is written again)');

  // A worker bundle of another build (dist/ rebuilt between the two threads' loads) is refused:
  // its split of the checks by event type may not be the main thread's.
  const workerBundle = join(dir, 'dist', 'replay-worker.cjs');
  const text = readFileSync(workerBundle, 'utf8');
  const id = /"(build-[0-9a-z]+-[0-9a-f]{12})"/.exec(text)?.[1];
  for (const main of ['replay-cli.cjs', 'cli.cjs']) {
    t.ok(id !== undefined && readFileSync(join(dir, 'dist', main), 'utf8').includes(`"${id}"`), `${main} and the worker's bundle carry the same build id`);
  }
  writeFileSync(workerBundle, text.replaceAll(`"${id}"`, '"build-another-000000000000"'));
  const mixed = spawnSync(process.execPath, [...bundle, 'replay', '--json'], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
  t.not(mixed.status, 0, 'the replay with a worker of another build fails');
  t.match(mixed.stderr, /another build/, 'and says why');
  t.equal(mixed.stdout, '', 'printing no figures');

  // Any other command runs from the whole CLI's bundle, as `help` shows (it lists every command).
  const help = spawnSync(process.execPath, [...bundle, 'help'], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
  t.equal(help.status, 0, 'the bundled help answers');
  t.match(help.stdout, /load-fixtures[\s\S]*replay[\s\S]*reminders/, 'listing every command, replay among them');

  // A build that stopped before writing the projections' code version: the bundled CLI says so.
  rmSync(join(dir, 'dist', 'projection-code-version.txt'));
  const verify = spawnSync(process.execPath, [...bundle, 'verify'], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
  t.not(verify.status, 0, 'verify without the code version file fails');
  t.match(verify.stderr, /projection-code-version\.txt is missing .*build-dist/, 'and says how to mend it');
});
