import { dutchDate, euro } from '../documents/format.js';
import type { FinancierPositionView, PositionInvoice } from '../projections/views/financier-position.js';
import type { PledgeView } from '../projections/views/pledges.js';
import { MonthChart } from './chart.js';
import { Layout } from './layout.js';
import { YearForm } from './year-form.js';
import { nl } from './text/nl.js';

export interface FinancierPageProps {
  readonly name: string;
  readonly year: number;
  readonly position: FinancierPositionView;
  readonly pledges: readonly PledgeView[];
  readonly csrfToken: string;
}

const PLEDGE_STATUS_ORDER = ['committed', 'conditional', 'proposed', 'withdrawn'] as const;
const t = nl.financier;

export function FinancierPage({ name, year, position, pledges, csrfToken }: FinancierPageProps) {
  return (
    <Layout title={t.title(name, year)} signedInAs={name} csrfToken={csrfToken}>
      <YearForm action="/financier" year={year} label={t.yearLabel} submit={t.showYear} />
      <Figures position={position} />
      <FourWeeks position={position} />
      <Invoices invoices={position.invoices} />
      <h2 class="utrecht-heading-2">{t.chart}</h2>
      {position.byMonth.length === 0 ? <p class="utrecht-paragraph">{t.chartNone}</p> : <MonthChart year={year} months={position.byMonth} />}
      <Pledges pledges={pledges} />
    </Layout>
  );
}

function Figures({ position }: { position: FinancierPositionView }) {
  const figures: Array<[string, string]> = [
    [t.pledged, position.pledged],
    [t.invoiced, position.invoiced],
    [t.paid, position.paid],
    [t.open, position.open],
    [t.overdue, position.overdue],
  ];
  return (
    <section aria-labelledby="kort">
      <h2 class="utrecht-heading-2" id="kort">
        {t.figures}
      </h2>
      <dl class="figures">
        {figures.map(([label, amount]) => (
          <div>
            <dt>{label}</dt>
            <dd>{euro(amount)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function FourWeeks({ position }: { position: FinancierPositionView }) {
  const summary = position.fourWeeks;
  return (
    <section aria-labelledby="vier-weken">
      <h2 class="utrecht-heading-2" id="vier-weken">
        {t.fourWeeks}
      </h2>
      <p class="utrecht-paragraph">{t.fourWeeksIntro}</p>
      <ul class="utrecht-unordered-list">
        <li class="utrecht-unordered-list__item">
          {t.paidOnTime}: {t.invoicesCount(summary.paidOnTime)}
        </li>
        <li class="utrecht-unordered-list__item">
          {t.paidLate}: {t.invoicesCount(summary.paidLate)}
        </li>
        <li class="utrecht-unordered-list__item">
          {t.stillOpen}: {t.invoicesCount(summary.open)}, {euro(summary.openAmount)}
        </li>
        <li class="utrecht-unordered-list__item">
          {t.stillOverdue}: {t.invoicesCount(summary.overdue)}, {euro(summary.overdueAmount)}
        </li>
      </ul>
    </section>
  );
}

function PaidMark({ invoice }: { invoice: PositionInvoice }) {
  if (invoice.onTime === true) return <span class="mark--on-time">✓ {t.onTimeYes}</span>;
  if (invoice.onTime === false) return <span class="mark--late">✗ {t.onTimeNo}</span>;
  if (invoice.status === 'overdue') return <span class="mark--late">{t.overdueNow}</span>;
  return <span>{t.openNow}</span>;
}

function Invoices({ invoices }: { invoices: readonly PositionInvoice[] }) {
  return (
    <section aria-labelledby="facturen">
      <h2 class="utrecht-heading-2" id="facturen">
        {t.invoices}
      </h2>
      {invoices.length === 0 ? (
        <p class="utrecht-paragraph">{t.invoicesNone}</p>
      ) : (
        <table class="utrecht-table">
          <thead class="utrecht-table__header">
            <tr class="utrecht-table__row">
              {[t.number, t.room, t.issueDate, t.dueDate].map((label) => (
                <th class="utrecht-table__header-cell" scope="col">{label}</th>
              ))}
              <th class="utrecht-table__header-cell number" scope="col">{t.total}</th>
              <th class="utrecht-table__header-cell" scope="col">{t.paidOn}</th>
              <th class="utrecht-table__header-cell number" scope="col">{t.daysToPay}</th>
              <th class="utrecht-table__header-cell" scope="col">{t.onTime}</th>
              <th class="utrecht-table__header-cell" scope="col">{t.document}</th>
            </tr>
          </thead>
          <tbody class="utrecht-table__body">
            {invoices.map((invoice) => (
              <tr class="utrecht-table__row">
                <th class="utrecht-table__header-cell" scope="row">{invoice.number}</th>
                <td class="utrecht-table__cell">{invoice.kamer}</td>
                <td class="utrecht-table__cell">{dutchDate(invoice.issueDate)}</td>
                <td class="utrecht-table__cell">{dutchDate(invoice.dueDate)}</td>
                <td class="utrecht-table__cell number">{euro(invoice.total)}</td>
                <td class="utrecht-table__cell">{invoice.paidOn === null ? t.notPaid : dutchDate(invoice.paidOn)}</td>
                <td class="utrecht-table__cell number">{invoice.daysToPay === null ? '–' : String(invoice.daysToPay)}</td>
                <td class="utrecht-table__cell">
                  <PaidMark invoice={invoice} />
                </td>
                <td class="utrecht-table__cell">
                  <a class="utrecht-link" href={`/invoices/${encodeURIComponent(invoice.id)}/document.pdf`} aria-label={t.documentLink(invoice.number)}>
                    PDF
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Pledges({ pledges }: { pledges: readonly PledgeView[] }) {
  return (
    <section aria-labelledby="toezeggingen">
      <h2 class="utrecht-heading-2" id="toezeggingen">
        {t.pledges}
      </h2>
      {pledges.length === 0 && <p class="utrecht-paragraph">{t.pledgesNone}</p>}
      {PLEDGE_STATUS_ORDER.map((status) => {
        const inStatus = pledges.filter((pledge) => pledge.status === status);
        if (inStatus.length === 0) return null;
        return (
          <>
            <h3 class="utrecht-heading-3">{t.pledgeStatus[status]}</h3>
            <table class="utrecht-table">
              <thead class="utrecht-table__header">
                <tr class="utrecht-table__row">
                  <th class="utrecht-table__header-cell" scope="col">{t.room}</th>
                  <th class="utrecht-table__header-cell number" scope="col">{t.amount}</th>
                  <th class="utrecht-table__header-cell" scope="col">{t.form}</th>
                  <th class="utrecht-table__header-cell" scope="col">{t.reference}</th>
                </tr>
              </thead>
              <tbody class="utrecht-table__body">
                {inStatus.map((pledge) => (
                  <tr class="utrecht-table__row">
                    <td class="utrecht-table__cell">{pledge.kamer}</td>
                    <td class="utrecht-table__cell number">{euro(pledge.amount)}</td>
                    <td class="utrecht-table__cell">{t.pledgeForm[pledge.form] ?? pledge.form}</td>
                    <td class="utrecht-table__cell">{pledge.reference ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        );
      })}
    </section>
  );
}
