import t from 'tap';
import { request as httpRequest, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestApp } from '../helpers/app.js';

/**
 * A kept-alive connection authenticates a token once and recognises the same header after
 * (src/http/auth.ts, `bearerPrincipal`). Through a real socket, since injected requests have none
 * of their own to keep.
 */
t.test('one kept-alive connection: another token is its own principal, and a revoked token is refused at once', async (t) => {
  const { app, registry, tokens } = await createTestApp(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  t.teardown(() => agent.destroy());
  const get = (token: string, path: string) =>
    new Promise<{ status: number; localPort: number | undefined }>((resolve, reject) => {
      const sent = httpRequest({ host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${token}` } }, (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, localPort: response.socket?.localPort }));
      });
      sent.on('error', reject);
      sent.end();
    });

  const created = await registry.create({ role: 'treasurer', name: 'Tweede penningmeester' });
  const first = await get(created.token, '/pledges');
  t.equal(first.status, 200, 'the treasurer reads pledges');
  const other = await get(tokens.kascommissie, '/pledges');
  t.equal(other.localPort, first.localPort, 'on the same connection');
  t.equal(other.status, 403, "the next request's token is authenticated as its own (the kascommissie may not read pledges)");
  t.equal((await get('bwk_not-a-token', '/pledges')).status, 401, 'an unknown token is refused on it');
  t.equal((await get(created.token, '/pledges')).status, 200, 'the treasurer again');
  await registry.revoke(created.record.id);
  const revoked = await get(created.token, '/pledges');
  t.equal(revoked.localPort, first.localPort, 'still the same connection');
  t.equal(revoked.status, 401, 'the revoked token is refused on the very next request');
  t.equal((await get(tokens.treasurer, '/pledges')).status, 200, 'another valid token still reads');
});
