import { z } from 'zod';
import { DateSchema, MonthSchema } from '../../domain/calendar.js';
import { SlugSchema } from '../../domain/ids.js';
import { AmountSchema } from '../../domain/money.js';
import { BudgetLineSchema, FinancierDetailsSchema, FinancierKindSchema, PaysBySchema, PettyCashCategorySchema, VolunteerKindSchema } from '../../domain/events.js';
import { ALLOCATION_STATES } from '../../projections/views/entries.js';
import { CUT_QUERY, YearQuerySchema } from './reads-query.js';

/** The paging every list route takes (docs/lists.md). */
export const MAX_LIMIT = 500;
export const PAGE_QUERY = {
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50).describe(`rows per page, 1–${MAX_LIMIT} (default 50)`),
  offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0).describe('rows to skip (default 0)'),
  ...CUT_QUERY,
};

/** The answer of every list route. */
export function pageAnswer<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int().describe('rows matching the filters, on every page'),
    limit: z.number().int(),
    offset: z.number().int(),
  });
}

const DATE_RANGE = {
  from: DateSchema.optional().describe('only dates on or after this day, YYYY-MM-DD'),
  to: DateSchema.optional().describe('only dates on or before this day, YYYY-MM-DD'),
};
/** A range that ends before it begins is a mistake worth a 400 naming `to`, not an empty page. */
function rangeInOrder(query: { from?: string | undefined; to?: string | undefined }, context: z.RefinementCtx): void {
  if (query.from !== undefined && query.to !== undefined && query.to < query.from) {
    context.addIssue({ code: 'custom', path: ['to'], message: `must be on or after from (${query.from})` });
  }
}
const BooleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');
const PERIOD = {
  year: YearQuerySchema.optional().describe('only this calendar year'),
  month: MonthSchema.optional().describe('only this month, YYYY-MM'),
};

export const KamersQuery = z.strictObject(PAGE_QUERY);
export const KamerItem = z.object({ id: z.string(), name: z.string(), teamLeaderIban: z.string().optional().describe('treasurer and accountant only') });

export const FinanciersQuery = z.strictObject({ kind: FinancierKindSchema.optional(), ...PAGE_QUERY });
export const FinancierItem = z.object({ id: z.string(), name: z.string(), kind: FinancierKindSchema, pays: PaysBySchema, iban: z.string().optional(), ...FinancierDetailsSchema.shape });

export const KamerParams = z.strictObject({ kamer: SlugSchema });
export const BudgetsQuery = z.strictObject({ year: YearQuerySchema.optional().describe('only this year; all years when absent'), ...PAGE_QUERY });
export const BudgetItem = z.object({ year: z.number().int(), lines: z.array(BudgetLineSchema), total: AmountSchema });

export const ReceivedQuery = z
  .strictObject({
    financier: SlugSchema.optional().describe('only payments (partly) allocated to this financier'),
    payer: z.string().trim().min(1).max(200).optional().describe("part of the payer's name, or the payer's IBAN"),
    allocation: z.enum(ALLOCATION_STATES).optional(),
    ...DATE_RANGE,
    ...PAGE_QUERY,
  })
  .superRefine(rangeInOrder);
export const ReceivedItem = z.object({
  id: z.string(),
  date: z.string(),
  amount: AmountSchema,
  allocated: AmountSchema,
  unallocated: AmountSchema,
  allocation: z.enum(ALLOCATION_STATES),
  payerName: z.string().optional(),
  payerIban: z.string().optional(),
  description: z.string().optional(),
  bankReference: z.string().optional(),
  source: z.enum(['manual', 'camt053']),
  allocations: z.array(
    z.object({
      id: z.string(),
      invoice: z.string().optional(),
      invoiceNumber: z.string().optional(),
      pledge: z.string().optional(),
      financier: z.string(),
      kamer: z.string(),
      year: z.number().int(),
      amount: AmountSchema,
      matchedBy: z.string(),
    }),
  ),
});

export const MadeQuery = z
  .strictObject({
    kamer: SlugSchema.optional(),
    assigned: BooleanQuery.optional().describe('true: booked to a budget line, bank costs or interest; false: a statement debit still waiting'),
    ...DATE_RANGE,
    ...PAGE_QUERY,
  })
  .superRefine(rangeInOrder);
export const MadeItem = z.object({
  id: z.string(),
  source: z.enum(['expense', 'bank-statement']),
  date: z.string(),
  amount: AmountSchema,
  assigned: z.boolean(),
  assignment: z.enum(['budget-line', 'bank-costs', 'interest']).optional(),
  kamer: z.string().optional(),
  year: z.number().int().optional(),
  line: z.string().optional(),
  payee: z.string().optional(),
  description: z.string().optional(),
  bankReference: z.string().optional(),
  account: z.string().optional(),
});

export const HoursQuery = z.strictObject({ ...PERIOD, kind: VolunteerKindSchema.optional(), ...PAGE_QUERY });
export const HoursItem = z.object({
  id: z.string(),
  volunteer: z.string().describe('the pseudonymous volunteer id'),
  date: z.string(),
  hours: z.string().describe('as it counts now: corrected hours, 0.00 once reversed'),
  kind: VolunteerKindSchema,
  activity: z.string().optional(),
  corrections: z.number().int(),
});

export const PettyCashEntriesQuery = z.strictObject({
  ...PERIOD,
  category: PettyCashCategorySchema.optional().describe('only spending of this category'),
  kind: z.enum(['transfer', 'spending']).optional(),
  ...PAGE_QUERY,
});
export const PettyCashEntryItem = z.object({
  id: z.string(),
  kind: z.enum(['transfer', 'spending']),
  date: z.string(),
  amount: AmountSchema,
  month: MonthSchema.optional().describe('a transfer: the month whose limit it counts against'),
  category: PettyCashCategorySchema.optional(),
  description: z.string().optional(),
  receipt: z.string().optional(),
});
