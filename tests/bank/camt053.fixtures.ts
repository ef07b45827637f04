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
      <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
      <NtryDtls><TxDtls>
        ${entry.endToEndId ? `<Refs><EndToEndId>${entry.endToEndId}</EndToEndId></Refs>` : ''}
        <RltdPties>
          ${entry.debtorName ? `<Dbtr><Nm>${entry.debtorName}</Nm></Dbtr>` : ''}
          ${entry.debtorIban ? `<DbtrAcct><Id><IBAN>${entry.debtorIban}</IBAN></Id></DbtrAcct>` : ''}
        </RltdPties>
        ${entry.remittance || entry.creditorReference ? `<RmtInf>${(entry.remittance ?? []).map((line) => `<Ustrd>${line}</Ustrd>`).join('')}${structuredReference(entry.creditorReference)}</RmtInf>` : ''}
      </TxDtls></NtryDtls>
    </Ntry>`;
}

export function craftedStatement(entries: readonly CraftedEntry[], messageId = 'BWK-TEST-0001'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>${messageId}</MsgId><CreDtTm>2020-06-13T08:00:00+02:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>${messageId}-1</Id>
      <CreDtTm>2020-06-13T08:00:00+02:00</CreDtTm>
      <Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>EUR</Ccy></Acct>
      ${entries.map(craftedEntry).join('')}
    </Stmt>
  </BkToCstmrStmt>
</Document>`;
}

function structuredReference(reference: string | undefined): string {
  if (reference === undefined) return '';
  return `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp><Ref>${reference}</Ref></CdtrRefInf></Strd>`;
}
