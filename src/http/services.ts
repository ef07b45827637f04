import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { CommandHandler } from '../application/command-handler.js';
import type { TokenLookup } from '../auth/tokens.js';
import type { SignInLinkStore } from '../auth/sign-in-links.js';
import type { EventStore } from '../store/port.js';
import type { StoreHealth } from '../store/health.js';
import type { ProjectionRunner } from '../projections/runner.js';
import type { ReminderPolicy } from '../domain/receivables/reminders.js';

/** Everything a route may use; `buildApp` receives it, `main.ts` wires the real adapters. */
export interface AppServices {
  readonly store: EventStore;
  readonly tokens: TokenLookup;
  readonly commands: CommandHandler;
  readonly projections: ProjectionRunner;
  /** The only clock the service reads; tests pass a fixed one. */
  readonly clock: () => Date;
  /** What GET /health asks; main.ts passes one with the start check's result. Default: a read probe only. */
  readonly storeHealth?: StoreHealth;
  /** The append-only file of digests kept outside the database, checked by GET /audit/verify. */
  readonly anchorFile?: string;
  /** The cooperative's own IBANs from the BANK_ACCOUNTS setting: used until the treasurer records a list. */
  readonly bankAccounts?: readonly string[];
  /** When overdue invoices fall due for a reminder (GET /reports/overdue); default 14 and 14 days. */
  readonly reminderPolicy?: ReminderPolicy;
  /** One-time sign-in links for the pages (`tokens link`); default: none can be redeemed. */
  readonly signInLinks?: SignInLinkStore;
  /** The 32-byte key that encrypts page session cookies; main.ts keeps it in a 0600 file. Default: a fresh one. */
  readonly sessionKey?: Buffer;
  /** How long a page session lasts; default 8 hours. */
  readonly sessionHours?: number;
}

/** Each area of the API is one of these, registered by buildApp. */
export type RoutePlugin = FastifyPluginAsync<{ services: AppServices }, import('fastify').RawServerDefault, ZodTypeProvider>;
