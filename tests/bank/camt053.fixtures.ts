/**
 * Small camt.053.001.02 statements crafted for tests, in the shape Dutch banks deliver (compare
 * the real samples, example-*.xml, in the shared snapshot: tests/helpers/shared.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAMT053_SAMPLES } from '../helpers/shared.js';

export { CAMT053_SAMPLES };

export function sampleStatement(name: 'example-a.xml' | 'example-b.xml'): string {
  return readFileSync(join(CAMT053_SAMPLES, name), 'utf8');
}

export interface CraftedEntry {
  readonly amount: string;
  readonly direction?: 'CRDT' | 'DBIT';
  readonly bookingDate?: string;
  readonly status?: string;
  readonly currency?: string;
  readonly entryReference?: string;
  readonly accountServicerReference?: string;
  readonly endToEndId?: string;
  readonly debtorName?: string;
  readonly debtorIban?: string;
  readonly remittance?: readonly string[];
  /** A structured creditor reference: RmtInf/Strd/CdtrRefInf/Ref (type SCOR, issuer ISO). */
  readonly creditorReference?: string;
  /** Replaces <BookgDt><Dt>…</Dt></BookgDt> with a date-time. */
  readonly bookingDateTime?: string;
  /** Money out: who received it. */
  readonly creditorName?: string;
  readonly creditorIban?: string;
  /** Bank transaction code: family and sub-family (default PMNT RCDT/ESCT, a credit transfer). */
  readonly family?: string;
  readonly subFamily?: string;
}

export interface CraftedOptions {
  readonly messageId?: string;
  readonly account?: string;
  /** Signed balances: a negative one is a DBIT balance. */
  readonly opening?: { readonly amount: string; readonly date: string };
  readonly closing?: { readonly amount: string; readonly date: string };
}

/** The account of every crafted statement unless told otherwise. */
export const CRAFTED_ACCOUNT = 'NL91ABNA0417164300';

function craftedBalance(code: string, balance: { amount: string; date: string } | undefined): string {
  if (!balance) return '';
  const negative = balance.amount.startsWith('-');
  return `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${negative ? balance.amount.slice(1) : balance.amount}</Amt><CdtDbtInd>${negative ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>${balance.date}</Dt></Dt></Bal>`;
}

export function craftedEntry(entry: CraftedEntry): string {
  const booking = entry.bookingDateTime ? `<DtTm>${entry.bookingDateTime}</DtTm>` : `<Dt>${entry.bookingDate ?? '2020-06-12'}</Dt>`;
  return `
    <Ntry>
      ${entry.entryReference ? `<NtryRef>${entry.entryReference}</NtryRef>` : ''}
      <Amt Ccy="${entry.currency ?? 'EUR'}">${entry.amount}</Amt>
      <CdtDbtInd>${entry.direction ?? 'CRDT'}</CdtDbtInd>
      <Sts>${entry.status ?? 'BOOK'}</Sts>
      <BookgDt>${booking}</BookgDt>
      <ValDt><Dt>${entry.bookingDate ?? '2020-06-12'}</Dt></ValDt>
      ${entry.accountServicerReference ? `<AcctSvcrRef>${entry.accountServicerReference}</AcctSvcrRef>` : ''}
      <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>${entry.family ?? 'RCDT'}</Cd><SubFmlyCd>${entry.subFamily ?? 'ESCT'}</SubFmlyCd></Fmly></Domn></BkTxCd>
      <NtryDtls><TxDtls>
        ${entry.endToEndId ? `<Refs><EndToEndId>${entry.endToEndId}</EndToEndId></Refs>` : ''}
        <RltdPties>
          ${entry.debtorName ? `<Dbtr><Nm>${entry.debtorName}</Nm></Dbtr>` : ''}
          ${entry.debtorIban ? `<DbtrAcct><Id><IBAN>${entry.debtorIban}</IBAN></Id></DbtrAcct>` : ''}
          ${entry.creditorName ? `<Cdtr><Nm>${entry.creditorName}</Nm></Cdtr>` : ''}
          ${entry.creditorIban ? `<CdtrAcct><Id><IBAN>${entry.creditorIban}</IBAN></Id></CdtrAcct>` : ''}
        </RltdPties>
        ${entry.remittance || entry.creditorReference ? `<RmtInf>${(entry.remittance ?? []).map((line) => `<Ustrd>${line}</Ustrd>`).join('')}${structuredReference(entry.creditorReference)}</RmtInf>` : ''}
      </TxDtls></NtryDtls>
    </Ntry>`;
}

export function craftedStatement(entries: readonly CraftedEntry[], options: CraftedOptions | string = {}): string {
  const { messageId = 'BWK-TEST-0001', account = CRAFTED_ACCOUNT, opening, closing } = typeof options === 'string' ? { messageId: options } : options;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>${messageId}</MsgId><CreDtTm>2020-06-13T08:00:00+02:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>${messageId}-1</Id>
      <CreDtTm>2020-06-13T08:00:00+02:00</CreDtTm>
      <Acct><Id><IBAN>${account}</IBAN></Id><Ccy>EUR</Ccy></Acct>
      ${craftedBalance('OPBD', opening)}${craftedBalance('CLBD', closing)}
      ${entries.map(craftedEntry).join('')}
    </Stmt>
  </BkToCstmrStmt>
</Document>`;
}

function structuredReference(reference: string | undefined): string {
  if (reference === undefined) return '';
  return `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp><Ref>${reference}</Ref></CdtrRefInf></Strd>`;
}
