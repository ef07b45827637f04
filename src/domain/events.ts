/**
 * Every event the ledger records: the contract between the write side (deciders) and the read
 * side (projections). Events are facts in the past tense and are never changed once written; a
 * new shape of an event gets a new type name (e.g. `InvoiceIssued.v2`) and an upcaster, never an
 * edit here.
 *
 * Events are denormalised on purpose: an allocation carries its financier, room and year so a
 * projection can fold it without looking anything up.
 */
import { z } from 'zod';
import { AmountSchema } from './money.js';
import { DateSchema, MonthSchema, YearSchema } from './calendar.js';
import { GeneratedIdSchema, SlugSchema, VolunteerIdSchema } from './ids.js';

export const FinancierKindSchema = z.enum([
  'municipality',
  'benefits-agency',
  'housing-corporation',
  'fund',
  'own-income',
  'tax-refund',
  'other',
]);
export type FinancierKind = z.infer<typeof FinancierKindSchema>;
export const PaysBySchema = z.enum(['invoice', 'subsidy-decision', 'none']);
export const PledgeStatusSchema = z.enum(['proposed', 'conditional', 'committed', 'withdrawn']);
export type PledgeStatus = z.infer<typeof PledgeStatusSchema>;
export const PledgeFormSchema = z.enum(['cash', 'in-kind']);
export const ShareSchema = z.object({ numerator: z.number().int().positive(), denominator: z.number().int().positive() });
export type Share = z.infer<typeof ShareSchema>;
export const PettyCashCategorySchema = z.enum(['A', 'B', 'C', 'D', 'E', 'F']);
export type PettyCashCategory = z.infer<typeof PettyCashCategorySchema>;
export const VolunteerKindSchema = z.enum(['resident', 'professional']);
export type VolunteerKind = z.infer<typeof VolunteerKindSchema>;
export const BudgetLineSchema = z.object({ line: z.string(), label: z.string(), amount: AmountSchema });
export const InvoiceLineSchema = z.object({ description: z.string(), amount: AmountSchema });

/** A postal address as printed on documents; `country` is ISO 3166-1 alpha-2 ("NL"). */
export const PostalAddressSchema = z.object({
  street: z.string(),
  postcode: z.string(),
  city: z.string(),
  country: z.string().regex(/^[A-Z]{2}$/),
});
export type PostalAddress = z.infer<typeof PostalAddressSchema>;

/**
 * A financier's details for documents and e-invoices, all optional: the agreements hold no
 * addresses, so they are recorded when known. `eInvoiceId` is a Peppol participant id (KvK
 * `0106:12345678` or OIN `0190:…`); a financier that `requiresBuyerReference` (municipalities)
 * refuses invoices without its order number or kenmerk.
 */
export const FinancierDetailsSchema = z.object({
  address: PostalAddressSchema.optional(),
  email: z.string().optional(),
  eInvoiceId: z.string().optional(),
  requiresBuyerReference: z.boolean().optional(),
});
export type FinancierDetails = z.infer<typeof FinancierDetailsSchema>;

/** The cooperative as supplier on every document. Exactly one of `vatNumber` and `vatExemptionNote`. */
export const CooperativeDetailsSchema = z.object({
  name: z.string(),
  address: PostalAddressSchema,
  kvkNumber: z.string().regex(/^\d{8}$/),
  vatNumber: z.string().optional(),
  vatExemptionNote: z.string().optional(),
  iban: z.string(),
  bic: z.string(),
  email: z.string(),
});
export type CooperativeDetails = z.infer<typeof CooperativeDetailsSchema>;

/**
 * The parties as they stood when a document was issued, copied into its event so the document
 * always shows the address it was sent to. `supplier.revision` is the revision of the
 * `cooperative` stream the details came from (the logo, kept there, is read from that event).
 */
export const DocumentPartiesSchema = z.object({
  supplier: CooperativeDetailsSchema.extend({ revision: z.number().int().nonnegative() }).optional(),
  customer: FinancierDetailsSchema.omit({ requiresBuyerReference: true }).extend({ name: z.string() }),
});
export type DocumentParties = z.infer<typeof DocumentPartiesSchema>;

const event = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ type: z.literal(type), data });

