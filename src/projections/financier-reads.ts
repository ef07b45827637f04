import { documentsProjection, type DocumentsState } from './documents.js';
import { pledgesProjection, type PledgesState } from './pledges.js';
import type { TimeCut } from './projection.js';
import { receivablesProjection, type ReceivablesState } from './receivables.js';
import { registryProjection, type RegistryState } from './registry.js';
import { roomsProjection, type RoomsState } from './rooms.js';
import type { ProjectionRunner } from './runner.js';

/** The projections a financier's documents are made from (statement, annual report). */
export interface FinancierDocumentStates {
  readonly registry: RegistryState;
  readonly pledges: PledgesState;
  readonly receivables: ReceivablesState;
  readonly rooms: RoomsState;
  readonly documents: DocumentsState;
}

/** Reads them together, at one cut: use the states in the same tick (the runner moves them on in place). */
export async function readFinancierDocumentStates(projections: ProjectionRunner, cut: TimeCut): Promise<FinancierDocumentStates> {
  const [registry, pledges, receivables, rooms, documents] = await Promise.all([
    projections.read(registryProjection, cut),
    projections.read(pledgesProjection, cut),
    projections.read(receivablesProjection, cut),
    projections.read(roomsProjection, cut),
    projections.read(documentsProjection, cut),
  ]);
  return { registry, pledges, receivables, rooms, documents };
}
