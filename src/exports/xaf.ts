/**
 * XML Auditfile Financieel 3.2 (XAF), the Dutch audit file an accountant or the tax authority
 * reads into its own tools. One file holds one fiscal year: header, the cooperative, its
 * financiers as customers, the general ledger, twelve monthly periods, the opening balance and
 * every journal entry of the year, grouped in one journal per kind of source.
 *
 * Built with xmlbuilder2: it escapes every text node and drops characters XML 1.0 cannot carry,
 * so user text (names, descriptions, reasons) can never break or inject into the document. The
 * schema's length limits are applied here (`text`, `identifier`), never by hoping.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { loadedOnFirstUse } from '../lazy-require.js';

const xmlbuilder2 = loadedOnFirstUse<typeof import('xmlbuilder2')>('xmlbuilder2');
import { ZONE } from '../domain/calendar.js';
import { formatAmount, sum } from '../domain/money.js';
import { fixedAccounts, type AccountType } from '../projections/chart-of-accounts.js';
import { JOURNAL_KINDS, type JournalEntry, type JournalKind, type JournalLine } from '../projections/journal.js';
import type { YearJournal } from '../projections/trial-balance.js';

export const XAF_NAMESPACE = 'http://www.auditfiles.nl/XAF/3.2';

/** Who the audit file is about. No configuration: the cooperative is one and the same everywhere. */
export const COOPERATIVE = {
  name: 'BuurtWerkKamer Coöperatie U.A.',
  country: 'NL',
  city: 'Utrecht',
  /** The RSIN/VAT number is not in any source document: left empty rather than invented. */
  taxRegistrationId: '',
} as const;

export const SOFTWARE = { description: 'BuurtWerkKamer ledger', version: '0.1.0' } as const;

/** XAF journal ids and types (B bank, C cash, S sales, Z other) per kind of source. */
const JOURNALS: Record<JournalKind, { id: string; description: string; type: 'B' | 'C' | 'S' | 'Z' }> = {
  sales: { id: 'VERK', description: 'Verkoop: facturen en creditnota’s', type: 'S' },
  bank: { id: 'BANK', description: 'Bank: ontvangsten, uitgaven en handgeldoverboekingen', type: 'B' },
  'petty-cash': { id: 'KAS', description: 'Handgeld: uitgaven per categorie', type: 'C' },
  memorial: { id: 'MEM', description: 'Memoriaal: toewijzingen van ontvangsten en bijdragen in natura', type: 'Z' },
  'volunteer-memorandum': { id: 'VRIJW', description: 'Memoriaal vrijwilligersuren (waardering, geen geldstroom)', type: 'Z' },
};

const ACCOUNT_TYPE: Record<AccountType, 'B' | 'P' | 'M'> = {
  asset: 'B',
  liability: 'B',
  equity: 'B',
  income: 'P',
  expense: 'P',
  memorandum: 'M',
};

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

// Characters XML 1.0 forbids (C0 controls but tab, LF, CR; U+FFFE/U+FFFF; lone surrogates).
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text for an element with a maximum length, counted in characters as XSD counts them. */
export function text(value: string, maxLength?: number): string {
  const clean = value.replace(NOT_XML, '');
  return maxLength === undefined ? clean : Array.from(clean).slice(0, maxLength).join('');
}

/** An IdentificationString35: kept when it fits, else shortened with a hash so it stays unique. */
export function identifier(value: string): string {
  const clean = text(value);
  if (Array.from(clean).length <= 35) return clean;
  const hash = createHash('sha256').update(value).digest('hex').slice(0, 8);
  return `${text(clean, 26)}~${hash}`;
}

export interface XafOptions {
  /** The instant the file is made (the service clock): its date is `dateCreated`. */
  readonly createdAt: Date;
}

export function buildXaf(year: YearJournal, options: XafOptions): string {
  const document = xmlbuilder2().create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' });
  const auditfile = document.ele(XAF_NAMESPACE, 'auditfile');
  auditfile.ele({ header: header(year, options) });
  auditfile.ele({
    company: {
      companyName: text(COOPERATIVE.name, 999),
      taxRegistrationCountry: COOPERATIVE.country,
      taxRegIdent: text(COOPERATIVE.taxRegistrationId, 30),
      streetAddress: { city: text(COOPERATIVE.city, 50), country: COOPERATIVE.country },
      customersSuppliers: customers(year),
      generalLedger: generalLedger(year),
      periods: { period: periods(year.year) },
      openingBalance: openingBalance(year),
      transactions: transactions(year),
    },
  });
  return document.end({ prettyPrint: true });
}