// Registry --------------------------------------------------------------------------------------
/** stream `kamer-<kamerId>` */
export const KamerRegistered = event('KamerRegistered', z.object({
  kamerId: SlugSchema,
  name: z.string(),
  teamLeaderIban: z.string().optional(),
}));
/** stream `financier-<financierId>` */
export const FinancierRegistered = event('FinancierRegistered', z.object({
  financierId: SlugSchema,
  name: z.string(),
  kind: FinancierKindSchema,
  pays: PaysBySchema,
  iban: z.string().optional(),
  ...FinancierDetailsSchema.shape,
}));
/** stream `financier-<financierId>`: replaces all four details (absent = no longer known). */
export const FinancierDetailsChanged = event('FinancierDetailsChanged', FinancierDetailsSchema.extend({
  financierId: SlugSchema,
}));
/** stream `cooperative`: a later one replaces the earlier; documents keep the details they were issued with. */
export const CooperativeDetailsSet = event('CooperativeDetailsSet', CooperativeDetailsSchema.extend({
  /** A PNG or JPEG, base64, printed at the top of documents. */
  logo: z.object({ mediaType: z.enum(['image/png', 'image/jpeg']), base64: z.string() }).optional(),
}));
/** stream `budget-<kamerId>-<year>`: a later BudgetSet replaces the earlier one. */
export const BudgetSet = event('BudgetSet', z.object({
  kamerId: SlugSchema,
  year: YearSchema,
  lines: z.array(BudgetLineSchema),
  total: AmountSchema,
}));
/** stream `valuation-rates-<year>`: a later rate for the same year and kind replaces the earlier. */
export const ValuationRateSet = event('ValuationRateSet', z.object({
  year: YearSchema,
  kind: VolunteerKindSchema,
  perHour: AmountSchema,
}));

// Pledges: stream `pledge-<pledgeId>` -------------------------------------------------------------
export const PledgeMade = event('PledgeMade', z.object({
  pledgeId: GeneratedIdSchema,
  financierId: SlugSchema,
  kamerId: SlugSchema,
  year: YearSchema,
  /** Exactly one of amount and share. */
  amount: AmountSchema.optional(),
  share: ShareSchema.optional(),
  form: PledgeFormSchema,
  status: PledgeStatusSchema.exclude(['withdrawn']),
  reference: z.string().optional(),
  referenceDate: DateSchema.optional(),
  note: z.string().optional(),
}));
export const PledgeStatusChanged = event('PledgeStatusChanged', z.object({
  pledgeId: GeneratedIdSchema,
  financierId: SlugSchema,
  kamerId: SlugSchema,
  year: YearSchema,
  from: PledgeStatusSchema,
  to: PledgeStatusSchema,
  note: z.string().optional(),
}));
export const PledgeAmended = event('PledgeAmended', z.object({
  pledgeId: GeneratedIdSchema,
  financierId: SlugSchema,
  kamerId: SlugSchema,
  year: YearSchema,
  previousAmount: AmountSchema,
  amount: AmountSchema,
  reason: z.string(),
}));

