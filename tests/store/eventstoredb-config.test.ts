import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';

t.test('EVENTSTORE_URL_FILE: the connection string (with its password) comes from a secret file', async (t) => {
  const file = join(t.testdir(), 'eventstore_url');
  writeFileSync(file, 'esdb://admin:s3cret@node1:2113,node2:2113?tls=true\n');
  const config = loadConfig({ STORE: 'eventstoredb', EVENTSTORE_URL_FILE: file });
  t.equal(config.EVENTSTORE_URL, 'esdb://admin:s3cret@node1:2113,node2:2113?tls=true', 'read and trimmed');
  t.equal(loadConfig({ STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://other:2113', EVENTSTORE_URL_FILE: file }).EVENTSTORE_URL, 'esdb://other:2113', 'an explicit EVENTSTORE_URL wins');
});

t.test('an unreadable EVENTSTORE_URL_FILE stops start-up naming the setting and the file', async (t) => {
  const missing = join(t.testdir(), 'absent');
  t.throws(() => loadConfig({ STORE: 'eventstoredb', EVENTSTORE_URL_FILE: missing }), ConfigError);
  t.throws(() => loadConfig({ STORE: 'eventstoredb', EVENTSTORE_URL_FILE: missing }), { message: new RegExp(`EVENTSTORE_URL_FILE: cannot read ${missing}`) });
});
