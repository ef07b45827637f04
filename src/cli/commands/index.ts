import type { CliCommand } from '../command.js';

/** A command by name, its module loaded only when it is run (or `help` lists them all). */
export interface LazyCliCommand {
  readonly name: string;
  /** Work to start as the command is chosen to run, before its modules load (not for `help`). */
  prepare?(): void;
  load(): Promise<CliCommand>;
}

/**
 * Every command, each loaded only when it runs: a command's module graph is its own (tokens
 * loads the auth stack, load-fixtures the command handler and HTTP app, verify the anchors), and
 * the accountant's `replay` is timed as a whole process, start included, so it must not pay for
 * loading the others.
 */
export const CLI_COMMANDS: readonly LazyCliCommand[] = [
  { name: 'tokens', load: async () => (await import('./tokens.js')).tokensCommand },
  { name: 'verify', load: async () => (await import('./verify.js')).verifyCommand },
  { name: 'load-fixtures', load: async () => (await import('./load-fixtures.js')).loadFixturesCommand },
  {
    name: 'replay',
    // Its worker thread starts loading its modules while the main thread loads the command's.
    // Best effort: if this fails, the command starts its worker itself.
    prepare: () => void import('../../projections/replay-worker.js').then(({ prepareReplayWorker }) => prepareReplayWorker()).catch(() => undefined),
    load: async () => (await import('./replay.js')).replayCommand,
  },
  { name: 'reminders', load: async () => (await import('./reminders.js')).remindersCommand },
];
