import { runCli } from './run.js';
import { STDIO_CONTEXT } from './run-command.js';

// Not a top-level await: the CLI is also bundled as CommonJS (tools/build-dist.mjs), which has none.
void runCli(process.argv.slice(2), STDIO_CONTEXT).then((code) => {
  process.exitCode = code;
});
