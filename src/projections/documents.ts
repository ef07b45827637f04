import type { EventData } from '../domain/events.js';
import type { Projection } from './projection.js';

/**
 * What the documents (PDF) are built from: each invoice's and credit note's own event, whole, and
 * the cooperative's logo per revision of its details. Nothing else: a document shows its event's
 * snapshot of the parties, so it renders the same bytes whenever it is asked for.
 */
export interface DocumentsState {
  readonly invoices: Map<string, EventData<'InvoiceIssued'>>;
  readonly creditNotes: Map<string, EventData<'CreditNoteIssued'>>;
  /** Number (2020-0001) → id, for invoices and credit notes alike (they share the series). */
  readonly idsByNumber: Map<string, string>;
  /** Indexed by the `cooperative` stream's revision; undefined where that version had no logo. */
  readonly logos: Array<EventData<'CooperativeDetailsSet'>['logo']>;
  /** The cooperative's latest details, for documents made on a date (statements, reminders). */
  readonly reminders: Map<string, EventData<'ReminderSent'>>;
  /** Each invoice's latest reminder (by recording order, which the decider keeps in date order). */
  readonly lastReminderByInvoice: Map<string, EventData<'ReminderSent'>>;
  cooperative: { readonly details: EventData<'CooperativeDetailsSet'>; readonly revision: number } | undefined;
}

export const documentsProjection: Projection<DocumentsState> = {
  name: 'documents',
  eventTypes: ['InvoiceIssued', 'CreditNoteIssued', 'CooperativeDetailsSet', 'ReminderSent'],
  initial: () => ({ invoices: new Map(), creditNotes: new Map(), idsByNumber: new Map(), logos: [], reminders: new Map(), lastReminderByInvoice: new Map(), cooperative: undefined }),
  apply(state, { event }) {
    switch (event.type) {
      case 'InvoiceIssued':
        state.invoices.set(event.data.invoiceId, event.data);
        state.idsByNumber.set(event.data.number, event.data.invoiceId);
        break;
      case 'CreditNoteIssued':
        state.creditNotes.set(event.data.creditNoteId, event.data);
        state.idsByNumber.set(event.data.number, event.data.creditNoteId);
        break;
      case 'CooperativeDetailsSet':
        state.logos.push(event.data.logo);
        state.cooperative = { details: event.data, revision: state.logos.length - 1 };
        break;
      case 'ReminderSent':
        state.reminders.set(event.data.reminderId, event.data);
        state.lastReminderByInvoice.set(event.data.invoiceId, event.data);
        break;
      default:
        break;
    }
    return state;
  },
};

export type DocumentRecord =
  | { readonly kind: 'invoice'; readonly invoice: EventData<'InvoiceIssued'> }
  | { readonly kind: 'credit-note'; readonly creditNote: EventData<'CreditNoteIssued'>; readonly invoice: EventData<'InvoiceIssued'> | undefined };

/** An invoice or credit note by its id or number. */
export function findDocument(state: DocumentsState, idOrNumber: string): DocumentRecord | undefined {
  const id = state.idsByNumber.get(idOrNumber) ?? idOrNumber;
  const invoice = state.invoices.get(id);
  if (invoice) return { kind: 'invoice', invoice };
  const creditNote = state.creditNotes.get(id);
  return creditNote ? { kind: 'credit-note', creditNote, invoice: state.invoices.get(creditNote.invoiceId) } : undefined;
}
