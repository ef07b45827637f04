import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import { pino, type Logger } from 'pino';

declare module 'fastify' {
  interface FastifyRequest {
    /** What the route did, for the request's one log line (see `logOutcome`). */
    outcome?: Readonly<Record<string, unknown>>;
  }
}

/**
 * Puts what a route did (`done: 'volunteer hours recorded'`, ids and figures; never names) into
 * its request's one log line instead of a line of its own: a second line per write was 4% of a
 * write's CPU at thousands of writes a second.
 */
export function logOutcome(request: FastifyRequest, done: string, fields: Readonly<Record<string, unknown>>): void {
  request.outcome = { done, ...fields };
}

/** What the line of an answered request says. */
export interface RequestCompleted {
  readonly method: string;
  readonly url: string;
  readonly statusCode: number;
  readonly responseTime: number;
  readonly outcome?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The logger options whose lines `requestCompletedLine` writes byte for byte as pino would: pino's
 * defaults (no formatters, timestamp, mixin, message key or serializers of our own) with a level,
 * a stream and the redaction buildApp adds (which never applies to this line: it has no headers).
 */
export function plainPinoOptions(options: FastifyServerOptions['logger']): boolean {
  return typeof options === 'object' && options !== null && Object.keys(options).every((key) => key === 'level' || key === 'stream' || key === 'redact');
}

/**
 * The request's line as pino writes `log.info({ req, res, responseTime, outcome }, 'request
 * completed')` through fastify's req/res serializers, built as one template string. pino's
 * generic path (serializers, redaction's clone, its key-by-key JSON) was 8% of a read's CPU;
 * this is under 2%. `chindings` is the child logger's bound fields (`,"pid":…,"hostname":…,"reqId":…`).
 */
export function requestCompletedLine(chindings: string, time: number, line: RequestCompleted): string {
  const outcome = line.outcome === undefined ? '' : `,"outcome":${JSON.stringify(line.outcome)}`;
  return (
    `{"level":30,"time":${time}${chindings},"req":{"method":${JSON.stringify(line.method)},"url":${JSON.stringify(line.url)}},` +
    `"res":{"statusCode":${line.statusCode}},"responseTime":${line.responseTime}${outcome},"msg":"request completed"}\n`
  );
}

type PinoInternals = Logger & { [pino.symbols.chindingsSym]?: string; [pino.symbols.streamSym]?: { write(line: string): unknown } };

/**
 * One log line per request, when it is answered, instead of fastify's two (incoming, completed):
 * at thousands of writes a second, formatting and writing log lines was a tenth of each request's
 * CPU. The line has what the two had that an operator uses: method, url, status, time, request id
 * (pino's `reqId`). Headers are never in it (no token), and public routes log their pattern,
 * so a sign-in link's one-time code (`/inloggen/:code`) is not written to the log either.
 *
 * `plainLines`: the logger has pino's default format (`plainPinoOptions`), so the line is written
 * straight to its stream (`requestCompletedLine`); otherwise through the logger.
 */
export function registerRequestLog(app: FastifyInstance, plainLines: boolean): void {
  // A callback hook, not an async one: no promise and no extra microtask on every request.
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions; // a new object on every access: read once
    const isPublic = route.config?.access === 'public';
    const url = isPublic ? (route.url ?? request.url) : request.url;
    const log = request.log as unknown as PinoInternals;
    const stream = plainLines ? log[pino.symbols.streamSym] : undefined;
    const chindings = log[pino.symbols.chindingsSym];
    if (stream !== undefined && chindings !== undefined) {
      if (log.isLevelEnabled('info')) {
        stream.write(requestCompletedLine(chindings, Date.now(), { method: request.method, url, statusCode: reply.statusCode, responseTime: reply.elapsedTime, outcome: request.outcome }));
      }
    } else {
      request.log.info(
        {
          req: { method: request.method, url },
          res: { statusCode: reply.statusCode },
          responseTime: reply.elapsedTime,
          ...(request.outcome === undefined ? {} : { outcome: request.outcome }),
        },
        'request completed',
      );
    }
    done();
  });
}
