/**
 * Signing in to the pages: by pasting a token or with a one-time link, into an httpOnly,
 * SameSite=Strict session cookie that only the pages (and /docs) accept; signing out ends it;
 * a form without its CSRF token is refused; revoking the token ends its sessions. The bearer
 * API is not changed by any of it.
 */
import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { csrfTokenIn, PageClient, pageWorld } from './pages.fixtures.js';

t.test('the sign-in page is a Dutch form with a CSRF field, sent with a strict Content-Security-Policy', async (t) => {
  const api = await createTestApp(t);
  const response = await new PageClient(api).get('/inloggen');
  t.equal(response.statusCode, 200);
  t.match(response.headers['content-type'], /text\/html/);
  t.match(response.body, /<html lang="nl"/);
  t.match(response.body, /Toegangscode/);
  t.ok(csrfTokenIn(response.body).length > 10);
  const csp = String(response.headers['content-security-policy']);
  t.match(csp, /default-src 'self'/);
  t.match(csp, /script-src 'none'/);
  t.notMatch(csp, /unsafe-inline/);
  t.equal(response.headers['x-frame-options'], 'SAMEORIGIN');
  t.notMatch(response.body, /<script/i, 'no scripts at all');
});

t.test('pasting a token signs in: an httpOnly, SameSite=Strict cookie with an expiry, and a 303 to the own start page', async (t) => {
  const { api } = await pageWorld(t);
  const browser = new PageClient(api);
  const signedIn = await browser.signInWithToken(api.tokens.financier('mitros'));
  t.equal(signedIn.statusCode, 303);
  t.equal(signedIn.headers.location, '/financier');
  const cookie = String(signedIn.headers['set-cookie']);
  t.match(cookie, /bwk_sessie=/);
  t.match(cookie, /HttpOnly/);
  t.match(cookie, /SameSite=Strict/);
  t.match(cookie, /Max-Age=28800/, '8 hours');
  t.notMatch(cookie, /Secure/, 'not over plain HTTP');
  const page = await browser.get('/financier');
  t.equal(page.statusCode, 200);
  t.match(page.body, /Mitros/);
});

t.test('a treasurer signs in to its own pages; the start page links the API docs, which open with the session', async (t) => {
  const api = await createTestApp(t);
  const browser = new PageClient(api);
  const signedIn = await browser.signInWithToken(api.tokens.treasurer);
  t.equal(signedIn.headers.location, '/penningmeester');
  const start = await browser.get('/start');
  t.equal(start.statusCode, 200);
  t.match(start.body, /href="\/docs"/);
  const docs = await browser.get('/docs/');
  t.equal(docs.statusCode, 200, 'the docs open in a browser with a session');
  t.equal((await new PageClient(api).get('/docs/')).statusCode, 401, 'and not without one');
  t.equal((await api.get(api.tokens.treasurer, '/docs/')).statusCode, 200, 'and still with a bearer token');
});

t.test('an unknown token is refused on the form, in Dutch, with no session', async (t) => {
  const api = await createTestApp(t);
  const browser = new PageClient(api);
  const refused = await browser.signInWithToken('bwk_not-a-real-token');
  t.equal(refused.statusCode, 401);
  t.match(refused.body, /kennen we niet/);
  t.equal((await browser.get('/start')).statusCode, 303, 'a page still sends to the sign-in page');
});

t.test('a page without a session redirects to /inloggen, and back after signing in', async (t) => {
  const { api } = await pageWorld(t);
  const browser = new PageClient(api);
  const away = await browser.get('/financier?jaar=2020');
  t.equal(away.statusCode, 303);
  t.equal(away.headers.location, '/inloggen?terug=%2Ffinancier%3Fjaar%3D2020');
  const form = await browser.get(String(away.headers.location));
  const signedIn = await browser.postForm('/inloggen', { token: api.tokens.financier('mitros'), terug: '/financier?jaar=2020', _csrf: csrfTokenIn(form.body) });
  t.equal(signedIn.headers.location, '/financier?jaar=2020');
  const elsewhere = await new PageClient(api).signInWithToken(api.tokens.treasurer);
  t.equal(elsewhere.headers.location, '/penningmeester', 'without terug: the own start page');
  const form2 = await browser.get('/inloggen');
  const offsite = await new PageClient(api).postForm('/inloggen', { token: api.tokens.treasurer, terug: '//evil.example/', _csrf: csrfTokenIn(form2.body) });
  t.not(offsite.headers.location, '//evil.example/', 'never sent off the site');
});

