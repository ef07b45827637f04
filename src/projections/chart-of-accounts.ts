/**
 * The cooperative's chart of accounts (rekeningschema), as code. docs/chart-of-accounts.md explains
 * the choices; this module is the single source of account ids and names.
 *
 * An account id is a four-digit code, optionally followed by `:` and one sub-account segment:
 * `1300:mitros`. The same id is the XAF `accID` (at most 35 characters) and the hledger account
 * name (the colon makes `1300` the parent of `1300:mitros`), so every export and the trial balance
 * agree on names without a translation table.
 */
import { createHash } from 'node:crypto';
import { PettyCashCategorySchema, type FinancierKind, type PettyCashCategory } from '../domain/events.js';

export type AccountType = 'asset' | 'liability' | 'equity' | 'income' | 'expense' | 'memorandum';

export interface Account {
  readonly id: string;
  readonly name: string;
  readonly type: AccountType;
}

/** The fixed accounts; sub-accounts hang under the prefixes below. */
export const ACCOUNT = {
  /** Equity: where earlier years' results land in an opening balance. */
  retainedResult: '0900',
  /** The cooperative's single bank account: all financing arrives here, larger spending leaves from it. */
  bank: '1100',
  /** Money out of the bank (a statement's debit) not yet assigned to a room's budget line: a suspense asset. */
  unassignedPayments: '1910',
  /** Received money not yet allocated to an invoice or pledge: a suspense liability. */
  unallocatedReceipts: '1900',
  /** A bank-statement difference the treasurer accepted: booked here until it is explained. */
  bankDifferences: '1950',
  /** The bank's own costs: account fees, transaction costs. */
  bankCosts: '4700',
  /** Interest on the bank account (credit interest is income; negative interest a cost). */
  interest: '8700',
  /** Generic expense of an in-kind contribution that is not rent. */
  inKindOtherExpense: '4900',
  /** Income from in-kind contributions (huurkorting and the like). */
  inKindIncome: '8500',
  /** Memorandum journal: the value of volunteer hours, balanced by its own contra account. */
  volunteerValue: '9000',
  volunteerContra: '9100',
} as const;

export const PREFIX = {
  pettyCash: '1200',
  receivable: '1300',
  budgetLineExpense: '4000',
  pettyCashExpense: '4600',
} as const;

/** Contribution income per kind of financier; the room is the cost centre on each line. */
export const CONTRIBUTION_INCOME: Record<FinancierKind, string> = {
  municipality: '8010',
  'benefits-agency': '8020',
  'housing-corporation': '8030',
  fund: '8040',
  'own-income': '8050',
  'tax-refund': '8060',
  other: '8090',
};

/** The budget line an in-kind rent discount (huurkorting) is an expense of. */
export const RENT_LINE = 'rent';

const FIXED_NAMES: Record<string, { name: string; type: AccountType }> = {
  [ACCOUNT.retainedResult]: { name: 'Resultaat voorgaande boekjaren', type: 'equity' },
  [ACCOUNT.bank]: { name: 'Bank (rekening coöperatie)', type: 'asset' },
  [ACCOUNT.unallocatedReceipts]: { name: 'Nog toe te wijzen ontvangsten', type: 'liability' },
  [ACCOUNT.unassignedPayments]: { name: 'Nog toe te wijzen betalingen', type: 'asset' },
  [ACCOUNT.bankDifferences]: { name: 'Nog te verklaren bankverschillen', type: 'liability' },
  [ACCOUNT.bankCosts]: { name: 'Bankkosten', type: 'expense' },
  [ACCOUNT.interest]: { name: 'Rente bankrekening', type: 'income' },
  [ACCOUNT.inKindOtherExpense]: { name: 'Kosten in natura (overig)', type: 'expense' },
  [ACCOUNT.inKindIncome]: { name: 'Bijdragen in natura', type: 'income' },
  [ACCOUNT.volunteerValue]: { name: 'Waarde vrijwilligersuren (memoriaal)', type: 'memorandum' },
  [ACCOUNT.volunteerContra]: { name: 'Tegenrekening vrijwilligersuren (memoriaal)', type: 'memorandum' },
  [CONTRIBUTION_INCOME.municipality]: { name: 'Bijdragen gemeente', type: 'income' },
  [CONTRIBUTION_INCOME['benefits-agency']]: { name: 'Bijdragen uitkeringsinstantie', type: 'income' },
  [CONTRIBUTION_INCOME['housing-corporation']]: { name: 'Bijdragen woningcorporaties', type: 'income' },
  [CONTRIBUTION_INCOME.fund]: { name: 'Bijdragen fondsen', type: 'income' },
  [CONTRIBUTION_INCOME['own-income']]: { name: 'Eigen inkomsten', type: 'income' },
  [CONTRIBUTION_INCOME['tax-refund']]: { name: 'Teruggaaf Belastingdienst', type: 'income' },
  [CONTRIBUTION_INCOME.other]: { name: 'Overige bijdragen', type: 'income' },
};

