/**
 * The composition root: the only place that picks adapters and wires them to the app.
 */
import { pino, type Logger } from 'pino';
import { loadConfig, ConfigError, reminderPolicyOf, type Config } from './config.js';
import { openConfiguredStore } from './store/open.js';
import type { TokenAdmin } from './auth/tokens.js';
import { openConfiguredTokens } from './auth/open-tokens.js';
import { loadOrCreateSessionKey } from './auth/session-key.js';
import { CommandHandler } from './application/command-handler.js';
import { buildApp } from './http/app.js';
import { createServiceProjectionRunner } from './projections/create.js';
import { ensurePrivateFolder, tightenMode, PRIVATE_FILE_MODE, type ModeNotice } from './store/file-modes.js';
import { checkStoreAtStart, StoreHealth, type StartCheckResult } from './store/health.js';
import { AnchorMismatch, Anchorer } from './store/anchors.js';
import type { EventStore } from './store/port.js';

/** On the very first start there is no way in: create a treasurer token and show it once. */
async function ensureFirstToken(tokens: TokenAdmin): Promise<void> {
  const first = await tokens.createFirst({ role: 'treasurer', name: 'first treasurer' });
  if (!first) return;
  const { token } = first;
  process.stdout.write(
    `\nNo tokens existed, so a treasurer token was created. It is shown only this once; keep it safe:\n\n  ${token}\n\n` +
      `Create more with: npm run cli -- tokens create --role accountant --name "Accountant"\n` +
      `               or: npm run cli -- tokens create --role kascommissie --name "Kascommissie"\n\n`,
  );
}

/** The data folder 0700 and the tokens file 0600, however they were left by an older version. */
function protectDataFolder(config: Config, notice: ModeNotice): void {
  try {
    ensurePrivateFolder(config.DATA_DIR, notice, { tightenExisting: true });
    tightenMode(config.tokensFile, PRIVATE_FILE_MODE, notice);
  } catch (error) {
    throw new Error(`cannot prepare the data folder ${config.DATA_DIR}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The start check's outcome goes to the log; a failure does not stop the service, /health reports it. */
async function startCheck(store: EventStore, config: Config, logger: Logger): Promise<StartCheckResult> {
  const result = await checkStoreAtStart(store, {
    tailEvents: config.STARTUP_CHECK_TAIL_EVENTS,
    quickCheckMaxBytes: config.STARTUP_QUICK_CHECK_MAX_MB * 1024 * 1024,
  });
  const summary = { store: store.location, quickCheck: result.quickCheck, tailEvents: result.tailEvents, durationMs: result.durationMs };
  if (result.ok) logger.info(summary, 'store start check passed');
  else logger.error({ ...summary, problems: result.problems }, 'store start check FAILED: /health answers 503');
  return result;
}

/**
 * Milliseconds each step of the start took, logged with the "listening" line (bench
 * checkpoint-start prints them). `modules` is from the process's start to main(): node's own
 * start and loading every module.
 */
function startStopwatch(): { lap(step: string): void; readonly laps: Record<string, number> } {
  const laps: Record<string, number> = {};
  let last = 0;
  return {
    laps,
    lap(step) {
      const now = performance.now();
      laps[step] = Math.round(now - last);
      last = now;
    },
  };
}

async function main(): Promise<void> {
  const stopwatch = startStopwatch();
  stopwatch.lap('modules');
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = pino({ level: config.LOG_LEVEL });
  const notice: ModeNotice = (details, message) => logger.warn(details, message);
  protectDataFolder(config, notice);
  const { store } = (await openConfiguredStore(config, { onModeTightened: notice }))!;
  stopwatch.lap('open store');
  // On EventStoreDB the tokens live in the node, shared by every instance; polled to stay current.
  const opened = await openConfiguredTokens(config, {
    poll: true,
    onPollError: (error) => logger.warn({ err: error }, 'could not read the shared tokens: answering from the tokens last read'),
  });
  const { tokens } = opened;
  await ensureFirstToken(tokens);
  stopwatch.lap('tokens');
  const clock = () => new Date();
  // The start check and the start anchor read the whole file or log (seconds on a large ledger):
  // they run once the service listens, so the first reads are answered meanwhile. The check's
  // quick_check runs in a worker thread; the anchor, after it as before, folds the log on this
  // thread in slices between requests (by then a start's first reads are usually answered).
  // /health answers 503 until the check ends (as it refused connections before); an anchor
  // mismatch is damage it reports when found.
  let startChecked!: (result: StartCheckResult) => void;
  const storeHealth = new StoreHealth(store, new Promise<StartCheckResult>((resolve) => (startChecked = resolve)));
  const anchors = new Anchorer(store, config.anchorFile, (details, message) => logger.info(details, message), clock, notice);
  const startChecks = async (): Promise<void> => {
    startChecked(await startCheck(store, config, logger));
    // An anchor that cannot be written (a full disk) must not stop the service; one that no
    // longer matches the log is damage /health reports.
    await anchors.anchor('start').catch((error: unknown) => {
      logger.error({ err: error, file: config.anchorFile }, 'could not write the start anchor');
      if (error instanceof AnchorMismatch) storeHealth.recordDamage(error.message);
    });
  };
  // Unref'd: the timer alone never keeps the process alive; shutdown writes the last anchor.
  const anchorTimer = setInterval(() => {
    anchors.anchor('interval').catch((error: unknown) => logger.error({ err: error, file: config.anchorFile }, 'could not write an anchor'));
  }, config.ANCHOR_INTERVAL_MINUTES * 60_000);
  anchorTimer.unref();
  const projections = createServiceProjectionRunner(store, (event) => logger.info({ checkpoint: event }, `projection checkpoint ${event.kind}`));
  const app = await buildApp(
    {
      store,
      tokens,
      commands: new CommandHandler(store),
      projections,
      clock,
      storeHealth,
      anchorFile: config.anchorFile,
      bankAccounts: config.BANK_ACCOUNTS ?? [],
      reminderPolicy: reminderPolicyOf(config),
      signInLinks: opened.signInLinks,
      sessionKey: loadOrCreateSessionKey(config.sessionKeyFile),
      sessionHours: config.SESSION_HOURS,
    },
    {
      // The request log (one line a request) is written without blocking: lines that arrive while
      // a write is under way go out together in the next, instead of one write(2) per request.
      // Pending lines are flushed when the process exits (pino registers the flush).
      logger: { level: config.LOG_LEVEL, stream: pino.destination({ dest: 1, sync: false }) },
      rateLimits: {
        perToken: config.RATE_LIMIT_PER_MINUTE,
        perAddress: config.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
        authFailuresPerAddress: config.AUTH_FAILURES_PER_MINUTE,
      },
      bodyLimitBytes: config.BODY_LIMIT_BYTES,
    },
  );

  stopwatch.lap('app');
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing in-flight requests');
    // fastify.close stops accepting, waits for in-flight requests, then runs onClose hooks.
    await app.close();
    clearInterval(anchorTimer);
    await anchors.anchor('shutdown').catch((error: unknown) => logger.error({ err: error, file: config.anchorFile }, 'could not write the shutdown anchor'));
    await projections.close();
    await opened.close();
    await store.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  await app.listen({ host: config.HOST, port: config.PORT });
  stopwatch.lap('listen');
  startChecks().catch((error: unknown) => logger.error({ err: error }, 'the start check could not run'));
  logger.info({ store: store.kind, host: config.HOST, port: config.PORT, startMs: stopwatch.laps }, 'ledger service listening');
}

main().catch((error: unknown) => {
  process.stderr.write(`start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
