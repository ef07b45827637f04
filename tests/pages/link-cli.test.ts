/**
 * `npm run cli -- tokens link`: prints one URL; the code is stored only as its SHA-256, with its
 * token and expiry, in a 0600 file next to the tokens file; it redeems once.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SignInLinks } from '../../src/auth/sign-in-links.js';
import { TokenRegistry } from '../../src/auth/tokens.js';
import { tokensCommand } from '../../src/cli/commands/tokens.js';
import { loadConfig } from '../../src/config.js';

t.test('tokens link prints one sign-in URL whose code is stored only as a hash, in a 0600 file, and works once', async (t) => {
  const dir = t.testdir();
  const out: string[] = [];
  const err: string[] = [];
  const config = loadConfig({ DATA_DIR: dir, PORT: '8080', SIGN_IN_LINK_MINUTES: '5' });
  const code = await tokensCommand.run(['link', '--role', 'financier', '--scope', 'mitros'], { config, out: (text) => out.push(text), err: (text) => err.push(text) });
  t.equal(code, 0, err.join('\n'));
  t.equal(out.length, 1, 'one line on stdout: the URL');
  const linkCode = /^http:\/\/127\.0\.0\.1:8080\/inloggen\/([A-Za-z0-9_-]{40,})$/.exec(out[0]!)?.[1];
  t.ok(linkCode, out[0] ?? '');
  const file = join(dir, 'sign-in-links.json');
  const stored = readFileSync(file, 'utf8');
  t.notOk(stored.includes(linkCode!), 'the code itself is not stored');
  t.ok(stored.includes(createHash('sha256').update(linkCode!).digest('hex')));
  t.equal(statSync(file).mode & 0o777, 0o600);
  const token = TokenRegistry.open(config.tokensFile).list().find((record) => record.scope === 'mitros')!;
  t.match(token, { role: 'financier', scope: 'mitros' });
  const links = SignInLinks.open(file);
  t.same(links.redeem(linkCode!, new Date(Date.now() + 6 * 60_000)), { ok: false, reason: 'expired' }, 'after 5 minutes it is expired');
  t.same(links.redeem(linkCode!, new Date()), { ok: true, tokenId: token.id });
  t.same(links.redeem(linkCode!, new Date()), { ok: false, reason: 'used' });
  t.match(readFileSync(file, 'utf8'), /"usedAt"/, 'its use is recorded');
});
