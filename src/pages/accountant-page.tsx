import { DateTime } from 'luxon';
import type { ComponentChildren } from 'preact';
import { ZONE } from '../domain/calendar.js';
import { dutchDate, euro } from '../documents/format.js';
import type { TrialBalance } from '../projections/trial-balance.js';
import type { VerifyWithAnchors } from '../store/anchors.js';
import type { AuditEntry } from '../store/integrity.js';
import { Field } from './forms/fields.js';
import type { FormState } from './forms/input.js';
import { Layout } from './layout.js';
import { Section } from './section.js';
import { YearForm } from './year-form.js';
import { nl } from './text/nl.js';

const t = nl.accountant;

/** The audit history's filters as the page's GET form names them (Dutch query parameters). */
export interface HistoryFilters {
  readonly stroom?: string | undefined;
  readonly type?: string | undefined;
  readonly van?: string | undefined;
  readonly tot?: string | undefined;
  readonly aantal: number;
  readonly na?: string | undefined;
}

export interface AccountantPageProps {
  readonly signedInAs: string;
  readonly csrfToken: string;
  readonly year: number;
  /** Present once the accountant asked for the check (?controle=1). */
  readonly verification?: VerifyWithAnchors;
  readonly trialBalance: TrialBalance;
  readonly history: { readonly entries: readonly AuditEntry[]; readonly next: string | null };
  readonly filters: HistoryFilters;
  readonly eventTypes: readonly string[];
}

export function AccountantPage(props: AccountantPageProps) {
  return (
    <Layout title={t.title} signedInAs={props.signedInAs} csrfToken={props.csrfToken}>
      <Verification year={props.year} {...(props.verification === undefined ? {} : { verification: props.verification })} />
      <TrialBalanceTable balance={props.trialBalance} />
      <Exports year={props.year} />
      <History {...props} />
    </Layout>
  );
}

function Verification({ year, verification }: { year: number; verification?: VerifyWithAnchors }) {
  return (
    <Section id="controle" title={t.verify}>
      <p class="utrecht-paragraph">{t.verifyIntro}</p>
      <form method="get" action="/accountant#controle" class="no-print">
        <input type="hidden" name="jaar" value={String(year)} />
        <input type="hidden" name="controle" value="1" />
        <button type="submit" class="utrecht-button utrecht-button--primary-action">
          {verification === undefined ? t.verifyNow : t.verifyAgain}
        </button>
      </form>
      {verification !== undefined && <VerificationOutcome verification={verification} />}
    </Section>
  );
}

function VerificationOutcome({ verification }: { verification: VerifyWithAnchors }) {
  return (
    <>
      {verification.ok ? (
        <>
          <p class="utrecht-paragraph mark--on-time" id="controle-uitkomst">
            ✓ {t.verifiedOk(verification.events)}
          </p>
          {verification.lastPosition === null ? (
            <p class="utrecht-paragraph">{t.emptyLog}</p>
          ) : (
            <>
              <h3 class="utrecht-heading-3">{t.digest}</h3>
              <p class="utrecht-paragraph">{t.digestIntro}</p>
              <dl class="figures digest">
                <Fact label={t.position}>{verification.lastPosition}</Fact>
                <Fact label={t.events}>{String(verification.events)}</Fact>
                <Fact label={t.digestLabel} wide>
                  <code>{verification.digest}</code>
                </Fact>
              </dl>
            </>
          )}
        </>
      ) : (
        <>
          <p class="utrecht-paragraph mark--late" id="controle-uitkomst">
            ✗ {t.verifiedBad}
          </p>
          <dl class="figures">
            <Fact label={t.firstBad}>{verification.firstBadPosition}</Fact>
            <Fact label={t.stream}>{verification.stream || '–'}</Fact>
          </dl>
          <p class="utrecht-paragraph">
            {t.problem}: {verification.problem}
          </p>
        </>
      )}
      {verification.anchors.checked > 0 && <p class="utrecht-paragraph">{t.anchors(verification.anchors.checked, verification.anchors.ok)}</p>}
    </>
  );
}

