import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CliContext } from './command.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
type Values<O extends OptionsConfig> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>['values'];

/**
 * Parses a command's `--options` strictly (no positionals, no unknown flags), then lets the command
 * name every problem with the values at once. On any problem it prints each one and the usage to
 * stderr and answers undefined (the command exits 2).
 */
export function parseCommandOptions<O extends OptionsConfig>(
  args: readonly string[],
  options: O,
  usage: string,
  err: CliContext['err'],
  problemsOf: (values: Values<O>) => string[],
): Values<O> | undefined {
  let problems: string[];
  let values: Values<O> | undefined;
  try {
    const parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
    values = parsed.values;
    problems = [...(parsed.positionals.length > 0 ? [`unexpected argument ${parsed.positionals[0]}`] : []), ...problemsOf(parsed.values)];
  } catch (error) {
    problems = [error instanceof Error ? error.message : String(error)];
  }
  if (problems.length > 0) {
    for (const problem of problems) err(problem);
    err(`usage: ${usage}`);
    return undefined;
  }
  return values;
}
