import { dutchDate, euro } from '../../documents/format.js';
import type { UnallocatedPaymentView } from '../../projections/views/payments.js';
import type { OverdueWithReminders } from '../../projections/views/reminders.js';
import { Layout } from '../layout.js';
import { Field, FormSection, Notice } from '../forms/fields.js';
import { AmountField, TreasurerForm } from './form-fields.js';
import { EMPTY_FORM, type FormState } from '../forms/input.js';
import { TreasurerNav } from './nav.js';
import { Table } from '../table.js';
import { text } from './text.js';
import { Section } from '../section.js';

const t = text.treasurer;

export interface DashboardProps {
  readonly signedInAs: string;
  readonly csrfToken: string;
  readonly notice?: string | undefined;
  /** GET /reports/overdue's rows. */
  readonly overdue: readonly OverdueWithReminders[];
  /** GET /payments/unallocated's rows. */
  readonly unallocated: readonly UnallocatedPaymentView[];
  /** Financier and room ids → names, for the table. */
  readonly financierNames: ReadonlyMap<string, string>;
  readonly kamerNames: ReadonlyMap<string, string>;
  /** A refused allocation: the payment it was for and the form as it was sent. */
  readonly refusedAllocation?: { readonly payment: string; readonly state: FormState };
  readonly bankForm?: FormState;
}

/** The treasurer's start: what is overdue, what money waits to be allocated, and a statement to read in. */
export function DashboardPage(props: DashboardProps) {
  const { signedInAs, csrfToken, notice } = props;
  return (
    <Layout title={t.title} signedInAs={signedInAs} csrfToken={csrfToken}>
      <TreasurerNav current="/penningmeester" />
      <Notice notice={notice} />
      <Overdue rows={props.overdue} financiers={props.financierNames} kamers={props.kamerNames} />
      <Unallocated {...props} />
      <BankStatement csrfToken={csrfToken} state={props.bankForm ?? EMPTY_FORM} />
    </Layout>
  );
}

function Overdue({ rows, financiers, kamers }: { rows: readonly OverdueWithReminders[]; financiers: ReadonlyMap<string, string>; kamers: ReadonlyMap<string, string> }) {
  return (
    <Section id="te-laat" title={t.overdue}>
      <Table
        empty={t.overdueNone}
        rowHeaders
        columns={[
          { heading: t.number },
          { heading: t.financier },
          { heading: t.kamer },
          { heading: t.dueDate },
          { heading: t.daysOverdue, numeric: true },
          { heading: t.openAmount, numeric: true },
          { heading: t.reminderDue },
        ]}
        rows={rows.map((row) => [
          row.number,
          financiers.get(row.financier) ?? row.financier,
          kamers.get(row.kamer) ?? row.kamer,
          dutchDate(row.dueDate),
          String(row.daysOverdue),
          euro(row.openAmount),
          row.reminderDue === null ? '' : (t.reminderKinds[row.reminderDue] ?? row.reminderDue),
        ])}
      />
    </Section>
  );
}

function Unallocated({ unallocated, csrfToken, refusedAllocation }: DashboardProps) {
  return (
    <Section id="toewijzen" title={t.unallocated}>
      {unallocated.length === 0 && <p class="utrecht-paragraph">{t.unallocatedNone}</p>}
      {unallocated.map((payment, index) => {
        const state = refusedAllocation?.payment === payment.id ? refusedAllocation.state : { values: { amount: payment.unallocated.replace('.', ',') }, errors: {} };
        const form = `toewijzing-${index + 1}`;
        return (
          <article class="receipt" aria-labelledby={`${form}-kop`}>
            <h3 class="utrecht-heading-3" id={`${form}-kop`}>
              {t.received(dutchDate(payment.date), euro(payment.amount))}
            </h3>
            <dl class="receipt__facts">
              <dt>{t.payer}</dt>
              <dd>{payment.payerName ?? payment.payerIban ?? t.unknownPayer}</dd>
              {payment.description !== undefined && (
                <>
                  <dt>{t.description}</dt>
                  <dd>{payment.description}</dd>
                </>
              )}
              <dt>{t.leftToAllocate}</dt>
              <dd>{euro(payment.unallocated)}</dd>
            </dl>
            <TreasurerForm
              action={`/penningmeester/betalingen/${payment.id}/toewijzing`}
              csrfToken={csrfToken}
              state={state}
              submit={t.allocate}
              label={t.allocateLegend(euro(payment.unallocated))}
            >
              <Field form={form} name="invoice" label={t.allocateInvoice} hint={t.allocateInvoiceHint} state={state} />
              <Field form={form} name="pledge" label={t.allocatePledge} hint={t.allocatePledgeHint} state={state} />
              <AmountField form={form} name="amount" state={state} required />
              <Field form={form} name="reason" label={t.allocateReason} hint={t.allocateReasonHint} state={state} />
            </TreasurerForm>
          </article>
        );
      })}
    </Section>
  );
}

function BankStatement({ csrfToken, state }: { csrfToken: string; state: FormState }) {
  return (
    <FormSection id="bank" heading={t.bank} intro={t.bankIntro} introId="bank-uitleg">
      <TreasurerForm action="/penningmeester/bankafschrift" csrfToken={csrfToken} state={state} submit={t.bankSubmit} upload label={t.bank}>
        <Field form="bank" name="statement" label={t.bankFile} state={state} type="file" accept=".xml,application/xml,text/xml" describedBy="bank-uitleg" required />
        <div class={`utrecht-form-field utrecht-form-field--checkbox${state.errors['acceptDifference'] === undefined ? '' : ' utrecht-form-field--invalid'}`}>
          {state.errors['acceptDifference'] !== undefined && (
            <div class="utrecht-form-field-error-message form-error" id="bank-accept-fout">
              {state.errors['acceptDifference']}
            </div>
          )}
          <input
            class="utrecht-checkbox utrecht-checkbox--html-input"
            type="checkbox"
            id="bank-accept"
            name="acceptDifference"
            value="true"
            checked={state.values['acceptDifference'] === 'true'}
            {...(state.errors['acceptDifference'] === undefined ? {} : { 'aria-describedby': 'bank-accept-fout', 'aria-invalid': 'true' as const })}
          />{' '}
          <label class="utrecht-form-label utrecht-form-label--checkbox" for="bank-accept">
            {t.acceptDifference}
          </label>
        </div>
      </TreasurerForm>
    </FormSection>
  );
}
