import type { EventData } from '../domain/events.js';
import type { Projection } from './projection.js';

/** An invoice or credit note exactly as its event recorded it: what its documents are built from. */
export type IssuedDocument =
  | { readonly kind: 'invoice'; readonly id: string; readonly data: EventData<'InvoiceIssued'> }
  | { readonly kind: 'credit-note'; readonly id: string; readonly data: EventData<'CreditNoteIssued'> };

export interface IssuedDocumentsState {
  /** By id; invoices and credit notes share one id space (generated UUIDs). */
  readonly byId: Map<string, IssuedDocument>;
  /** Number (2019-0001) → id; invoices and credit notes share one series per year. */
  readonly idsByNumber: Map<string, string>;
}

/**
 * Every invoice and credit note with its whole event (lines, references, the parties' snapshot),
 * for the documents built from them (the Peppol e-invoice). The receivables projection keeps only
 * the figures; this one keeps the text, which a document must reproduce exactly.
 */
export const issuedDocumentsProjection: Projection<IssuedDocumentsState> = {
  name: 'issued-documents',
  eventTypes: ['InvoiceIssued', 'CreditNoteIssued'],
  initial: () => ({ byId: new Map(), idsByNumber: new Map() }),
  apply(state, { event }) {
    if (event.type === 'InvoiceIssued') {
      state.byId.set(event.data.invoiceId, { kind: 'invoice', id: event.data.invoiceId, data: event.data });
      state.idsByNumber.set(event.data.number, event.data.invoiceId);
    } else if (event.type === 'CreditNoteIssued') {
      state.byId.set(event.data.creditNoteId, { kind: 'credit-note', id: event.data.creditNoteId, data: event.data });
      state.idsByNumber.set(event.data.number, event.data.creditNoteId);
    }
    return state;
  },
};

/** The invoice or credit note with this id or number. */
export function findIssuedDocument(state: IssuedDocumentsState, idOrNumber: string): IssuedDocument | undefined {
  return state.byId.get(idOrNumber) ?? state.byId.get(state.idsByNumber.get(idOrNumber) ?? '');
}