// Receivables: the single stream `receivables` -----------------------------------------------
// Issue 10 added optional fields (reference, paymentReference, parties; creditorReference on
// payments; 'payment-reference' as matchedBy): additive, so every event written before still
// matches its schema and replays unchanged; no new type name or upcaster was needed.
// Invoices, credit notes, received payments and their allocations share one consistency
// boundary: gapless numbers, open amounts and unallocated remainders all come from its state.
export const InvoiceIssued = event('InvoiceIssued', z.object({
  invoiceId: GeneratedIdSchema,
  number: z.string().regex(/^\d{4}-\d{4}$/),
  financierId: SlugSchema,
  kamerId: SlugSchema,
  year: YearSchema,
  pledgeId: GeneratedIdSchema.optional(),
  issueDate: DateSchema,
  dueDate: DateSchema,
  lines: z.array(InvoiceLineSchema),
  total: AmountSchema,
  /** The financier's order number, subsidy decision kenmerk or buyer reference. */
  reference: z.string().optional(),
  /** The RF creditor reference (ISO 11649), electronic format: RF3420200001. */
  paymentReference: z.string().optional(),
  /** Recorded from issue 10 on; invoices issued before have none. */
  parties: DocumentPartiesSchema.optional(),
}));
export const CreditNoteIssued = event('CreditNoteIssued', z.object({
  creditNoteId: GeneratedIdSchema,
  number: z.string().regex(/^\d{4}-\d{4}$/),
  invoiceId: GeneratedIdSchema,
  invoiceNumber: z.string(),
  financierId: SlugSchema,
  kamerId: SlugSchema,
  year: YearSchema,
  pledgeId: GeneratedIdSchema.optional(),
  issueDate: DateSchema,
  amount: AmountSchema,
  reason: z.string(),
  reference: z.string().optional(),
  parties: DocumentPartiesSchema.optional(),
}));
export const PaymentReceived = event('PaymentReceived', z.object({
  paymentId: GeneratedIdSchema,
  /** The bank's booking date: the business date of the money arriving. */
  date: DateSchema,
  amount: AmountSchema,
  payerName: z.string().optional(),
  payerIban: z.string().optional(),
  description: z.string().optional(),
  /** The bank's own reference; a second payment with the same one is a duplicate import. */
  bankReference: z.string().optional(),
  /** A structured creditor reference the bank passed on (camt.053 `RmtInf/Strd/CdtrRefInf/Ref`). */
  creditorReference: z.string().optional(),
  source: z.enum(['manual', 'camt053']),
  /** The cooperative's account (IBAN) the statement it came from is of; absent for a manual payment. */
  account: z.string().optional(),
}));
export const PaymentAllocated = event('PaymentAllocated', z.object({
  allocationId: GeneratedIdSchema,
  paymentId: GeneratedIdSchema,
  /** The payment's bank date, so "as of" cuts allocations where it cuts the money. */
  paymentDate: DateSchema,
  amount: AmountSchema,
  /** Exactly one of invoiceId and pledgeId. */
  invoiceId: GeneratedIdSchema.optional(),
  invoiceNumber: z.string().optional(),
  pledgeId: GeneratedIdSchema.optional(),
  financierId: SlugSchema,
  kamerId: SlugSchema,
  year: YearSchema,
  matchedBy: z.enum(['treasurer', 'invoice-number-in-description', 'payment-reference', 'pledge-reference-in-description']),
  /** Why the treasurer allocated it as it is: required when the payer's IBAN is another financier's. */
  reason: z.string().optional(),
}));

// Bank statements (also in the `receivables` stream: every bank movement is, so the stream's state
// carries each account's running balance and a statement is reconciled in one decision).
/** The cooperative's own bank accounts: a statement of any other account is refused. Replaces the earlier list. */
export const BankAccountsSet = event('BankAccountsSet', z.object({
  accounts: z.array(z.string()),
}));
/** The first statement of an account books its opening balance: the ledger had no bank history of it. */
export const BankOpeningBalanceRecorded = event('BankOpeningBalanceRecorded', z.object({
  account: z.string(),
  /** The day the balance stood at: the day before the statement's first booking. */
  date: DateSchema,
  /** Signed: an overdrawn account opens negative. */
  amount: AmountSchema,
  messageId: z.string(),
}));
/**
 * A statement entry that is not a received payment: money out (debits), and the bank's own costs
 * and interest either way. `booking` says where it went: waiting for the treasurer (`unassigned`),
 * bank costs, interest, or a petty-cash transfer (`petty-cash`) or an expense (`expense`) the
 * treasurer had already recorded, which moved the money out of the books' bank account then.
 */
/** How a bank entry is booked; the bank-entry answers on the wire use the same list. */
export const BankEntryBookingSchema = z.enum(['unassigned', 'bank-costs', 'interest', 'petty-cash', 'expense']);

