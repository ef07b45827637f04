/**
 * The entry of the replay's own CLI bundle (dist/replay-cli.cjs, tools/build-dist.mjs): the built
 * CLI's starter, dist/cli/main.js, runs it instead of the whole CLI's bundle when the command is
 * `replay`. The accountant's replay is timed as a whole process against ledger-cli, start
 * included, and the whole CLI's bundle (every command's module graph: the HTTP app, the auth
 * stack, the document libraries) took the main thread twice as long to load as this one, before
 * the worker thread was even started. It runs the command exactly as main.ts does
 * (run-command.ts); under tsx, `npm run cli -- replay` goes through main.ts.
 */
import { REPLAY_COMMAND } from './commands/replay-lazy.js';
import { runChosenCommand, STDIO_CONTEXT } from './run-command.js';

// Not a top-level await: bundled as CommonJS, like main.ts. argv[2] is `replay` (the starter checked).
void runChosenCommand(REPLAY_COMMAND, process.argv.slice(3), STDIO_CONTEXT).then((code) => {
  process.exitCode = code;
});
