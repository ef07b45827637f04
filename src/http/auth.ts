import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import type {} from '@fastify/secure-session';
import type { Principal, Role, TokenLookup } from '../auth/tokens.js';
import { HttpProblem, problem } from './problem.js';

/** What a route declares in `config.access`: the roles it admits, or 'public' (/health, signing in, static files). */
export type RouteAccess = 'public' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /**
     * 'page': a page for a browser (a session cookie is accepted; without one it redirects to
     * /inloggen). 'document': an API route a page links to (a session is accepted besides a
     * bearer token). Without it, a route takes bearer tokens only, exactly as before.
     */
    session?: 'page' | 'document';
  }
  interface FastifyRequest {
    principal?: Principal;
    /** The bearer token's principal, once looked up (null: none or not valid); see `authenticate`. */
    bearerPrincipal?: Principal | null;
  }
}

export function unauthenticated(detail: string): HttpProblem {
  return new HttpProblem(problem(401, 'UNAUTHENTICATED', detail));
}

export function forbidden(detail: string): HttpProblem {
  return new HttpProblem(problem(403, 'FORBIDDEN', detail));
}

/** The principal of an authenticated route (the hook guarantees one). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthenticated('a bearer token is required');
  return request.principal;
}

/**
 * A financier sees only its own data, a team leader only its own room: routes with a scoped
 * resource call this with the resource's owner.
 */
export function assertScope(request: FastifyRequest, role: 'financier' | 'teamleader', ownerId: string): void {
  const principal = principalOf(request);
  if (principal.role === role && principal.scope !== ownerId) {
    throw forbidden(`this token may only see ${role === 'financier' ? 'financier' : 'room'} ${principal.scope}`);
  }
}

/** The token of an `Authorization: Bearer <token>` header, if the request has one. */
export function bearerTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
}

/**
 * The rate limiter's bucket: a valid token's own (each treasurer, accountant or financier has its
 * budget), else the caller's address. Keying by the header itself would give every made-up token
 * a fresh budget.
 */
export function rateLimitKeyOf(request: FastifyRequest, tokens: TokenLookup): string {
  const principal = authenticate(request, tokens);
  return principal ? `token:${principal.tokenId}` : `address:${request.ip}`;
}

/**
 * The principal of the request's bearer token, or undefined (no token, unknown or revoked). The
 * rate limiter and the auth hook both ask; the token is hashed and compared once per request.
 * Kept on the request, not in a WeakMap keyed by it: a WeakMap entry per request was 1% of a
 * read's CPU (ephemeron table inserts, and their garbage collection).
 */
function authenticate(request: FastifyRequest, tokens: TokenLookup): Principal | undefined {
  let principal = request.bearerPrincipal;
  if (principal === undefined) {
    principal = bearerPrincipal(request, tokens) ?? null;
    request.bearerPrincipal = principal;
  }
  return principal ?? undefined;
}

/** The Authorization header a kept-alive connection last authenticated with, and its token's id. */
const connectionBearer = Symbol('bearer of this connection');
interface ConnectionBearer {
  readonly header: Buffer;
  readonly tokenId: string;
}

/**
 * A client keeps its connection open and sends the same token on every request: the token is
 * hashed and compared with every record once per connection, not once per request (the hash was
 * 3% of a read's CPU). A later request presenting the very same header, compared in constant time
 * like the hashes, is its token's principal by id: `principalById` answers from the records as
 * they are now, so a revoked token is refused on the next request, kept-alive connection or not.
 * Any other header is authenticated in full. The header stays only as long as its connection.
 */
function bearerPrincipal(request: FastifyRequest, tokens: TokenLookup): Principal | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const connection = request.raw.socket as (Socket & { [connectionBearer]?: ConnectionBearer }) | undefined;
  const remembered = connection?.[connectionBearer];
  if (remembered !== undefined) {
    // The remembered header is a well-formed bearer header: the same one needs no parsing.
    const presented = Buffer.from(header);
    if (presented.length === remembered.header.length && timingSafeEqual(presented, remembered.header)) return tokens.principalById(remembered.tokenId);
  }
  const token = bearerTokenOf(request);
  if (token === undefined) return undefined;
  const principal = tokens.authenticate(token);
  if (principal && connection) connection[connectionBearer] = { header: Buffer.from(header), tokenId: principal.tokenId };
  return principal;
}

declare module '@fastify/secure-session' {
  /** What a page session holds: the id of the token it signed in as, never the token itself. */
  interface SessionData {
    tokenId: string;
  }
}

/**
 * The principal of the request's page session: its token must still exist and not be revoked,
 * asked on every request, so revoking a token ends its sessions at once.
 */
function sessionPrincipal(request: FastifyRequest, tokens: TokenLookup): Principal | undefined {
  // Undefined only if the session plugin was not registered (it always is, by buildApp).
  const session = request.session as FastifyRequest['session'] | undefined;
  const tokenId = session?.get('tokenId');
  if (tokenId === undefined) return undefined;
  const principal = tokens.principalById(tokenId);
  if (!principal) session?.delete();
  return principal;
}

/**
 * Every route must declare who may call it; registering one that does not is a programming
 * error caught at start-up, not a route left open by accident.
 */
export function registerAuth(app: FastifyInstance, tokens: TokenLookup): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const access = route.config?.access;
    const isFrameworkRoute = route.method === 'HEAD' || route.url.startsWith('/docs');
    if (access === undefined && !isFrameworkRoute) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no access (config.access)`);
    }
  });

  // A callback hook, not an async one: every request passes here, and a promise per request
  // (with its microtask) is measurable at thousands of reads a second.
  app.addHook('onRequest', (request, reply, done) => {
    let answered: boolean;
    try {
      answered = authorize(request, reply, tokens);
    } catch (error) {
      done(error as Error);
      return;
    }
    // A redirect to the sign-in page was sent: the request ends there.
    if (!answered) done();
  });
}

/**
 * Sets `request.principal` or throws 401/403; true when it answered the request itself (a page
 * without a session redirects to /inloggen).
 */
function authorize(request: FastifyRequest, reply: FastifyReply, tokens: TokenLookup): boolean {
  // fastify builds a new routeOptions object (a dozen fields) on every access: read it once.
  const route = request.routeOptions;
  const access = route.config?.access;
  if (access === 'public') return false;
  const sessionUse = route.config?.session ?? (access === undefined && request.url.startsWith('/docs') ? 'document' : undefined);
  // The rate limiter has already looked the bearer token up: a valid one needs no parsing here.
  let principal = authenticate(request, tokens);
  const bearerSent = principal !== undefined || bearerTokenOf(request) !== undefined;
  if (bearerSent || sessionUse === undefined) {
    if (!bearerSent) throw unauthenticated('send Authorization: Bearer <token>');
    if (!principal) throw unauthenticated('the token is unknown or revoked');
  } else {
    principal = sessionPrincipal(request, tokens);
    if (!principal) {
      if (sessionUse === 'page') {
        reply.redirect(`/inloggen?terug=${encodeURIComponent(request.url)}`, 303);
        return true;
      }
      throw unauthenticated('send Authorization: Bearer <token>, or sign in on /inloggen');
    }
  }
  request.principal = principal;
  if (request.is404) return false; // the not-found handler answers 404 to an authenticated caller
  // The docs pages (registered by @fastify/swagger-ui, without a config) are for every role.
  const isDocsPage = access === undefined && request.url.startsWith('/docs');
  if (!isDocsPage && (access === undefined || !access.includes(principal.role))) {
    throw forbidden(`role ${principal.role} may not call ${request.method} ${route.url ?? request.url}`);
  }
  return false;
}
