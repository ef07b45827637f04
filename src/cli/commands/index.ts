import type { LazyCliCommand } from './lazy.js';
import { REPLAY_COMMAND } from './replay-lazy.js';

/**
 * Every command, each loaded only when it runs: a command's module graph is its own (tokens
 * loads the auth stack, load-fixtures the command handler and HTTP app, verify the anchors), and
 * the accountant's `replay` is timed as a whole process, start included, so it must not pay for
 * loading the others (built, it even has a bundle of its own: replay-main.ts).
 */
export const CLI_COMMANDS: readonly LazyCliCommand[] = [
  { name: 'tokens', load: async () => (await import('./tokens.js')).tokensCommand },
  { name: 'verify', load: async () => (await import('./verify.js')).verifyCommand },
  { name: 'load-fixtures', load: async () => (await import('./load-fixtures.js')).loadFixturesCommand },
  REPLAY_COMMAND,
  { name: 'reminders', load: async () => (await import('./reminders.js')).remindersCommand },
];
