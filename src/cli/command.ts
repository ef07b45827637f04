import type { Config } from '../config.js';

/** One CLI command: `npm run cli -- <name> [args]`. */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Returns the process exit code. */
  run(args: readonly string[], context: CliContext): Promise<number>;
}

export interface CliContext {
  readonly config: Config;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}
