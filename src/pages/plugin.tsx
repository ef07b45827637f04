import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyError, FastifyRequest } from 'fastify';
import formBody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import csrfProtection from '@fastify/csrf-protection';
import { z } from 'zod';
import { ROLES, type Principal } from '../auth/tokens.js';
import { principalOf } from '../http/auth.js';
import { HttpProblem, STATUS_FOR_CODE } from '../http/problem.js';
import { DomainError } from '../domain/errors.js';
import type { RoutePlugin } from '../http/services.js';
import { financierPageRoutes } from './financier-routes.js';
import { treasurerPageRoutes } from './treasurer/routes.js';
import { teamleaderPageRoutes } from './teamleader/routes.js';
import { accountantPageRoutes } from './accountant-routes.js';
import { renderPage, sendHtml } from './layout.js';
import { MessagePage, SignInPage } from './sign-in.js';
import { nl } from './text/nl.js';
import { PAGES_CSS } from './pages-css.js';
import { storageFaultOf } from '../store/faults.js';

const require = createRequire(import.meta.url);

/** The stylesheets the pages use, served from node_modules (no CDN) and read once at start. */
const STYLESHEETS: Record<string, () => Buffer | string> = {
  '/static/tokens/theme.css': () => readFileSync(require.resolve('@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css')),
  '/static/utrecht/index.css': () => readFileSync(require.resolve('@utrecht/component-library-css/dist/index.css')),
  '/static/pages.css': () => PAGES_CSS,
};

/** A page session may only send a person back to a path on this site. */
function localPath(candidate: string | undefined): string | undefined {
  return candidate !== undefined && /^\/(?![/\\])[^\s\\]*$/.test(candidate) ? candidate : undefined;
}

/** Where a person lands after signing in: a financier on its own page, the others on a start page. */
export function startPathOf(principal: Principal): string {
  const start: Partial<Record<Principal['role'], string>> = { financier: '/financier', treasurer: '/penningmeester', teamleader: '/kamer', accountant: '/accountant' };
  return start[principal.role] ?? '/start';
}

function signIn(request: FastifyRequest, principal: Principal): void {
  // A fresh session (and CSRF secret) at every sign-in, so a session planted before cannot be ridden.
  request.session.regenerate();
  request.session.set('tokenId', principal.tokenId);
}

function errorMessageFor(status: number, code: string | undefined): string {
  if (code?.startsWith('FST_CSRF')) return nl.errors.csrf;
  if (status === 403) return nl.errors.forbidden;
  if (status === 404) return nl.errors.notFound;
  if (status === 429) return nl.errors.tooMany;
  if (status >= 400 && status < 500) return nl.errors.badRequest;
  return nl.errors.server;
}

const SignInBody = z.object({ token: z.string().max(500).optional(), terug: z.string().max(500).optional(), _csrf: z.string().optional() });
const SignInQuery = z.object({ terug: z.string().max(500).optional(), uit: z.literal('1').optional() });
const LinkParams = z.object({ code: z.string().max(200) });

/**
 * The pages, in Dutch, for a browser: signing in (a pasted token or a one-time link), signing out,
 * and each role's pages. Their own context: form bodies, CSRF checks, security headers with a
 * strict Content-Security-Policy and HTML errors apply here and never to the bearer API.
 */
