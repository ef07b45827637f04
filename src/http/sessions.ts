import type { FastifyInstance, FastifyRequest } from 'fastify';
import secureSession, { type Session } from '@fastify/secure-session';
import type { CookieSerializeOptions } from '@fastify/cookie';

export interface PageSessionOptions {
  readonly key: Buffer;
  readonly cookieName: string;
  /** Seconds a session stays valid after it was last changed. */
  readonly expiry: number;
  readonly cookie: CookieSerializeOptions;
}

/**
 * The session a request decoded, once something asked for it (null: nobody did; undefined in the
 * contexts registered before the decorator, /docs: fastify copies a context's decorators when the
 * context is made).
 */
const decodedSession = Symbol('decoded page session');

declare module 'fastify' {
  interface FastifyRequest {
    [decodedSession]?: Session | null;
  }
}

/** @fastify/secure-session's codec and @fastify/cookie's parser and serialiser, as decorated. */
interface SessionCodec {
  decode(cookie: string | undefined, request: FastifyRequest): Session | null;
  encode(session: Session): string;
  empty(): Session;
  parseCookie(header: string): Record<string, string | undefined>;
  serializeCookie(name: string, value: string, options: Parameters<FastifyInstance['serializeCookie']>[2]): string;
}

/**
 * Page sessions (an encrypted cookie holding the id of the token a person signed in with), as
 * @fastify/secure-session makes them, but decoded only when a request asks for `request.session`:
 * the page routes, the documents a page links to, /docs and signing in (the auth hook and the
 * handlers ask). Registered as a plugin, secure-session and @fastify/cookie add three hooks to
 * every request (parse the cookies, decrypt the session or make an empty one, an onSend for each)
 * that the bearer API never uses, at thousands of reads a second.
 *
 * The cookie is secure-session's own (its sodium secretbox, key and expiry): it is registered in a
 * context of its own with no routes, for its codec only, so sessions made before stay valid.
 */
export async function registerPageSessions(app: FastifyInstance, options: PageSessionOptions): Promise<void> {
  const codec = await sessionCodec(app, options);
  app.decorateRequest(decodedSession, null);
  app.decorateRequest('session', {
    getter(this: FastifyRequest): Session {
      let session = this[decodedSession];
      if (session == null) {
        const header = this.headers.cookie;
        session = (header === undefined ? null : codec.decode(codec.parseCookie(header)[options.cookieName], this)) ?? codec.empty();
        this[decodedSession] = session;
      }
      return session;
    },
  });
  // What secure-session's onSend did, for the requests that decoded a session: a changed one is
  // written back, a deleted one cleared. Every other request returns at the first test.
  app.addHook('onSend', (request, reply, _payload, done) => {
    const session = request[decodedSession];
    if (session == null || !session.changed) return done();
    // @fastify/cookie's setCookie: sameSite defaults to lax, and `secure: 'auto'` follows the protocol.
    const { secure, ...attributes } = options.cookie;
    const cookie = { sameSite: 'lax' as const, ...attributes, ...(secure === undefined ? {} : { secure: secure === 'auto' ? request.protocol === 'https' : secure }) };
    const value = session.deleted ? codec.serializeCookie(options.cookieName, '', { ...cookie, expires: new Date(0), maxAge: 0 }) : codec.serializeCookie(options.cookieName, codec.encode(session), cookie);
    reply.header('set-cookie', value);
    done();
  });
}

async function sessionCodec(app: FastifyInstance, options: PageSessionOptions): Promise<SessionCodec> {
  let codec: SessionCodec | undefined;
  // Not wrapped with fastify-plugin: the hooks secure-session adds stay in this context, which has no routes.
  await app.register(async (codecOnly) => {
    await codecOnly.register(secureSession, { key: options.key, cookieName: options.cookieName, expiry: options.expiry, cookie: { ...options.cookie } });
    codec = {
      decode: (cookie, request) => codecOnly.decodeSecureSession(cookie as string, request.log),
      encode: (session) => codecOnly.encodeSecureSession(session),
      empty: () => codecOnly.createSecureSession({}),
      parseCookie: (header) => codecOnly.parseCookie(header),
      serializeCookie: (name, value, cookieOptions) => codecOnly.serializeCookie(name, value, cookieOptions),
    };
  });
  if (codec === undefined) throw new Error('the page session codec was not registered');
  return codec;
}
