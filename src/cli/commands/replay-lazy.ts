import type { LazyCliCommand } from './lazy.js';

/**
 * The accountant's `replay`, as the CLI's command list (index.ts) and the replay's own bundle
 * (replay-main.ts) run it. Its worker thread starts loading its modules while the main thread
 * loads the command's. Best effort: if this fails, the command starts its worker itself.
 */
export const REPLAY_COMMAND: LazyCliCommand = {
  name: 'replay',
  prepare: () => void import('../../projections/replay-worker.js').then(({ prepareReplayWorker }) => prepareReplayWorker()).catch(() => undefined),
  load: async () => (await import('./replay.js')).replayCommand,
};