/** One term and its value in a `dl.figures`; `wide` takes the whole row (a 64-digit digest). */
function Fact({ label, wide = false, children }: { label: string; wide?: boolean; children: ComponentChildren }) {
  return (
    <div class={wide ? 'digest__code' : undefined}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function TrialBalanceTable({ balance }: { balance: TrialBalance }) {
  const amounts = (row: { opening: string; debit: string; credit: string; balance: string }) =>
    [row.opening, row.debit, row.credit, row.balance].map((amount) => <td class="utrecht-table__cell number">{euro(amount)}</td>);
  return (
    <Section id="proefbalans" title={t.trialBalance(balance.year)}>
      <YearForm action="/accountant" year={balance.year} label={t.yearLabel} submit={t.showYear} />
      {balance.accounts.length === 0 ? (
        <p class="utrecht-paragraph">{t.trialBalanceNone}</p>
      ) : (
        <table class="utrecht-table">
          <thead class="utrecht-table__header">
            <tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="col">{t.account}</th>
              <th class="utrecht-table__header-cell" scope="col">{t.accountName}</th>
              {[t.opening, t.debit, t.credit, t.balance].map((label) => (
                <th class="utrecht-table__header-cell number" scope="col">{label}</th>
              ))}
            </tr>
          </thead>
          <tbody class="utrecht-table__body">
            {balance.accounts.map((row) => (
              <tr class="utrecht-table__row">
                <th class="utrecht-table__header-cell" scope="row">{row.account}</th>
                <td class="utrecht-table__cell">{row.name}</td>
                {amounts(row)}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="row" colSpan={2}>
                {t.totals}
              </th>
              {amounts(balance.totals)}
            </tr>
          </tfoot>
        </table>
      )}
      {balance.notes.length > 0 && (
        <>
          <h3 class="utrecht-heading-3">{t.notes}</h3>
          <ul class="utrecht-unordered-list">
            {balance.notes.map((note) => (
              <li class="utrecht-unordered-list__item">{note}</li>
            ))}
          </ul>
        </>
      )}
    </Section>
  );
}

function Exports({ year }: { year: number }) {
  const links: Array<[string, string]> = [
    [`/exports/xaf?year=${year}`, t.exportXaf(year)],
    [`/exports/hledger?year=${year}`, t.exportHledger(year)],
    [`/exports/journal.csv?year=${year}`, t.exportCsv(year)],
  ];
  return (
    <Section id="exports" title={t.exports} noPrint>
      <ul class="utrecht-unordered-list">
        {links.map(([href, text]) => (
          <li class="utrecht-unordered-list__item">
            <a class="utrecht-link" href={href}>
              {text}
            </a>
          </li>
        ))}
      </ul>
    </Section>
  );
}

/** The page's own address with these filters (and jaar), for the next-page and first-page links. */
export function historyHref(year: number, filters: HistoryFilters, na: string | undefined): string {
  const query = new URLSearchParams({ jaar: String(year) });
  for (const key of ['stroom', 'type', 'van', 'tot'] as const) {
    const value = filters[key];
    if (value !== undefined) query.set(key, value);
  }
  query.set('aantal', String(filters.aantal));
  if (na !== undefined) query.set('na', na);
  return `/accountant?${query.toString()}#geschiedenis`;
}

function History({ year, filters, history, eventTypes }: AccountantPageProps) {
  // The filters as a form state: what was asked for is shown again; a filter is never refused here.
  const asked: FormState = { values: { stroom: filters.stroom ?? '', van: filters.van ?? '', tot: filters.tot ?? '' }, errors: {} };
  return (
    <Section id="geschiedenis" title={t.history}>
      <p class="utrecht-paragraph">{t.historyIntro}</p>
      <form method="get" action="/accountant#geschiedenis" class="no-print history-form">
        <input type="hidden" name="jaar" value={String(year)} />
        <Field name="stroom" label={t.filterStream} hint={t.filterStreamHint} state={asked} />
        <div class="utrecht-form-field">
          <label class="utrecht-form-label" for="type">
            {t.filterType}
          </label>
          <select class="utrecht-select utrecht-select--html-select" id="type" name="type">
            <option value="">{t.filterTypeAll}</option>
            {eventTypes.map((type) => (
              <option value={type} selected={filters.type === type}>
                {type}
              </option>
            ))}
          </select>
        </div>
        <Field name="van" label={t.filterFrom} hint={t.filterDateHint} state={asked} />
        <Field name="tot" label={t.filterTo} hint={t.filterDateHint} state={asked} />
        <div class="utrecht-form-field">
          <label class="utrecht-form-label" for="aantal">
            {t.filterLimit}
          </label>
          <input class="utrecht-textbox utrecht-textbox--html-input" type="number" id="aantal" name="aantal" value={String(filters.aantal)} min="1" max="200" />
        </div>
        <p class="history-form__actions">
          <button type="submit" class="utrecht-button utrecht-button--primary-action">
            {t.filter}
          </button>{' '}
          <a class="utrecht-link" href={`/accountant?jaar=${year}#geschiedenis`}>
            {t.filterReset}
          </a>
        </p>
      </form>
      {filters.na !== undefined && <p class="utrecht-paragraph">{t.fromPosition(filters.na)}</p>}
      {history.entries.length === 0 ? <p class="utrecht-paragraph">{t.historyNone}</p> : <HistoryTable entries={history.entries} />}
      <p class="utrecht-paragraph no-print">
        {filters.na !== undefined && (
          <a class="utrecht-link" href={historyHref(year, filters, undefined)}>
            {t.firstPage}
          </a>
        )}{' '}
        {history.next !== null && (
          <a class="utrecht-link" rel="next" href={historyHref(year, filters, history.next)}>
            {t.nextPage}
          </a>
        )}
      </p>
    </Section>
  );
}

/** "15 maart 2019, 10:04" in Amsterdam time. */
function recordedOn(instant: string): string {
  const moment = DateTime.fromISO(instant, { zone: ZONE });
  return `${dutchDate(moment.toISODate()!)}, ${moment.toFormat('HH:mm')}`;
}

function HistoryTable({ entries }: { entries: readonly AuditEntry[] }) {
  return (
    <table class="utrecht-table audit-table">
      <thead class="utrecht-table__header">
        <tr class="utrecht-table__row">
          {[t.position, t.recordedAt, t.stream, t.type, t.recordedBy, t.reason, t.data].map((label) => (
            <th class="utrecht-table__header-cell" scope="col">{label}</th>
          ))}
        </tr>
      </thead>
      <tbody class="utrecht-table__body">
        {entries.map(({ event }) => (
          <tr class="utrecht-table__row">
            <th class="utrecht-table__header-cell number" scope="row">{event.position}</th>
            <td class="utrecht-table__cell">{recordedOn(event.metadata.recordedAt)}</td>
            <td class="utrecht-table__cell">{event.stream}</td>
            <td class="utrecht-table__cell">{event.type}</td>
            <td class="utrecht-table__cell">{event.metadata.recordedBy}</td>
            <td class="utrecht-table__cell">{event.metadata.reason ?? ''}</td>
            <td class="utrecht-table__cell">
              <details>
                <summary>{t.showData}</summary>
                <pre class="audit-data">{JSON.stringify(event.data, null, 2)}</pre>
              </details>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
