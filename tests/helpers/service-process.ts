/**
 * The service in a child process, as the operator runs it, for tests that need the real process:
 * by default src/main.ts through tsx; tests/dist-build.test.ts runs the compiled bundle.
 */
import type { Test } from 'tap';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningService {
  log(): string;
  /** Resolves once the service's output holds `text` (fails the test after 60 s). */
  waitForLog(text: string): Promise<void>;
  stop(): Promise<number | null>;
}

/** Spawns the service (`node <args>`, by default src/main.ts through tsx) and waits until it listens (or fails the test after 60 s). */
export async function startService(t: Test, env: NodeJS.ProcessEnv, args: readonly string[] = ['--import', 'tsx', 'src/main.ts']): Promise<RunningService> {
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.includes('ledger service listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    log: () => output,
    async waitForLog(text) {
      for (const started = Date.now(); !output.includes(text); await new Promise((resolve) => setTimeout(resolve, 20))) {
        if (Date.now() - started > 60_000) throw new Error(`the service did not log ${text} within 60 s:\n${output}`);
      }
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

