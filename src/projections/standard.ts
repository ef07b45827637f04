import type { Projection } from './projection.js';
import { registryProjection } from './registry.js';
import { pledgesProjection } from './pledges.js';
import { receivablesProjection } from './receivables.js';
import { roomsProjection } from './rooms.js';
import { pettyCashProjection } from './petty-cash.js';
import { yearOpeningsProjection } from './year-openings.js';

/** A projection whose state type does not matter to the holder (the runner keys by name). */
function anyState<S>(projection: Projection<S>): Projection<unknown> {
  return projection as unknown as Projection<unknown>;
}

/** The projections behind the read routes. */
export const STANDARD_PROJECTIONS: readonly Projection<unknown>[] = [
  anyState(registryProjection),
  anyState(pledgesProjection),
  anyState(receivablesProjection),
  anyState(roomsProjection),
  anyState(pettyCashProjection),
  // The exports' opening balances: a year's first export then reads only that year's events.
  anyState(yearOpeningsProjection),
];
