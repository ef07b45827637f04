import { dutchDate, euro } from '../documents/format.js';
import type { FinancierPositionView, PositionInvoice } from '../projections/views/financier-position.js';
import type { PledgeView } from '../projections/views/pledges.js';
import { MonthChart } from './chart.js';
import { Layout } from './layout.js';
import { Table } from './table.js';
import { YearForm } from './year-form.js';
import { nl } from './text/nl.js';
import { Section } from './section.js';

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
    <Section id="kort" title={t.figures}>
      <dl class="figures">
        {figures.map(([label, amount]) => (
          <div>
            <dt>{label}</dt>
            <dd>{euro(amount)}</dd>
          </div>
        ))}
      </dl>
    </Section>
  );
}

function FourWeeks({ position }: { position: FinancierPositionView }) {
  const summary = position.fourWeeks;
  return (
    <Section id="vier-weken" title={t.fourWeeks}>
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
    </Section>
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
    <Section id="facturen" title={t.invoices}>
      <Table
        empty={t.invoicesNone}
        rowHeaders
        columns={[
          { heading: t.number },
          { heading: t.room },
          { heading: t.issueDate },
          { heading: t.dueDate },
          { heading: t.total, numeric: true },
          { heading: t.paidOn },
          { heading: t.daysToPay, numeric: true },
          { heading: t.onTime },
          { heading: t.document },
        ]}
        rows={invoices.map((invoice) => [
          invoice.number,
          invoice.kamer,
          dutchDate(invoice.issueDate),
          dutchDate(invoice.dueDate),
          euro(invoice.total),
          invoice.paidOn === null ? t.notPaid : dutchDate(invoice.paidOn),
          invoice.daysToPay === null ? '–' : String(invoice.daysToPay),
          <PaidMark invoice={invoice} />,
          <a class="utrecht-link" href={`/invoices/${encodeURIComponent(invoice.id)}/document.pdf`} aria-label={t.documentLink(invoice.number)}>
            PDF
          </a>,
        ])}
      />
    </Section>
  );
}

function Pledges({ pledges }: { pledges: readonly PledgeView[] }) {
  return (
    <Section id="toezeggingen" title={t.pledges}>
      {pledges.length === 0 && <p class="utrecht-paragraph">{t.pledgesNone}</p>}
      {PLEDGE_STATUS_ORDER.map((status) => {
        const inStatus = pledges.filter((pledge) => pledge.status === status);
        if (inStatus.length === 0) return null;
        return (
          <>
            <h3 class="utrecht-heading-3">{t.pledgeStatus[status]}</h3>
            <Table
              columns={[{ heading: t.room }, { heading: t.amount, numeric: true }, { heading: t.form }, { heading: t.reference }]}
              rows={inStatus.map((pledge) => [pledge.kamer, euro(pledge.amount), t.pledgeForm[pledge.form] ?? pledge.form, pledge.reference ?? ''])}
            />
          </>
        );
      })}
    </Section>
  );
}
