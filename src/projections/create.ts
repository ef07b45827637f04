import type { EventStore } from '../store/port.js';
import { projectionCodeVersion, type CheckpointEvent } from './checkpoints.js';
import { LogProjectionRunner, type ProjectionRunner, type ProjectionRunnerOptions } from './runner.js';
import { STANDARD_PROJECTIONS } from './standard.js';

/**
 * The runner the service uses: the read routes' projections are caught up together, so the
 * first read after a start replays the log once for all of them. Other projections (the
 * accountant's journal, say) join on their first read.
 */
export function createProjectionRunner(store: EventStore, options: ProjectionRunnerOptions = {}): ProjectionRunner {
  return new LogProjectionRunner(store, { projections: STANDARD_PROJECTIONS, ...options });
}

/**
 * The service's runner: like `createProjectionRunner`, and it starts the read projections from
 * their newest usable checkpoint and saves new ones as it folds, where the store has a place for
 * them (SQLite). Never for the accountant's replay: that must fold the whole log itself.
 */
export function createServiceProjectionRunner(store: EventStore, report?: (event: CheckpointEvent) => void): ProjectionRunner {
  if (!store.checkpoints) return createProjectionRunner(store);
  return createProjectionRunner(store, {
    checkpoints: { table: store.checkpoints, version: projectionCodeVersion(), ...(report === undefined ? {} : { report }) },
  });
}
