import { loadConfig, ConfigError } from '../config.js';
import type { CliContext } from './command.js';
import type { LazyCliCommand } from './commands/lazy.js';

/** The process's own output: what the CLI's entries (main.ts, replay-main.ts) print to. */
export const STDIO_CONTEXT: Omit<CliContext, 'config'> = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** Runs one chosen command with its arguments; returns the process exit code (1 for a failure it reports). */
export async function runChosenCommand(command: LazyCliCommand, args: readonly string[], context: Omit<CliContext, 'config'>): Promise<number> {
  try {
    command.prepare?.();
    return await (await command.load()).run(args, { ...context, config: loadConfig() });
  } catch (error) {
    context.err(error instanceof ConfigError || error instanceof Error ? error.message : String(error));
    return 1;
  }
}
