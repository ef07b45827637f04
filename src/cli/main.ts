import { runCli } from './run.js';

// Not a top-level await: the CLI is also bundled as CommonJS (tools/build-dist.mjs), which has none.
void runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
}).then((code) => {
  process.exitCode = code;
});
