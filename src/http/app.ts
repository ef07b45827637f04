import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { randomBytes } from 'node:crypto';
import { jsonSchemaTransform, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { validatorCompiler } from './cached-validation.js';
import { serializerCompiler } from './compiled-serializer.js';
import { ROLES } from '../auth/tokens.js';
import { registerAuth } from './auth.js';
import { DEFAULT_RATE_LIMITS, registerRateLimits, type RateLimits } from './rate-limits.js';
import { registerIdempotency } from './idempotency.js';
import { registerPageSessions } from './sessions.js';
import { registerJsonBodyParser } from './json-body.js';
import { plainPinoOptions, registerRequestLog, requestLoggers } from './request-log.js';
import { StoreHealth } from '../store/health.js';
import { errorHandler, problem, sendProblem } from './problem.js';
import type { AppServices } from './services.js';
import { ROUTE_PLUGINS } from './routes/index.js';
import { pagePlugin } from '../pages/plugin.js';

export interface BuildAppOptions {
  /** pino options, or false for silence in tests. Authorization headers are always redacted. */
  readonly logger?: FastifyServerOptions['logger'];
  /** Any of the three budgets; the others keep their defaults (DEFAULT_RATE_LIMITS). */
  readonly rateLimits?: Partial<RateLimits>;
  readonly bodyLimitBytes?: number;
}

/** Builds the whole HTTP API around the given services. Never listens: main.ts does, tests inject. */
export async function buildApp(given: AppServices, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  // One health for /health and the error handler: damage a request meets is reported by /health.
  const services: AppServices = { ...given, storeHealth: given.storeHealth ?? new StoreHealth(given.store) };
  const app = Fastify({
    logger:
      options.logger === false || options.logger === undefined
        ? false
        : {
            ...(typeof options.logger === 'object' ? options.logger : {}),
            redact: { paths: ['req.headers.authorization', 'req.headers["idempotency-key"]'], censor: '[redacted]' },
          },
    bodyLimit: options.bodyLimitBytes ?? 5 * 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    // registerRequestLog writes one line per request instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // A request's pino child is made only if the request logs a line of its own (requestLoggers).
    ...(options.logger === false || options.logger === undefined || !plainPinoOptions(options.logger) ? {} : { childLoggerFactory: requestLoggers }),
  }).withTypeProvider<ZodTypeProvider>();
  registerRequestLog(app, plainPinoOptions(options.logger));

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const errorContext = {
    ...(services.store.location === undefined ? {} : { storeLocation: services.store.location }),
    onDamage: (reason: string) => services.storeHealth?.recordDamage(reason),
  };
  app.setErrorHandler<FastifyError>((error, request, reply) => errorHandler(error, request, reply, errorContext));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem(404, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
  registerJsonBodyParser(app);
  // camt.053 statements arrive as XML: keep the raw text, the route parses it.
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string' }, (_request, body, done) => done(null, body));

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'BuurtWerkKamer ledger',
        description: 'Event-sourced ledger of the BuurtWerkKamer Coöperatie. Money is a string with two decimals.',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await registerRateLimits(app, services.tokens, { ...DEFAULT_RATE_LIMITS, ...options.rateLimits });
  // Page sessions: an encrypted cookie holding only a token id, decoded when asked for: the auth
  // hook asks for page routes, documents and /docs only; the bearer API never looks at it.
  const sessionHours = services.sessionHours ?? 8;
  await registerPageSessions(app, {
    key: services.sessionKey ?? randomBytes(32),
    cookieName: 'bwk_sessie',
    expiry: Math.round(sessionHours * 3600),
    cookie: { path: '/', httpOnly: true, sameSite: 'strict', secure: 'auto', maxAge: Math.round(sessionHours * 3600) },
  });
  registerAuth(app, services.tokens);
  registerIdempotency(app, services.store);

  for (const plugin of ROUTE_PLUGINS) await app.register(plugin, { services });
  await app.register(pagePlugin, { services });
  app.get(
    '/openapi.json',
    // Any token may read the contract; only /health answers without one (api.md).
    { config: { access: ROLES }, schema: { hide: true } },
    async () => app.swagger(),
  );
  await app.ready();
  return app;
}
