import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { z } from 'zod';

/**
 * BANK_ACCOUNTS: the cooperative's own IBANs, comma-separated ("NL91 ABNA 0417 1643 00,NL02…").
 * Statements of other accounts are refused. A list the treasurer sets with
 * PUT /cooperative/bank-accounts (an event, part of the books) takes precedence over this one.
 */
const BankAccountsSetting = z
  .string()
  .transform((value) => value.split(',').map((iban) => electronicFormatIBAN(iban.trim()) ?? iban.trim()).filter((iban) => iban !== ''))
  .refine((ibans) => ibans.every((iban) => isValidIBAN(iban)), 'must be valid IBANs, separated by commas');

const ConfigSchema = z
  .object({
    STORE: z.enum(['sqlite', 'eventstoredb']).default('sqlite'),
    SQLITE_PATH: z.string().min(1).default('./data/ledger.db'),
    EVENTSTORE_URL: z.string().startsWith('esdb', 'must be an esdb:// or esdb+discover:// connection string').optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    TOKENS_FILE: z.string().min(1).optional(),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int('must be a whole number').min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * Requests a minute per valid token: generous, so a bulk load by one token (thousands of writes
     * a minute) is never throttled; it only keeps one runaway client from starving the others.
     */
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(60_000),
    /** Requests a minute per address without a valid token: public pages, /health, every 401. */
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: z.coerce.number().int().positive().default(600),
    /** Failed authentications (401s) a minute per address; past it, 429 until the minute is over. */
    AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().positive().default(10),
    /** Largest request body accepted, e.g. a camt.053 statement. */
    BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
    /** The append-only file of (position, digest, time) lines kept outside the database. */
    ANCHOR_FILE: z.string().min(1).optional(),
    /** How often the running service appends an anchor (besides at start and at shutdown). */
    ANCHOR_INTERVAL_MINUTES: z.coerce.number().int().positive().default(24 * 60),
    /** An overdue invoice is due for its first reminder (herinnering) this many days after its due date. */
    REMINDER_FIRST_AFTER_DAYS: z.coerce.number().int().min(0).default(14),
    /** And for the formal one (aanmaning) this many days after the first. */
    REMINDER_FORMAL_AFTER_DAYS: z.coerce.number().int().min(0).default(14),
    /** How many of the newest events the start check re-hashes. */
    STARTUP_CHECK_TAIL_EVENTS: z.coerce.number().int().min(0).default(1000),
    /** Larger ledger files skip SQLite's quick_check at start (it reads the whole file). */
    STARTUP_QUICK_CHECK_MAX_MB: z.coerce.number().int().min(0).default(2048),
    BANK_ACCOUNTS: BankAccountsSetting.optional(),
    /** How long a one-time sign-in link (`tokens link`) stays valid. */
    SIGN_IN_LINK_MINUTES: z.coerce.number().int().positive().default(15),
    /** How long a page session lasts after signing in. */
    SESSION_HOURS: z.coerce.number().positive().default(8),
  })
  .refine((config) => config.STORE !== 'eventstoredb' || config.EVENTSTORE_URL !== undefined, {
    message: 'is required when STORE=eventstoredb',
    path: ['EVENTSTORE_URL'],
  });

export type Config = z.infer<typeof ConfigSchema> & { tokensFile: string; anchorFile: string; signInLinksFile: string; sessionKeyFile: string };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * EVENTSTORE_URL_FILE: the connection string (it holds the node's password) read from a file, a
 * docker secret, so it is in no environment listing (`docker inspect`, /proc/<pid>/environ).
 */
function withSecretFiles(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const file = environment['EVENTSTORE_URL_FILE'];
  if (file === undefined || file === '' || (environment['EVENTSTORE_URL'] ?? '') !== '') return environment;
  try {
    return { ...environment, EVENTSTORE_URL: readFileSync(file, 'utf8').trim() };
  } catch (error) {
    throw new ConfigError(`invalid configuration:\n  EVENTSTORE_URL_FILE: cannot read ${file} (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Parses every setting from the environment; a bad one stops start-up with its name. */
export function loadConfig(given: NodeJS.ProcessEnv = process.env): Config {
  const environment = withSecretFiles(given);
  const relevant = Object.fromEntries(
    Object.keys(ConfigSchema.shape).flatMap((key) =>
      environment[key] === undefined || environment[key] === '' ? [] : [[key, environment[key]]],
    ),
  );
  const parsed = ConfigSchema.safeParse(relevant);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(settings)'}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const data = parsed.data;
  // Next to the ledger file by default, so a copy of the data folder carries its anchors along.
  const anchorFolder = data.STORE === 'sqlite' ? dirname(data.SQLITE_PATH) : data.DATA_DIR;
  const tokensFile = data.TOKENS_FILE ?? `${data.DATA_DIR}/tokens.json`;
  return {
    ...data,
    tokensFile,
    anchorFile: data.ANCHOR_FILE ?? join(anchorFolder, 'anchors.jsonl'),
    // Next to the tokens file: the CLI writes links, the service redeems them.
    signInLinksFile: join(dirname(tokensFile), 'sign-in-links.json'),
    sessionKeyFile: join(data.DATA_DIR, 'session.key'),
  };
}

/** The reminder settings of GET /reports/overdue and `cli reminders`. */
export function reminderPolicyOf(config: Pick<Config, 'REMINDER_FIRST_AFTER_DAYS' | 'REMINDER_FORMAL_AFTER_DAYS'>): { firstAfterDays: number; formalAfterDays: number } {
  return { firstAfterDays: config.REMINDER_FIRST_AFTER_DAYS, formalAfterDays: config.REMINDER_FORMAL_AFTER_DAYS };
}
