import type { ProjectedEvent, TimeCut } from './projection.js';
import { businessDateOf } from '../domain/business-date.js';

/** A cut in the one form the runner compares: `knownAt` as `Date.toISOString()` text, like `recordedAt`. */
export interface NormalizedCut {
  readonly asOf: string | undefined;
  readonly knownAt: string | undefined;
}

export function normalizeCut(cut: TimeCut | undefined): NormalizedCut {
  const knownAt = cut?.knownAt === undefined ? undefined : new Date(cut.knownAt);
  if (knownAt !== undefined && Number.isNaN(knownAt.getTime())) throw new Error(`knownAt ${cut?.knownAt} is not an instant`);
  return { asOf: cut?.asOf, knownAt: knownAt?.toISOString() };
}

export function isDefaultCut(cut: NormalizedCut): boolean {
  return cut.asOf === undefined && cut.knownAt === undefined;
}

/**
 * Whether an event belongs to a bitemporal cut: recorded at or before `knownAt`, and with a
 * business date on or before `asOf` (an event without a business date, such as a registration
 * or a pledge, is cut only by `knownAt`). Both compare as text: ISO dates and UTC instants of one
 * format order like their values.
 */
export function isInCut(projected: ProjectedEvent, cut: NormalizedCut): boolean {
  if (cut.knownAt !== undefined && projected.recordedAt > cut.knownAt) return false;
  if (cut.asOf !== undefined) {
    const businessDate = businessDateOf(projected.event);
    if (businessDate !== undefined && businessDate > cut.asOf) return false;
  }
  return true;
}