function header(year: YearJournal, options: XafOptions) {
  return {
    fiscalYear: String(year.year),
    startDate: year.startDate,
    endDate: year.endDate,
    curCode: 'EUR',
    dateCreated: DateTime.fromJSDate(options.createdAt, { zone: ZONE }).toISODate()!,
    softwareDesc: text(SOFTWARE.description, 50),
    softwareVersion: text(SOFTWARE.version, 20),
  };
}

/** The financiers are the cooperative's customers: it invoices them. */
function customers(year: YearJournal) {
  const customerSupplier = [...year.context.financiers].map(([financierId, financier]) => ({
    custSupID: identifier(financierId),
    custSupName: text(financier.name, 50),
    custSupTp: 'C',
    ...(financier.iban === undefined ? {} : { bankAccount: { bankAccNr: identifier(financier.iban) } }),
  }));
  return customerSupplier.length === 0 ? {} : { customerSupplier };
}

/** The whole fixed chart plus every sub-account the year uses, in account order. */
function generalLedger(year: YearJournal) {
  const listed = new Map([...fixedAccounts(), ...year.accounts.values()].map((account) => [account.id, account]));
  return {
    ledgerAccount: [...listed.values()].sort((a, b) => a.id.localeCompare(b.id)).map((account) => ({
      accID: identifier(account.id),
      accDesc: text(account.name, 999),
      accTp: ACCOUNT_TYPE[account.type],
      leadCode: account.id.split(':')[0]!,
    })),
  };
}

function periods(fiscalYear: number) {
  return MONTHS.map((month, index) => {
    const start = DateTime.fromObject({ year: fiscalYear, month: index + 1, day: 1 }, { zone: ZONE });
    return {
      periodNumber: String(index + 1),
      periodDesc: `${month} ${fiscalYear}`,
      startDatePeriod: start.toISODate()!,
      endDatePeriod: start.endOf('month').toISODate()!,
    };
  });
}

function totals(lines: readonly JournalLine[]) {
  const side = (which: JournalLine['side']) => formatAmount(sum(lines.filter((line) => line.side === which).map((line) => line.amount)));
  return { linesCount: String(lines.length), totalDebit: side('debit'), totalCredit: side('credit') };
}

function openingBalance(year: YearJournal) {
  return {
    opBalDate: year.startDate,
    opBalDesc: `Beginbalans ${year.year}`,
    ...totals(year.opening),
    ...(year.opening.length === 0
      ? {}
      : {
          obLine: year.opening.map((line, index) => ({
            nr: String(index + 1),
            accID: identifier(line.account),
            amnt: line.amount,
            amntTp: line.side === 'debit' ? 'D' : 'C',
          })),
        }),
  };
}

function transactions(year: YearJournal) {
  const journal = JOURNAL_KINDS.map((kind) => {
    const entries = year.entries.filter((entry) => entry.journal === kind);
    return {
      jrnID: JOURNALS[kind].id,
      desc: JOURNALS[kind].description,
      jrnTp: JOURNALS[kind].type,
      ...(entries.length === 0 ? {} : { transaction: entries.map((entry) => transaction(entry, year)) }),
    };
  });
  return { ...totals(year.entries.flatMap((entry) => entry.lines)), journal };
}

/** Invoices, credit notes and allocations to an invoice name the invoice (XAF invRef). */
const NAMES_AN_INVOICE = new Set(['InvoiceIssued', 'CreditNoteIssued', 'PaymentAllocated']);

function transaction(entry: JournalEntry, year: YearJournal) {
  const debitTotal = formatAmount(sum(entry.lines.filter((line) => line.side === 'debit').map((line) => line.amount)));
  const documentReference = text(entry.reference ?? `gebeurtenis ${entry.source.position}`, 999);
  return {
    nr: identifier(entry.id),
    desc: text(entry.description),
    periodNumber: String(Number(entry.date.slice(5, 7))),
    trDt: entry.date,
    amnt: debitTotal,
    amntTp: 'D',
    sourceID: identifier(entry.source.recordedBy),
    trLine: entry.lines.map((line, index) => ({
      nr: String(index + 1),
      accID: identifier(line.account),
      docRef: documentReference,
      effDate: entry.date,
      desc: text(entry.description),
      amnt: line.amount,
      amntTp: line.side === 'debit' ? 'D' : 'C',
      // Only a registered financier is a customer in this file (the schema checks the reference).
      ...(line.financier !== undefined && year.context.financiers.has(line.financier) ? { custSupID: identifier(line.financier) } : {}),
      ...(entry.reference !== undefined && NAMES_AN_INVOICE.has(entry.source.type) ? { invRef: text(entry.reference, 999) } : {}),
      ...(line.costCentre === undefined ? {} : { costID: identifier(line.costCentre) }),
    })),
  };
}