export const BankEntryBooked = event('BankEntryBooked', z.object({
  entryId: GeneratedIdSchema,
  account: z.string(),
  direction: z.enum(['credit', 'debit']),
  date: DateSchema,
  amount: AmountSchema,
  bankReference: z.string(),
  counterpartyName: z.string().optional(),
  counterpartyIban: z.string().optional(),
  description: z.string().optional(),
  booking: BankEntryBookingSchema,
  kamerId: SlugSchema.optional(),
  pettyCashTransferId: GeneratedIdSchema.optional(),
  /** `expense`: the ExpensePaid the treasurer recorded for this money (POST /payments/made) before the statement came. */
  expenseId: GeneratedIdSchema.optional(),
}));
/** The treasurer assigns an unassigned payment made: to a room's budget line, or to bank costs or interest. */
export const BankEntryAssigned = event('BankEntryAssigned', z.object({
  entryId: GeneratedIdSchema,
  /** The entry's bank date: the journal books it there. */
  date: DateSchema,
  amount: AmountSchema,
  assignment: z.enum(['budget-line', 'bank-costs', 'interest']),
  kamerId: SlugSchema.optional(),
  line: z.string().optional(),
  year: YearSchema.optional(),
}));
/**
 * Each import's reconciliation: the statement's balances against the ledger's. A difference the
 * treasurer accepted is booked (bank against 1950, to be explained), never absorbed silently.
 */
export const BankStatementReconciled = event('BankStatementReconciled', z.object({
  messageId: z.string(),
  account: z.string(),
  opening: z.object({ date: DateSchema, statement: AmountSchema, ledger: AmountSchema }).optional(),
  closing: z.object({ date: DateSchema, statement: AmountSchema, ledger: AmountSchema }).optional(),
  /** Statement closing balance less the ledger's: what was booked to make them agree. */
  difference: AmountSchema,
  differenceAccepted: z.boolean(),
  /** References of payments recorded by hand that this statement shows on this account. */
  confirmedReferences: z.array(z.string()),
}));
/**
 * stream `reminders-<invoiceId>`: a payment reminder sent for an overdue invoice. `herinnering`
 * is the first, friendly one; `aanmaning` the formal one that follows it. The figures are those
 * of the moment it was recorded, so its document always shows what was sent.
 */
export const ReminderKindSchema = z.enum(['herinnering', 'aanmaning']);
export const ReminderChannelSchema = z.enum(['email', 'post', 'peppol', 'other']);
export const ReminderSent = event('ReminderSent', z.object({
  reminderId: GeneratedIdSchema,
  invoiceId: GeneratedIdSchema,
  invoiceNumber: z.string(),
  financierId: SlugSchema,
  kind: ReminderKindSchema,
  date: DateSchema,
  channel: ReminderChannelSchema,
  dueDate: DateSchema,
  daysOverdue: z.number().int().nonnegative(),
  openAmount: AmountSchema,
  /** 1 for the invoice's first reminder, 2 for the next, … */
  sequence: z.number().int().positive(),
  parties: DocumentPartiesSchema.optional(),
}));

// Money out: stream `expenses-<kamerId>-<year>` ------------------------------------------------
export const ExpensePaid = event('ExpensePaid', z.object({
  expenseId: GeneratedIdSchema,
  kamerId: SlugSchema,
  year: YearSchema,
  line: z.string(),
  date: DateSchema,
  amount: AmountSchema,
  payee: z.string(),
  description: z.string(),
}));

// Petty cash (handgeld): stream `petty-cash-<kamerId>` ------------------------------------------
export const PettyCashTransferred = event('PettyCashTransferred', z.object({
  transferId: GeneratedIdSchema,
  kamerId: SlugSchema,
  date: DateSchema,
  /** The calendar month the transfer counts against (the €250 limit). */
  month: MonthSchema,
  amount: AmountSchema,
}));
export const PettyCashSpent = event('PettyCashSpent', z.object({
  spendingId: GeneratedIdSchema,
  kamerId: SlugSchema,
  date: DateSchema,
  category: PettyCashCategorySchema,
  amount: AmountSchema,
  description: z.string(),
  receipt: z.string().optional(),
}));

// Volunteer hours: stream `volunteer-entry-<entryId>` -------------------------------------------
const volunteerEntry = {
  entryId: GeneratedIdSchema,
  kamerId: SlugSchema,
  volunteerId: VolunteerIdSchema,
  date: DateSchema,
  /** Decimal string, at most two decimals: "2.50". */
  hours: z.string(),
  kind: VolunteerKindSchema,
  activity: z.string().optional(),
};
export const VolunteerHoursRecorded = event('VolunteerHoursRecorded', z.object(volunteerEntry));
/** Cancels the entry's current figures; a correction follows it with a new VolunteerHoursRecorded. */
export const VolunteerHoursReversed = event('VolunteerHoursReversed', z.object({ ...volunteerEntry, reason: z.string() }));