/**
 * Short names for the petty-cash expense accounts. The full category labels the treasurer sees
 * (src/domain/petty-cash/categories.ts) are sentences; an account name in a trial balance or an
 * auditfile should fit on one line, so these are the same categories in a few words.
 */
export const PETTY_CASH_ACCOUNT_NAMES: Readonly<Record<PettyCashCategory, string>> = {
  A: 'koffie, thee en dergelijke',
  B: 'catering en maaltijden',
  C: 'reis- en parkeerkosten',
  D: 'schoonmaakartikelen',
  E: 'kantoorartikelen',
  F: 'materialen voor activiteiten',
};

/** XAF identifiers are at most 35 characters. */
export const MAX_ID_LENGTH = 35;
const SAFE_SEGMENT = /^[a-z0-9][a-z0-9-]*$/;

/**
 * A value as a sub-account segment (or any XAF identifier). Slugs that fit are kept as they are;
 * anything longer or with other characters becomes a readable prefix plus 8 hex digits of its
 * SHA-256, so two different values never share an account and the result is the same every time.
 */
export function identifierSegment(value: string, maxLength: number): string {
  if (SAFE_SEGMENT.test(value) && value.length <= maxLength) return value;
  const hash = createHash('sha256').update(value).digest('hex').slice(0, 8);
  const readable = value
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, Math.max(0, maxLength - hash.length - 1));
  return readable ? `${readable}-${hash}` : hash;
}

function subAccount(prefix: string, value: string): string {
  return `${prefix}:${identifierSegment(value, MAX_ID_LENGTH - prefix.length - 1)}`;
}

export const accounts = {
  pettyCash: (kamerId: string) => subAccount(PREFIX.pettyCash, kamerId),
  receivable: (financierId: string) => subAccount(PREFIX.receivable, financierId),
  budgetLineExpense: (line: string) => subAccount(PREFIX.budgetLineExpense, line),
  /** Categories are fixed single letters, kept upper-case as users know them: `4600:A`. */
  pettyCashExpense: (category: PettyCashCategory) => `${PREFIX.pettyCashExpense}:${category}`,
  contributionIncome: (kind: FinancierKind) => CONTRIBUTION_INCOME[kind],
};

/** What names of rooms, financiers and budget lines the log told, to name sub-accounts. */
export interface NamingFacts {
  readonly kamers: ReadonlyMap<string, { readonly name: string }>;
  readonly financiers: ReadonlyMap<string, { readonly name: string }>;
  readonly budgetLineLabels: ReadonlyMap<string, string>;
}

/** The accounts that exist whatever happened: the frame of the chart, listed in every audit file. */
export function fixedAccounts(): Account[] {
  return Object.entries(FIXED_NAMES).map(([id, account]) => ({ id, ...account }));
}

/** Names every account the journal used, in Dutch, the users' language. */
export function describeAccounts(accountIds: Iterable<string>, facts: NamingFacts): Map<string, Account> {
  const bySegment = (prefix: string, entries: Iterable<[string, string]>) => {
    const names = new Map<string, string>();
    for (const [id, name] of entries) names.set(subAccount(prefix, id), name);
    return names;
  };
  const subNames = new Map<string, string>([
    ...bySegment(PREFIX.pettyCash, [...facts.kamers].map(([id, kamer]) => [id, `Handgeld ${kamer.name}`] as [string, string])),
    ...bySegment(PREFIX.receivable, [...facts.financiers].map(([id, f]) => [id, `Debiteur ${f.name}`] as [string, string])),
    ...bySegment(PREFIX.budgetLineExpense, [...facts.budgetLineLabels].map(([line, label]) => [line, `Kosten ${label}`] as [string, string])),
    ...PettyCashCategorySchema.options.map(
      (category) => [accounts.pettyCashExpense(category), `Handgelduitgaven ${category}: ${PETTY_CASH_ACCOUNT_NAMES[category]}`] as [string, string],
    ),
  ]);
  const described = new Map<string, Account>();
  for (const id of accountIds) described.set(id, describeAccount(id, subNames));
  return described;
}

function describeAccount(id: string, subNames: ReadonlyMap<string, string>): Account {
  const fixed = FIXED_NAMES[id];
  if (fixed) return { id, ...fixed };
  const prefix = id.split(':')[0]!;
  const segment = id.slice(prefix.length + 1);
  switch (prefix) {
    case PREFIX.pettyCash:
      return { id, name: subNames.get(id) ?? `Handgeld kamer ${segment}`, type: 'asset' };
    case PREFIX.receivable:
      return { id, name: subNames.get(id) ?? `Debiteur ${segment}`, type: 'asset' };
    case PREFIX.budgetLineExpense:
      return { id, name: subNames.get(id) ?? `Kosten begrotingspost ${segment}`, type: 'expense' };
    case PREFIX.pettyCashExpense:
      return { id, name: subNames.get(id) ?? `Handgelduitgaven ${segment}`, type: 'expense' };
    default:
      throw new Error(`account ${id} is not in the chart of accounts`);
  }
}

/** Balance-sheet accounts carry their balance into the next year; the others start at zero. */
export function carriesForward(type: AccountType): boolean {
  return type === 'asset' || type === 'liability' || type === 'equity';
}
