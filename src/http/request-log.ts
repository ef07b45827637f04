import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
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
 * building the line this way is about 1%. `chindings` is the child logger's bound fields (`,"pid":…,"hostname":…,"reqId":…`).
 */
export function requestCompletedLine(chindings: string, time: number, line: RequestCompleted): string {
  const outcome = line.outcome === undefined ? '' : `,"outcome":${JSON.stringify(line.outcome)}`;
  return (
    `{"level":30,"time":${time}${chindings},"req":{"method":${JSON.stringify(line.method)},"url":${JSON.stringify(line.url)}},` +
    `"res":{"statusCode":${line.statusCode}},"responseTime":${line.responseTime}${outcome},"msg":"request completed"}\n`
  );
}

const LINES_EVERY_MS = 10;
const LINES_AT_ONCE = 128;

/**
 * Request lines written together, every `LINES_EVERY_MS` or `LINES_AT_ONCE` lines, whichever
 * comes first: pino's destination (sonic-boom) measures and appends to its buffer on every write
 * (3 µs a line), and each of its file writes wakes a thread of libuv's pool (a futex and an
 * interrupt on this 2-core VM, 5% of a read's CPU when it was once per turn of the event loop).
 * A line waits at most 10 ms. Lines left when the app closes, or when the process exits (after
 * pino's own last flush), are written then.
 */
class RequestLines {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly flushAtExit = (): void => {
    this.flush();
    this.stream.flushSync?.();
  };

  constructor(private readonly stream: LineStream) {
    process.once('exit', this.flushAtExit);
  }

  add(line: string): void {
    const count = this.pending.push(line);
    if (count >= LINES_AT_ONCE) this.flush();
    else if (this.timer === undefined) this.timer = setTimeout(this.flush, LINES_EVERY_MS).unref();
  }

  readonly flush = (): void => {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const lines = this.pending.join('');
    this.pending = [];
    this.stream.write(lines);
  };

  close(): void {
    this.flush();
    process.removeListener('exit', this.flushAtExit);
  }
}

interface LineStream {
  write(lines: string): unknown;
  flushSync?(): void;
}

type PinoInternals = Logger & { [pino.symbols.chindingsSym]?: string; [pino.symbols.streamSym]?: LineStream };

type LogMethod = (...args: unknown[]) => void;

/**
 * A request's logger, made by `requestLoggers` instead of pino's child: the child (its bindings
 * serialised, its prototype chain set up: 2% of a read's CPU and 3% of its allocation) is made
 * only when the request logs something of its own. Most requests never do: their one line is
 * written from `chindings` (see `registerRequestLog`).
 */
class LazyRequestLogger {
  private made: Logger | undefined;
  /** What pino's child would have as its bindings (`,"pid":…,"hostname":…,"reqId":…`), or undefined when the parent has none. */
  readonly chindings: string | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Record<string, unknown>,
  ) {
    const parentChindings = (parent as PinoInternals)[pino.symbols.chindingsSym];
    const reqId = bindings['reqId'];
    this.chindings = parentChindings !== undefined && typeof reqId === 'string' && onlyRequestId(bindings) ? `${parentChindings},"reqId":${JSON.stringify(reqId)}` : undefined;
  }

  private get logger(): Logger {
    return (this.made ??= this.parent.child(this.bindings));
  }

  get level(): string {
    return this.made?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.logger.level = level;
  }

  /** A call at a level that is off makes no child (the session and CSRF plugins trace on every page request). */
  isLevelEnabled(level: string): boolean {
    return (this.made ?? this.parent).isLevelEnabled(level);
  }

  fatal(...args: unknown[]): void {
    if (this.isLevelEnabled('fatal')) (this.logger.fatal as LogMethod)(...args);
  }

  error(...args: unknown[]): void {
    if (this.isLevelEnabled('error')) (this.logger.error as LogMethod)(...args);
  }

  warn(...args: unknown[]): void {
    if (this.isLevelEnabled('warn')) (this.logger.warn as LogMethod)(...args);
  }

  info(...args: unknown[]): void {
    if (this.isLevelEnabled('info')) (this.logger.info as LogMethod)(...args);
  }

  debug(...args: unknown[]): void {
    if (this.isLevelEnabled('debug')) (this.logger.debug as LogMethod)(...args);
  }

  trace(...args: unknown[]): void {
    if (this.isLevelEnabled('trace')) (this.logger.trace as LogMethod)(...args);
  }

  /** pino's `silent` writes nothing: no child for it either. */
  silent(): void {}

  child(bindings: Record<string, unknown>, options?: Parameters<Logger['child']>[1]): FastifyBaseLogger {
    return this.logger.child(bindings, options) as unknown as FastifyBaseLogger;
  }
}

/** fastify binds the request id alone (its `requestIdLogLabel`, here the default `reqId`); checked without an array of keys. */
function onlyRequestId(bindings: Record<string, unknown>): boolean {
  for (const key in bindings) if (key !== 'reqId') return false;
  return true;
}

/**
 * fastify's `childLoggerFactory` for a pino logger with pino's default format
 * (`plainPinoOptions`): requests get a `LazyRequestLogger`. A route with a log level or
 * serialisers of its own gets pino's child at once, as fastify would make it.
 */
export const requestLoggers: NonNullable<FastifyServerOptions['childLoggerFactory']> = function (logger, bindings, options) {
  if (options.level !== undefined || options.serializers !== undefined) return logger.child(bindings, options);
  return new LazyRequestLogger(logger as unknown as Logger, bindings) as unknown as FastifyBaseLogger;
};

/**
 * One log line per request, when it is answered, instead of fastify's two (incoming, completed):
 * at thousands of writes a second, formatting and writing log lines was a tenth of each request's
 * CPU. The line has what the two had that an operator uses: method, url, status, time, request id
 * (pino's `reqId`). Headers are never in it (no token), and public routes log their pattern,
 * so a sign-in link's one-time code (`/inloggen/:code`) is not written to the log either.
 *
 * `plainLines`: the logger has pino's default format (`plainPinoOptions`), so the line is written
 * straight to its stream (`requestCompletedLine`), with the other request lines of the last few
 * milliseconds (`RequestLines`); otherwise through the logger.
 */
export function registerRequestLog(app: FastifyInstance, plainLines: boolean): void {
  const stream = plainLines ? (app.log as unknown as PinoInternals)[pino.symbols.streamSym] : undefined;
  const lines = stream === undefined ? undefined : new RequestLines(stream);
  if (lines !== undefined) app.addHook('onClose', (_instance, done) => {
    lines.close();
    done();
  });
  // A callback hook, not an async one: no promise and no extra microtask on every request.
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions; // a new object on every access: read once
    const isPublic = route.config?.access === 'public';
    const url = isPublic ? (route.url ?? request.url) : request.url;
    const log = request.log as unknown as PinoInternals | LazyRequestLogger;
    const chindings = log instanceof LazyRequestLogger ? log.chindings : log[pino.symbols.chindingsSym];
    if (lines !== undefined && chindings !== undefined) {
      if (log.isLevelEnabled('info')) {
        lines.add(requestCompletedLine(chindings, Date.now(), { method: request.method, url, statusCode: reply.statusCode, responseTime: reply.elapsedTime, outcome: request.outcome }));
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
