import { euro } from '../../documents/format.js';
import type { PettyCashCategory } from '../../domain/events.js';
import { PETTY_CASH_CATEGORY_LABELS } from '../../domain/petty-cash/categories.js';
import type { PettyCashView } from '../../projections/views/petty-cash.js';
import { Layout } from '../layout.js';
import { Table } from '../table.js';
import { YearForm } from '../year-form.js';
import { MONTH_NAMES, nl } from '../text/nl.js';
import { Field, FormSection, Notice, PageForm, type FormSectionProps, type PageFormProps } from '../forms/fields.js';
import { EMPTY_FORM, type FormState } from '../forms/input.js';
import type { CsvRowError } from './hours-csv.js';
import { Section } from '../section.js';

const t = nl.teamleader;

export interface RoomPageProps {
  readonly roomName: string;
  readonly year: number;
  readonly pettyCash: PettyCashView;
  readonly csrfToken: string;
  /** Today in Amsterdam: a fresh form proposes it as the date. */
  readonly today: string;
  /** The Dutch confirmation after a form was saved (Post/Redirect/Get). */
  readonly notice?: string;
  readonly spending?: FormState;
  readonly hours?: FormState;
  /** A refused CSV file: every error, per row and column. */
  readonly csvErrors?: readonly CsvRowError[];
}

const CATEGORY_OPTIONS = (Object.entries(PETTY_CASH_CATEGORY_LABELS) as Array<[PettyCashCategory, string]>).map(([letter, label]) => ({ value: letter, label: `${letter}: ${label}` }));
const CATEGORY_CHOICE = Object.fromEntries(CATEGORY_OPTIONS.map((category) => [category.value, category.label]));

/** The team leader's page: its room's petty cash and volunteer hours, each form on the API's command path. */
export function RoomPage(props: RoomPageProps) {
  const { roomName, csrfToken, notice } = props;
  return (
    <Layout title={t.title(roomName)} signedInAs={`${nl.start.roles.teamleader} ${roomName}`} csrfToken={csrfToken}>
      <Notice notice={notice} />
      <p class="utrecht-paragraph">{t.intro}</p>
      <SpendingForm state={withDate(props.spending, props.today)} csrfToken={csrfToken} />
      <PettyCashMonths year={props.year} pettyCash={props.pettyCash} />
      <HoursForm state={withDate(props.hours, props.today)} csrfToken={csrfToken} />
      <HoursCsvForm csrfToken={csrfToken} errors={props.csvErrors ?? []} />
    </Layout>
  );
}

/** A fresh form proposes today; a refused one keeps what was typed. */
function withDate(state: FormState | undefined, today: string): FormState {
  return state ?? { ...EMPTY_FORM, values: { date: today } };
}

function SpendingForm({ state, csrfToken }: { state: FormState; csrfToken: string }) {
  const s = t.spending;
  return (
    <RoomForm id="handgeld-uitgeven" heading={s.heading} intro={s.intro} action="/kamer/handgeld" csrfToken={csrfToken} state={state} submit={s.submit}>
      <Field form="uitgave" name="date" label={s.date} state={state} type="date" required />
      <Field form="uitgave" name="category" label={s.category} state={state} options={CATEGORY_CHOICE} required />
      <Field form="uitgave" name="amount" label={s.amount} hint={s.amountHint} state={state} inputMode="decimal" required />
      <Field form="uitgave" name="description" label={s.description} state={state} required />
      <Field form="uitgave" name="receipt" label={s.receipt} state={state} />
    </RoomForm>
  );
}

function PettyCashMonths({ year, pettyCash }: { year: number; pettyCash: PettyCashView }) {
  const b = t.balance;
  return (
    <Section id="handgeld-per-maand" title={b.heading(year)}>
      <YearForm action="/kamer" year={year} label={b.yearLabel} submit={b.showYear} />
      <p class="utrecht-paragraph">
        {b.opening}: {euro(pettyCash.openingBalance)}
      </p>
      <Table
        rowHeaders
        columns={[{ heading: b.month }, { heading: b.received, numeric: true }, { heading: b.spent, numeric: true }, { heading: b.balance, numeric: true }]}
        rows={pettyCash.months.map((month) => [MONTH_NAMES[Number(month.month.slice(5)) - 1], euro(month.transferredByDate), euro(month.spentTotal), euro(month.balance)])}
      />
      <p class="utrecht-paragraph">
        {b.closing}: {euro(pettyCash.closingBalance)}
      </p>
      <h3 class="utrecht-heading-3">{b.perCategory}</h3>
      <Table
        rowHeaders
        columns={[{ heading: b.category }, { heading: b.spent, numeric: true }]}
        rows={[...CATEGORY_OPTIONS.map((category) => [category.label, euro(pettyCash.totals.spent[category.value])]), [b.total, euro(pettyCash.totals.spentTotal)]]}
      />
    </Section>
  );
}

function HoursForm({ state, csrfToken }: { state: FormState; csrfToken: string }) {
  const h = t.hours;
  return (
    <RoomForm id="uren" heading={h.heading} intro={h.intro} action="/kamer/uren" csrfToken={csrfToken} state={state} submit={h.submit}>
      <Field form="uren" name="volunteer" label={h.volunteer} hint={h.volunteerHint} state={state} required />
      <Field form="uren" name="date" label={h.date} state={state} type="date" required />
      <Field form="uren" name="hours" label={h.hours} hint={h.hoursHint} state={state} inputMode="decimal" required />
      <Field form="uren" name="kind" label={h.kind} state={state} options={h.kinds} required />
      <Field form="uren" name="activity" label={h.activity} state={state} />
    </RoomForm>
  );
}

/** A room form: the shared page form and the section it stands in. */
type RoomFormProps = Omit<PageFormProps, 'refused'> & Omit<FormSectionProps, 'introId'>;

/** One of the room's forms in its own section, with the team leader's sentence over a refused form. */
function RoomForm({ id, heading, intro, children, ...form }: RoomFormProps) {
  return (
    <FormSection id={id} heading={heading} intro={intro}>
      <PageForm {...form} refused={t.refused}>
        {children}
      </PageForm>
    </FormSection>
  );
}

function HoursCsvForm({ csrfToken, errors }: { csrfToken: string; errors: readonly CsvRowError[] }) {
  const c = t.csv;
  const refused = errors.length > 0;
  return (
    <FormSection id="uren-inlezen" heading={c.heading} intro={c.intro} introId="csv-uitleg">
      {refused && (
        <div class="utrecht-alert utrecht-alert--error" role="alert" id="csv-fouten">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">{c.refused}</p>
            <Table
              columns={[{ heading: c.row, numeric: true }, { heading: c.column }, { heading: c.problem }]}
              rows={errors.map((error) => [String(error.row), error.column, error.message])}
            />
          </div>
        </div>
      )}
      <form method="post" action="/kamer/uren-csv" enctype="multipart/form-data" class="utrecht-form">
        <input type="hidden" name="_csrf" value={csrfToken} />
        {/* The rows' errors are listed above, not at the field: the field is described by that list. */}
        <Field form="csv" name="bestand" label={c.file} state={EMPTY_FORM} type="file" accept=".csv,text/csv" describedBy={refused ? 'csv-uitleg csv-fouten' : 'csv-uitleg'} invalid={refused} required />
        <p>
          <button type="submit" class="utrecht-button utrecht-button--primary-action">
            {c.submit}
          </button>
        </p>
      </form>
    </FormSection>
  );
}
