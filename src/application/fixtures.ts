/**
 * The seed agreements' figures (`fixtures/`): reading the three files and turning them into the
 * requests the API takes. Nothing here writes: the loader sends these requests through the same
 * HTTP command path as any client, so every rule the API keeps also holds for fixture data.
 *
 * The files come from scanned documents, so the schemas here check only their shape; the API
 * checks the figures (two decimals, known rooms, positive amounts) and refuses what is wrong.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const KamerLine = z.object({ id: z.string(), name: z.string(), teamLeaderIban: z.string().optional() });
const FinancierLine = z.object({ id: z.string(), name: z.string(), kind: z.string(), pays: z.string(), iban: z.string().optional() });

/** Fixture status words, the API's and the documents' own Dutch ones (voorstel, toegezegd). */
const STATUS_FOR_WORD: Record<string, 'proposed' | 'conditional' | 'committed'> = {
  proposed: 'proposed',
  voorstel: 'proposed',
  conditional: 'conditional',
  voorwaardelijk: 'conditional',
  committed: 'committed',
  toegezegd: 'committed',
};
const PledgeStatusWord = z.string().transform((word, context) => {
  const status = STATUS_FOR_WORD[word.trim().toLowerCase()];
  if (status === undefined) {
    context.addIssue({ code: 'custom', message: `unknown pledge status "${word}" (a fixture pledge starts ${Object.keys(STATUS_FOR_WORD).join(', ')})` });
    return z.NEVER;
  }
  return status;
});

const PledgeLine = z.object({
  financier: z.string(),
  kamer: z.string(),
  year: z.number(),
  amount: z.string().optional(),
  share: z.object({ numerator: z.number(), denominator: z.number() }).optional(),
  form: z.enum(['cash', 'in-kind']).default('cash'),
  status: PledgeStatusWord,
  reference: z.string().optional(),
  referenceDate: z.string().optional(),
  note: z.string().optional(),
});

const FinancingFile = z.object({ kamers: z.array(KamerLine), financiers: z.array(FinancierLine), pledges: z.array(PledgeLine) });
const BudgetFile = z.object({
  year: z.number(),
  lines: z.array(z.object({ line: z.string(), label: z.string(), amounts: z.record(z.string(), z.string()) })),
});
const VolunteerHoursFile = z.object({ rates: z.array(z.object({ year: z.number(), kind: z.string(), perHour: z.string() })) });

export const FIXTURE_FILES = { financing: 'financing.json', budget: 'budget-2018.json', volunteerHours: 'volunteer-hours.json' } as const;

export interface Fixtures {
  readonly financing: z.infer<typeof FinancingFile>;
  readonly budget: z.infer<typeof BudgetFile>;
  readonly volunteerHours: z.infer<typeof VolunteerHoursFile>;
}

function readJson<T>(directory: string, file: string, schema: z.ZodType<T>): T {
  const path = join(directory, file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new Error(`${path} is not a fixture file of the expected shape:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

export function readFixtures(directory: string): Fixtures {
  return {
    financing: readJson(directory, FIXTURE_FILES.financing, FinancingFile),
    budget: readJson(directory, FIXTURE_FILES.budget, BudgetFile),
    volunteerHours: readJson(directory, FIXTURE_FILES.volunteerHours, VolunteerHoursFile),
  };
}

/** One budget (begroting) per room that appears in the budget file, its lines in file order. */
export interface FixtureBudget {
  readonly kamer: string;
  readonly year: number;
  readonly lines: ReadonlyArray<{ line: string; label: string; amount: string }>;
}

/** A pledge request with the key that names its fixture line across runs. */
export interface FixturePledge {
  readonly key: string;
  readonly body: Record<string, unknown>;
}

export interface FixturePlan {
  readonly kamers: ReadonlyArray<z.infer<typeof KamerLine>>;
  readonly financiers: ReadonlyArray<z.infer<typeof FinancierLine>>;
  readonly budgets: readonly FixtureBudget[];
  readonly rates: ReadonlyArray<{ year: number; kind: string; perHour: string }>;
  readonly pledges: readonly FixturePledge[];
}

export const FIXTURE_PLEDGE_KEY_PREFIX = 'fixture:pledge:';

/**
 * A pledge line's key: financier, room, year and its ordinal among the lines for that same
 * triple, so adding a line for another financier does not renumber this one.
 */
function pledgeKeys(pledges: Fixtures['financing']['pledges']): string[] {
  const seen = new Map<string, number>();
  return pledges.map(({ financier, kamer, year }) => {
    const triple = `${financier}:${kamer}:${year}`;
    const ordinal = seen.get(triple) ?? 0;
    seen.set(triple, ordinal + 1);
    return `${FIXTURE_PLEDGE_KEY_PREFIX}${triple}:${ordinal}`;
  });
}

function budgetsOf(budget: Fixtures['budget']): FixtureBudget[] {
  const rooms = [...new Set(budget.lines.flatMap((line) => Object.keys(line.amounts)))];
  return rooms.map((kamer) => ({
    kamer,
    year: budget.year,
    lines: budget.lines.flatMap(({ line, label, amounts }) => (amounts[kamer] === undefined ? [] : [{ line, label, amount: amounts[kamer] }])),
  }));
}

/** Drops absent optional fields, so a request carries only what the fixture line gave. */
function defined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

export function fixturePlan(fixtures: Fixtures): FixturePlan {
  const keys = pledgeKeys(fixtures.financing.pledges);
  return {
    kamers: fixtures.financing.kamers,
    financiers: fixtures.financing.financiers,
    budgets: budgetsOf(fixtures.budget),
    rates: fixtures.volunteerHours.rates.map(({ year, kind, perHour }) => ({ year, kind, perHour })),
    pledges: fixtures.financing.pledges.map((line, index) => ({ key: keys[index]!, body: defined({ ...line }) })),
  };
}
