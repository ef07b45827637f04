import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { PageClient } from '../pages/pages.fixtures.js';

/**
 * Page sessions are decoded only where a request asks for one (src/http/sessions.ts): the cookie
 * is still set as before, pages take it, and the bearer API neither takes it nor answers with one.
 */
t.test('a page session: the same cookie as before, taken by pages, ignored by the bearer API', async (t) => {
  const api = await createTestApp(t);
  const browser = new PageClient(api);
  const signedIn = await browser.signInWithToken(api.tokens.treasurer);
  t.equal(signedIn.statusCode, 303);
  const setCookie = String(signedIn.headers['set-cookie']);
  t.match(setCookie, /^bwk_sessie=[^;]+;/, 'the session cookie is set on signing in');
  for (const attribute of ['Max-Age=28800', 'Path=/', 'HttpOnly', 'SameSite=Strict']) t.ok(setCookie.includes(attribute), attribute);
  t.notOk(setCookie.includes('Secure'), 'not Secure over plain http (secure: auto)');
  t.equal((await browser.get('/start')).statusCode, 200, 'a page takes the session');

  const cookie = `bwk_sessie=${encodeURIComponent(/^bwk_sessie=([^;]+)/.exec(setCookie)![1]!)}`;
  const sessionOnly = await api.app.inject({ method: 'GET', url: '/pledges', headers: { cookie } });
  t.equal(sessionOnly.statusCode, 401, 'the bearer API does not take a page session');
  const asKascommissie = await api.app.inject({ method: 'GET', url: '/pledges', headers: { cookie, authorization: `Bearer ${api.tokens.kascommissie}` } });
  t.equal(asKascommissie.statusCode, 403, "the bearer token decides, not the treasurer's session beside it");
  const asTreasurer = await api.app.inject({ method: 'GET', url: '/pledges', headers: { cookie, authorization: `Bearer ${api.tokens.treasurer}` } });
  t.equal(asTreasurer.statusCode, 200);
  t.equal(asTreasurer.headers['set-cookie'], undefined, 'and an API answer sets no cookie');

  const signedOut = await browser.signOut('/start');
  t.equal(signedOut.statusCode, 303);
  t.match(String(signedOut.headers['set-cookie']), /^bwk_sessie=;.*Max-Age=0/, 'signing out clears the cookie');
  t.notOk(browser.hasSessionCookie);
  t.equal((await browser.get('/start')).statusCode, 303, 'and the page sends the browser to sign in again');
});
