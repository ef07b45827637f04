import type { EventStore } from '../store/port.js';
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
