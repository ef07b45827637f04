/**
 * The composition root: the only place that picks adapters and wires them to the app.
 */
import { pino } from 'pino';
import { loadConfig, ConfigError, type Config } from './config.js';
import { openConfiguredStore } from './store/open.js';
import { TokenRegistry } from './auth/tokens.js';
import { CommandHandler } from './application/command-handler.js';
import { buildApp } from './http/app.js';
import { createProjectionRunner } from './projections/create.js';

/** On the very first start there is no way in: create a treasurer token and show it once. */
function ensureFirstToken(tokens: TokenRegistry): void {
  if (tokens.hasActiveTokens()) return;
  const { token } = tokens.create({ role: 'treasurer', name: 'first treasurer' });
  process.stdout.write(
    `\nNo tokens existed, so a treasurer token was created. It is shown only this once; keep it safe:\n\n  ${token}\n\n` +
      `Create more with: npm run cli -- tokens create --role accountant --name "Kascommissie"\n\n`,
  );
}

async function main(): Promise<void> {
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
  const { store, idempotency } = (await openConfiguredStore(config))!;
  const tokens = TokenRegistry.open(config.tokensFile);
  ensureFirstToken(tokens);
  const clock = () => new Date();
  const projections = createProjectionRunner(store);
  const app = await buildApp(
    { store, tokens, idempotency, commands: new CommandHandler(store), projections, clock, bankAccounts: config.BANK_ACCOUNTS ?? [] },
    { logger: { level: config.LOG_LEVEL }, rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE, bodyLimitBytes: config.BODY_LIMIT_BYTES },
  );

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing in-flight requests');
    // fastify.close stops accepting, waits for in-flight requests, then runs onClose hooks.
    await app.close();
    await projections.close();
    await store.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  await app.listen({ host: config.HOST, port: config.PORT });
  logger.info({ store: store.kind, host: config.HOST, port: config.PORT }, 'ledger service listening');
}

main().catch((error: unknown) => {
  process.stderr.write(`start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
