import type { Decider } from '../decider.js';
import type { EventOf } from '../events.js';
import type { ReceivablesCommand } from './commands.js';
import { issueCreditNote, issueInvoice } from './invoices.js';
import { allocatePayment, receivePayment } from './payments.js';
import { assignBankEntry, importBankStatement, setBankAccounts } from './bank-statement.js';
import { evolveReceivables, initialReceivablesState, type ReceivablesState } from './state.js';

export type ReceivablesEvent =
  | EventOf<'InvoiceIssued'>
  | EventOf<'CreditNoteIssued'>
  | EventOf<'PaymentReceived'>
  | EventOf<'PaymentAllocated'>
  | EventOf<'BankAccountsSet'>
  | EventOf<'BankOpeningBalanceRecorded'>
  | EventOf<'BankEntryBooked'>
  | EventOf<'BankEntryAssigned'>
  | EventOf<'BankStatementReconciled'>;

/**
 * The one receivables stream (`streams.receivables()`): invoices, credit notes, received payments
 * and their allocations share a consistency boundary. Gapless numbers, credit notes that never
 * exceed the open amount and allocations that never overpay an invoice or a payment all come
 * from this stream's own state, appended with its expected revision.
 */
export const receivablesDecider: Decider<ReceivablesCommand, ReceivablesState, ReceivablesEvent> = {
  name: 'receivables',
  initialState: initialReceivablesState,
  decide(command, state) {
    switch (command.type) {
      case 'IssueInvoice':
        return issueInvoice(command, state);
      case 'IssueCreditNote':
        return issueCreditNote(command, state);
      case 'ReceivePayment':
        return receivePayment(command, state);
      case 'AllocatePayment':
        return allocatePayment(command, state);
      case 'ImportBankStatement':
        return importBankStatement(command, state);
      case 'SetBankAccounts':
        return setBankAccounts(command);
      case 'AssignBankEntry':
        return assignBankEntry(command, state);
      default: {
        const unknown: never = command;
        throw new Error(`receivables: unknown command ${JSON.stringify(unknown)}`);
      }
    }
  },
  evolve: evolveReceivables,
};