t.test('a one-time link signs in once and redirects to the own page; used twice or expired it is refused', async (t) => {
  const { api } = await pageWorld(t);
  const tokenId = api.registry.create({ role: 'financier', scope: 'mitros', name: 'sign-in link' }).record.id;
  const code = api.signInLinks.create(tokenId, api.clock(), 15);
  const browser = new PageClient(api);
  const signedIn = await browser.get(`/inloggen/${code}`);
  t.equal(signedIn.statusCode, 303);
  t.equal(signedIn.headers.location, '/financier');
  t.equal((await browser.get('/financier')).statusCode, 200);

  const again = new PageClient(api);
  const reused = await again.get(`/inloggen/${code}`);
  t.equal(reused.statusCode, 410);
  t.match(reused.body, /al gebruikt/);
  t.equal((await again.get('/financier')).statusCode, 303, 'no session from a used link');

  const late = api.signInLinks.create(tokenId, api.clock(), 15);
  api.clock.set(new Date(api.clock().getTime() + 16 * 60_000).toISOString());
  const expired = await new PageClient(api).get(`/inloggen/${late}`);
  t.equal(expired.statusCode, 410);
  t.match(expired.body, /verlopen/);

  const unknown = await new PageClient(api).get('/inloggen/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  t.equal(unknown.statusCode, 404);
});

t.test('signing out ends the session', async (t) => {
  const { api } = await pageWorld(t);
  const browser = new PageClient(api);
  await browser.signInWithToken(api.tokens.financier('mitros'));
  const out = await browser.signOut();
  t.equal(out.statusCode, 303);
  t.equal(out.headers.location, '/inloggen?uit=1');
  t.match((await browser.get('/inloggen?uit=1')).body, /uitgelogd/);
  t.equal((await browser.get('/financier')).statusCode, 303, 'the page asks to sign in again');
});

t.test('a form posted without its CSRF token (or with a wrong one) is refused with a Dutch message', async (t) => {
  const { api } = await pageWorld(t);
  const browser = new PageClient(api);
  await browser.get('/inloggen');
  const noToken = await browser.postForm('/inloggen', { token: api.tokens.financier('mitros') });
  t.equal(noToken.statusCode, 403);
  t.match(noToken.body, /formulier is verlopen/);
  const wrong = await browser.postForm('/inloggen', { token: api.tokens.financier('mitros'), _csrf: 'forged' });
  t.equal(wrong.statusCode, 403);
  t.equal((await browser.get('/financier')).statusCode, 303, 'not signed in');

  await browser.signInWithToken(api.tokens.financier('mitros'));
  const signOut = await browser.postForm('/uitloggen', {});
  t.equal(signOut.statusCode, 403, 'sign-out without the token is refused too');
  t.equal((await browser.get('/financier')).statusCode, 200, 'and the session goes on');
});

t.test("revoking a token ends its sessions at the next request", async (t) => {
  const { api } = await pageWorld(t);
  const created = api.registry.create({ role: 'financier', scope: 'mitros' });
  const browser = new PageClient(api);
  await browser.signInWithToken(created.token);
  t.equal((await browser.get('/financier')).statusCode, 200);
  api.registry.revoke(created.record.id);
  t.equal((await browser.get('/financier')).statusCode, 303);
  t.equal((await browser.get('/docs/')).statusCode, 401);
});

t.test('the session is for pages only: the bearer API ignores it and still wants a token', async (t) => {
  const { api } = await pageWorld(t);
  const browser = new PageClient(api);
  await browser.signInWithToken(api.tokens.treasurer);
  const invoices = await browser.get('/invoices');
  t.equal(invoices.statusCode, 401, 'a cookie is no bearer token for the API');
  t.match(invoices.headers['content-type'], /problem\+json/);
  t.equal((await api.get(api.tokens.treasurer, '/invoices')).statusCode, 200);
  t.notOk(invoices.headers['content-security-policy'], 'the API answers without page headers, as before');
});
