import { CLI_COMMANDS } from './commands/index.js';
import type { CliContext } from './command.js';
import { runChosenCommand } from './run-command.js';

async function help(out: (text: string) => void): Promise<void> {
  out('usage: npm run cli -- <command> [options]\n');
  for (const command of await Promise.all(CLI_COMMANDS.map((lazy) => lazy.load()))) {
    out(`  ${command.name.padEnd(14)} ${command.summary}\n       ${command.usage}\n`);
  }
}

export async function runCli(argv: readonly string[], context: Omit<CliContext, 'config'>): Promise<number> {
  const [name, ...args] = argv;
  const command = CLI_COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    await help(context.out);
    return name === undefined || name === 'help' || name === '--help' ? 0 : 2;
  }
  return runChosenCommand(command, args, context);
}