export const pagePlugin: RoutePlugin = async (app, { services }) => {
  const { tokens, clock } = services;
  await app.register(formBody);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
  });
  await app.register(csrfProtection, { sessionPlugin: '@fastify/secure-session' });

  app.setErrorHandler<FastifyError>((error, request, reply) => {
    const fault = storageFaultOf(error);
    // A store out of reach (a sign-in link redeemed while the node fails over) is 503 here as on the API, not a 500.
    const storageStatus = fault ? (fault.kind === 'full' ? 507 : 503) : undefined;
    const status =
      error instanceof HttpProblem ? error.problem.status : error instanceof DomainError ? STATUS_FOR_CODE[error.code] : (storageStatus ?? error.statusCode ?? 500);
    if (status >= 500) request.log.error({ err: error }, 'page failed');
    const page = <MessagePage title={nl.errors.title} message={errorMessageFor(status, error.code)} links={[{ href: '/inloggen', text: nl.errors.back }]} />;
    return sendHtml(reply, renderPage(page), status);
  });

  for (const [path, load] of Object.entries(STYLESHEETS)) {
    const css = load();
    app.get(path, { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css),
    );
  }

  app.get('/inloggen', { config: { access: 'public' }, schema: { hide: true, querystring: SignInQuery } }, async (request, reply) => {
    const back = localPath(request.query.terug);
    const page = (
      <SignInPage csrfToken={reply.generateCsrf()} {...(back === undefined ? {} : { back })} {...(request.query.uit === '1' ? { notice: nl.signIn.signedOut } : {})} />
    );
    return sendHtml(reply, renderPage(page));
  });

  app.post(
    '/inloggen',
    { config: { access: 'public' }, schema: { hide: true, body: SignInBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const presented = request.body.token?.trim() ?? '';
      const principal = presented === '' ? undefined : tokens.authenticate(presented);
      if (!principal) {
        request.log.info('sign-in refused: unknown or revoked token');
        const back = localPath(request.body.terug);
        const page = (
          <SignInPage csrfToken={reply.generateCsrf()} error={presented === '' ? nl.signIn.emptyToken : nl.signIn.unknownToken} {...(back === undefined ? {} : { back })} />
        );
        return sendHtml(reply, renderPage(page), 401);
      }
      signIn(request, principal);
      request.log.info({ token: principal.tokenId, role: principal.role }, 'signed in with a pasted token');
      return reply.redirect(localPath(request.body.terug) ?? startPathOf(principal), 303);
    },
  );

  app.get('/inloggen/:code', { config: { access: 'public' }, schema: { hide: true, params: LinkParams } }, async (request, reply) => {
    const outcome = services.signInLinks ? await services.signInLinks.redeem(request.params.code, clock()) : ({ ok: false, reason: 'unknown' } as const);
    // A link made on another instance (or by the CLI) may name a token this one has not polled yet.
    if (outcome.ok && !tokens.principalById(outcome.tokenId)) await tokens.catchUp?.();
    const principal = outcome.ok ? tokens.principalById(outcome.tokenId) : undefined;
    if (!outcome.ok || !principal) {
      const reason = outcome.ok ? 'revoked' : outcome.reason;
      request.log.warn({ reason }, 'sign-in link refused');
      const message = { unknown: nl.signIn.linkUnknown, used: nl.signIn.linkUsed, expired: nl.signIn.linkExpired, revoked: nl.signIn.linkTokenRevoked }[reason];
      const status = reason === 'unknown' ? 404 : reason === 'revoked' ? 403 : 410;
      return sendHtml(reply, renderPage(<MessagePage title={nl.signIn.title} message={message} links={[{ href: '/inloggen', text: nl.signIn.title }]} />), status);
    }
    signIn(request, principal);
    request.log.info({ token: principal.tokenId, role: principal.role }, 'signed in with a one-time link');
    return reply.redirect(startPathOf(principal), 303);
  });

  app.post('/uitloggen', { config: { access: 'public' }, schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    request.session.delete();
    return reply.redirect('/inloggen?uit=1', 303);
  });

  app.get('/start', { config: { access: ROLES, session: 'page' }, schema: { hide: true } }, async (request, reply) => {
    const principal = principalOf(request);
    const page = (
      <MessagePage
        title={nl.start.title}
        message={nl.start.intro}
        signedInAs={principal.subject}
        csrfToken={reply.generateCsrf()}
        links={[{ href: '/docs', text: nl.start.docs }]}
      />
    );
    return sendHtml(reply, renderPage(page));
  });

  await app.register(financierPageRoutes, { services });
  await app.register(treasurerPageRoutes, { services });
  await app.register(teamleaderPageRoutes, { services });
  await app.register(accountantPageRoutes, { services });
};