// Closing the year: stream `year-<year>` (docs/years.md) -------------------------------------------
/** Where the log stood when a check or approval was made: anyone can later recompute the digest there. */
const LogStateSchema = z.object({
  /** The global log position the check covers: every event up to and including it. */
  position: z.string().regex(/^\d+$/),
  /** The digest of every event hash up to `position` (src/store/hashing.ts DigestAccumulator). */
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  events: z.number().int().nonnegative(),
});
export const YearChecked = event('YearChecked', LogStateSchema.extend({ year: YearSchema, remarks: z.string() }));
export const YearApproved = event('YearApproved', LogStateSchema.extend({ year: YearSchema, note: z.string().optional() }));
export const YearFileHashSchema = z.object({ name: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export const YearClosed = event('YearClosed', z.object({
  year: YearSchema,
  /** The year files were rendered from the log up to here; the close commits only if nothing came after. */
  filesAtPosition: z.string().regex(/^\d+$/),
  /** The instant the files carry as their creation time, so every later export is byte-identical. */
  closedAt: z.string(),
  files: z.array(YearFileHashSchema),
  note: z.string().optional(),
}));
/** Withdraws the approval: the year must be approved (and may be checked) again before it closes. */
export const YearReopened = event('YearReopened', z.object({ year: YearSchema, reason: z.string() }));

export const DomainEventSchema = z.discriminatedUnion('type', [
  KamerRegistered,
  FinancierRegistered,
  FinancierDetailsChanged,
  CooperativeDetailsSet,
  BudgetSet,
  ValuationRateSet,
  PledgeMade,
  PledgeStatusChanged,
  PledgeAmended,
  InvoiceIssued,
  CreditNoteIssued,
  PaymentReceived,
  PaymentAllocated,
  BankAccountsSet,
  BankOpeningBalanceRecorded,
  BankEntryBooked,
  BankEntryAssigned,
  BankStatementReconciled,
  ReminderSent,
  ExpensePaid,
  PettyCashTransferred,
  PettyCashSpent,
  VolunteerHoursRecorded,
  VolunteerHoursReversed,
  YearChecked,
  YearApproved,
  YearClosed,
  YearReopened,
]);
export type DomainEvent = z.infer<typeof DomainEventSchema>;
export type DomainEventType = DomainEvent['type'];
export type EventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;
export type EventData<T extends DomainEventType> = EventOf<T>['data'];

/** Stream names: one place, so writers and readers never disagree. */
export const streams = {
  kamer: (kamerId: string) => `kamer-${kamerId}`,
  financier: (financierId: string) => `financier-${financierId}`,
  cooperative: () => 'cooperative',
  budget: (kamerId: string, year: number) => `budget-${kamerId}-${year}`,
  valuationRates: (year: number) => `valuation-rates-${year}`,
  pledge: (pledgeId: string) => `pledge-${pledgeId}`,
  receivables: () => 'receivables',
  reminders: (invoiceId: string) => `reminders-${invoiceId}`,
  expenses: (kamerId: string, year: number) => `expenses-${kamerId}-${year}`,
  pettyCash: (kamerId: string) => `petty-cash-${kamerId}`,
  volunteerEntry: (entryId: string) => `volunteer-entry-${entryId}`,
  year: (year: number) => `year-${year}`,
} as const;

/**
 * A stored event that does not parse: the log was damaged or edited outside the service. Its
 * `code` lets the HTTP layer answer 503 (the store, not the request, is at fault) and mark the
 * service unhealthy, instead of a bare 500 on every request that reads it.
 */
export class StoredEventCorrupt extends Error {
  override readonly name = 'StoredEventCorrupt';
  readonly code = 'STORED_EVENT_CORRUPT';
}

/** Parses an event read back from the store; a shape we do not know is a corrupt log. */
export function parseDomainEvent(recorded: { type: string; data: unknown; position?: string }): DomainEvent {
  const parsed = DomainEventSchema.safeParse({ type: recorded.type, data: recorded.data });
  if (!parsed.success) {
    throw new StoredEventCorrupt(`event at position ${recorded.position ?? '?'} (${recorded.type}) does not match its schema: ${parsed.error.message}`);
  }
  return parsed.data;
}
