/**
 * Where tokens and sign-in links live, picked like the event store: in files under the data folder
 * next to a SQLite ledger, in the node itself when the ledger is on EventStoreDB (so every instance
 * and the CLI share them; docs/eventstoredb.md).
 */
import type { Config } from '../config.js';
import { SignInLinks, type SignInLinkStore } from './sign-in-links.js';
import { TokenRegistry, type TokenAdmin } from './tokens.js';

export interface OpenedTokens {
  readonly tokens: TokenAdmin;
  readonly signInLinks: SignInLinkStore;
  /** Where they are, for messages: the tokens file or the node's stream. */
  readonly location: string;
  close(): Promise<void>;
}

export async function openConfiguredTokens(
  config: Config,
  options: { poll?: boolean; onPollError?: (error: unknown) => void } = {},
): Promise<OpenedTokens> {
  if (config.STORE === 'eventstoredb') {
    // Loaded only when used, as the store adapter is: a SQLite install never opens a gRPC client.
    const [{ EventStoreDBClient }, { EsdbTokenRegistry, EsdbSignInLinks, TOKENS_STREAM }] = await Promise.all([
      import('@eventstore/db-client'),
      import('./esdb-tokens.js'),
    ]);
    const client = EventStoreDBClient.connectionString(config.EVENTSTORE_URL!);
    const tokens = await EsdbTokenRegistry.open(client, {
      ...(options.poll ? {} : { pollMs: 0 }),
      ...(options.onPollError ? { onPollError: options.onPollError } : {}),
    }).catch(async (error: unknown) => {
      await client.dispose();
      throw error;
    });
    return {
      tokens,
      signInLinks: new EsdbSignInLinks(client),
      location: `the ${TOKENS_STREAM} stream on EventStoreDB`,
      close: async () => {
        tokens.close();
        await client.dispose();
      },
    };
  }
  return {
    tokens: TokenRegistry.open(config.tokensFile),
    signInLinks: SignInLinks.open(config.signInLinksFile),
    location: config.tokensFile,
    close: async () => {},
  };
}
