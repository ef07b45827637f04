import type { CliCommand } from '../command.js';

/** A command by name, its module loaded only when it is run (or `help` lists them all). */
export interface LazyCliCommand {
  readonly name: string;
  /** Work to start as the command is chosen to run, before its modules load (not for `help`). */
  prepare?(): void;
  load(): Promise<CliCommand>;
}
