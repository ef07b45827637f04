import type { EventStore } from '../store/port.js';
import type { ProjectionRunner } from './runner.js';

/** Placeholder until the projection runner lands (issue 4). */
export function createProjectionRunner(_store: EventStore): ProjectionRunner {
  return { close: async () => {} };
}
