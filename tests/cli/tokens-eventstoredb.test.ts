/**
 * `tokens ...` with STORE=eventstoredb goes to the node, never to the tokens file: with the node out
 * of reach it fails with a storage error (after the store's retries) and leaves no tokens file
 * behind. What it does against a node is tested over the fake client in tests/auth/esdb-tokens.test.ts.
 */
import t from 'tap';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tokensCommand } from '../../src/cli/commands/tokens.js';
import { loadConfig } from '../../src/config.js';

t.test('tokens create on EventStoreDB with the node unreachable: a storage error, no tokens file', async (t) => {
  const dir = t.testdir();
  // Port 1 on this machine: nothing listens, so every call fails as Unavailable.
  const config = loadConfig({ DATA_DIR: dir, STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://127.0.0.1:1?tls=false' });
  const out: string[] = [];
  const run = tokensCommand.run(['create', '--role', 'treasurer'], { config, out: (line) => out.push(line), err: (line) => out.push(line) });
  await t.rejects(run, { code: 'ESDB_UNAVAILABLE', message: /ledger-tokens/ });
  t.notOk(existsSync(join(dir, 'tokens.json')), 'the tokens file was not used');
  t.same(out, [], 'no token was shown');
});
