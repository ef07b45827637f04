/**
 * `npm run cli -- tokens ...` and the settings it runs under: tokens are stored only as SHA-256
 * hashes in the tokens file under the data folder, a created token authenticates with its role and
 * scope, a revoked one no longer does, and a bad setting stops with a message naming it.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TokenRegistry } from '../../src/auth/tokens.js';
import { tokensCommand } from '../../src/cli/commands/tokens.js';
import { ConfigError, loadConfig } from '../../src/config.js';

async function cli(dataDir: string, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await tokensCommand.run(args, { config: loadConfig({ DATA_DIR: dataDir }), out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const tokenIn = (out: string): string => /^(bwk_\S+)$/m.exec(out)?.[1] ?? '';

t.test('tokens create prints the token once; the file under the data folder keeps only its SHA-256', async (t) => {
  const dir = t.testdir();
  const created = await cli(dir, ['create', '--role', 'financier', '--scope', 'mitros', '--name', 'Mitros']);
  t.equal(created.code, 0, created.err);
  const token = tokenIn(created.out);
  t.match(token, /^bwk_[A-Za-z0-9_-]{20,}$/);
  const file = join(dir, 'tokens.json');
  const stored = readFileSync(file, 'utf8');
  t.notOk(stored.includes(token), 'the token itself is not in the file');
  t.ok(stored.includes(createHash('sha256').update(token).digest('hex')), 'its SHA-256 is');
  t.equal(statSync(file).mode & 0o777, 0o600, 'readable by the service user only');
  t.match(TokenRegistry.open(file).authenticate(token), { role: 'financier', scope: 'mitros', subject: /financier:mitros/ });
  t.equal(TokenRegistry.open(file).authenticate(`${token}x`), undefined, 'a near miss is no token');
});

t.test('tokens revoke: the token no longer authenticates; list shows it revoked; the others still work', async (t) => {
  const dir = t.testdir();
  const first = tokenIn((await cli(dir, ['create', '--role', 'accountant'])).out);
  const second = tokenIn((await cli(dir, ['create', '--role', 'teamleader', '--scope', 'top'])).out);
  const file = join(dir, 'tokens.json');
  const id = TokenRegistry.open(file).list().find((record) => record.role === 'accountant')!.id;
  const revoked = await cli(dir, ['revoke', id.slice(0, 8)]);
  t.equal(revoked.code, 0, revoked.err);
  t.equal(TokenRegistry.open(file).authenticate(first), undefined);
  t.match(TokenRegistry.open(file).authenticate(second), { role: 'teamleader', scope: 'top' });
  t.match((await cli(dir, ['list'])).out, new RegExp(`${id}\\s+accountant.*REVOKED`));
  await t.rejects(cli(dir, ['revoke', 'ffffffff-no-such']), /no token with id/);
});

t.test('tokens create refuses a missing role, a scoped role without scope and a scope on an unscoped role', async (t) => {
  const dir = t.testdir();
  t.equal((await cli(dir, ['create'])).code, 2);
  t.equal((await cli(dir, ['create', '--role', 'admin'])).code, 2);
  await t.rejects(cli(dir, ['create', '--role', 'financier']), /needs a scope/);
  await t.rejects(cli(dir, ['create', '--role', 'treasurer', '--scope', 'mitros']), /has no scope/);
  t.same(TokenRegistry.open(join(dir, 'tokens.json')).list(), [], 'nothing was created');
});

t.test('settings: safe defaults, and a bad one stops with a message naming it', async (t) => {
  t.match(loadConfig({}), { STORE: 'sqlite', SQLITE_PATH: './data/ledger.db', HOST: '127.0.0.1', PORT: 3000, LOG_LEVEL: 'info', tokensFile: './data/tokens.json' });
  for (const [name, value] of [['PORT', 'abc'], ['PORT', '70000'], ['STORE', 'postgres'], ['LOG_LEVEL', 'loud'], ['RATE_LIMIT_PER_MINUTE', '-1']]) {
    t.throws(() => loadConfig({ [name!]: value }), { name: 'ConfigError', message: new RegExp(`${name}:`) }, `${name}=${value}`);
  }
  t.throws(() => loadConfig({ STORE: 'eventstoredb' }), ConfigError, 'eventstoredb needs EVENTSTORE_URL');
  t.throws(() => loadConfig({ STORE: 'eventstoredb' }), /EVENTSTORE_URL/);
});

t.test('tokens create makes a kascommissie token: unscoped, and a scope is refused', async (t) => {
  const dir = t.testdir();
  const created = await cli(dir, ['create', '--role', 'kascommissie', '--name', 'Kascommissie 2019']);
  t.equal(created.code, 0, created.err);
  t.match(TokenRegistry.open(join(dir, 'tokens.json')).authenticate(tokenIn(created.out)), { role: 'kascommissie', subject: /kascommissie/ });
  await t.rejects(cli(dir, ['create', '--role', 'kascommissie', '--scope', 'top']), /has no scope/);
});
