import { Layout } from '../layout.js';
import { Field, Notice } from '../forms/fields.js';
import { AmountField, TreasurerForm } from './form-fields.js';
import type { FormState } from '../forms/input.js';
import { TreasurerNav } from './nav.js';
import { text } from './text.js';

const t = text.treasurer;

/** A select whose options are the registry's rooms or financiers, filled in when the page is drawn. */
type Choices = 'kamers' | 'financiers';

export interface FieldSpec {
  /** The API body's dotted path. */
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly type?: 'text' | 'date' | 'email' | 'number';
  readonly required?: boolean;
  readonly amount?: boolean;
  readonly options?: Readonly<Record<string, string>> | Choices;
}

export interface FormSection {
  /** A fieldset's legend (an invoice line, the address); absent: the fields stand alone. */
  readonly legend?: string;
  readonly hint?: string;
  readonly fields: readonly FieldSpec[];
}

export interface EntryFormSpec {
  /** Under /penningmeester/invoeren/. */
  readonly slug: string;
  readonly title: string;
  readonly sections: readonly FormSection[];
}

/** Every field name of a form, for turning a post into a body and placing a refusal. */
export function fieldNamesOf(spec: EntryFormSpec): string[] {
  return spec.sections.flatMap((section) => section.fields.map((field) => field.name));
}

export const INVOICE_LINES = 5;

const amount = (name: string, required = true, hint?: string): FieldSpec => ({ name, label: t.amount, amount: true, required, ...(hint === undefined ? {} : { hint }) });

/** A room and a financier are both registered by a slug of the treasurer's choosing and a name. */
const idAndName: readonly FieldSpec[] = [
  { name: 'id', label: t.id, hint: t.idHint, required: true },
  { name: 'name', label: t.name, required: true },
];

/** The forms, each the body of one API write; labels and hints from the catalogue. */
export const ENTRY_FORMS = {
  kamer: {
    slug: 'kamer',
    title: t.registerKamer,
    sections: [
      {
        fields: [
          ...idAndName,
          { name: 'teamLeaderIban', label: t.teamLeaderIban, hint: t.ibanHint },
        ],
      },
    ],
  },
  financier: {
    slug: 'financier',
    title: t.registerFinancier,
    sections: [
      {
        fields: [
          ...idAndName,
          { name: 'kind', label: t.kind, options: t.kinds, required: true },
          { name: 'pays', label: t.pays, options: t.paysBy, required: true },
          { name: 'iban', label: t.iban, hint: t.ibanHint },
          { name: 'email', label: t.email, type: 'email' },
        ],
      },
      {
        legend: t.address,
        fields: [
          { name: 'address.street', label: t.street },
          { name: 'address.postcode', label: t.postcode },
          { name: 'address.city', label: t.city },
        ],
      },
    ],
  },
  invoice: {
    slug: 'factuur',
    title: t.issueInvoice,
    sections: [
      {
        fields: [
          { name: 'financier', label: t.financier, options: 'financiers', required: true },
          { name: 'kamer', label: t.kamer, options: 'kamers', required: true },
          { name: 'year', label: t.year, type: 'number', required: true },
          { name: 'issueDate', label: t.issueDate, hint: t.issueDateHint, type: 'date' },
          { name: 'pledge', label: t.pledge, hint: t.pledgeHint },
          { name: 'reference', label: t.reference, hint: t.referenceHint },
        ],
      },
      ...Array.from({ length: INVOICE_LINES }, (_, index) => ({
        legend: t.lineLegend(index + 1),
        ...(index === 0 ? { hint: t.lineHint } : {}),
        fields: [{ name: `lines.${index}.description`, label: t.lineDescription, required: index === 0 }, amount(`lines.${index}.amount`, index === 0)],
      })),
    ],
  },
  creditNote: {
    slug: 'creditnota',
    title: t.issueCreditNote,
    sections: [
      {
        fields: [
          { name: 'invoice', label: t.invoice, hint: t.invoiceHint, required: true },
          amount('amount', false, t.creditAmountHint),
          { name: 'reason', label: t.reason, required: true },
          { name: 'issueDate', label: t.issueDate, hint: t.issueDateHint, type: 'date' },
          { name: 'reference', label: t.reference },
        ],
      },
    ],
  },
  payment: {
    slug: 'betaling',
    title: t.recordPayment,
    sections: [
      {
        fields: [
          { name: 'date', label: t.paymentDate, type: 'date', required: true },
          amount('amount'),
          { name: 'payerName', label: t.payerName },
          { name: 'payerIban', label: t.payerIban, hint: t.ibanHint },
          { name: 'description', label: t.paymentDescription, hint: t.paymentDescriptionHint },
          { name: 'bankReference', label: t.bankReference, hint: t.bankReferenceHint },
        ],
      },
    ],
  },
  hours: {
    slug: 'uren',
    title: t.recordHours,
    sections: [
      {
        fields: [
          { name: 'kamer', label: t.kamer, options: 'kamers', required: true },
          { name: 'volunteer', label: t.volunteer, hint: t.volunteerHint, required: true },
          { name: 'date', label: t.date, type: 'date', required: true },
          { name: 'hours', label: t.hours, hint: t.hoursHint, required: true },
          { name: 'kind', label: t.volunteerKind, options: t.volunteerKinds, required: true },
          { name: 'activity', label: t.activity },
        ],
      },
    ],
  },
} as const satisfies Record<string, EntryFormSpec>;

export interface EntryFormPageProps {
  readonly spec: EntryFormSpec;
  readonly signedInAs: string;
  readonly csrfToken: string;
  readonly state: FormState;
  readonly choices: Readonly<Record<Choices, Readonly<Record<string, string>>>>;
}

/** One form on its own page: posted to the same path, answered by a redirect or this page again with the refusal. */
export function EntryFormPage({ spec, signedInAs, csrfToken, state, choices }: EntryFormPageProps) {
  const form = spec.slug;
  const fields = (section: FormSection) =>
    section.fields.map((field) => {
      const common = { form, name: field.name, state, required: field.required ?? false, ...(field.hint === undefined ? {} : { hint: field.hint }) };
      if (field.amount) return <AmountField {...common} />;
      const options = typeof field.options === 'string' ? choices[field.options] : field.options;
      return <Field {...common} label={field.label} {...(field.type === undefined ? {} : { type: field.type })} {...(options === undefined ? {} : { options })} />;
    });
  return (
    <Layout title={spec.title} signedInAs={signedInAs} csrfToken={csrfToken}>
      <TreasurerNav current="/penningmeester/invoeren" />
      <TreasurerForm action={`/penningmeester/invoeren/${spec.slug}`} csrfToken={csrfToken} state={state} submit={t.save}>
        {spec.sections.map((section, index) =>
          section.legend === undefined ? (
            fields(section)
          ) : (
            <fieldset class="utrecht-form-fieldset" aria-describedby={section.hint === undefined ? undefined : `${form}-deel-${index}-uitleg`}>
              <legend class="utrecht-form-fieldset__legend">{section.legend}</legend>
              {section.hint !== undefined && (
                <p class="utrecht-form-field-description" id={`${form}-deel-${index}-uitleg`}>
                  {section.hint}
                </p>
              )}
              {fields(section)}
            </fieldset>
          ),
        )}
      </TreasurerForm>
    </Layout>
  );
}

/** The list of forms, and the confirmation of the last one saved. */
export function EntryFormsIndex({ signedInAs, csrfToken, notice }: { signedInAs: string; csrfToken: string; notice?: string | undefined }) {
  return (
    <Layout title={t.forms} signedInAs={signedInAs} csrfToken={csrfToken}>
      <TreasurerNav current="/penningmeester/invoeren" />
      <Notice notice={notice} />
      <p class="utrecht-paragraph">{t.formsIntro}</p>
      <ul class="utrecht-unordered-list">
        {Object.values(ENTRY_FORMS).map((spec) => (
          <li class="utrecht-unordered-list__item">
            <a class="utrecht-link" href={`/penningmeester/invoeren/${spec.slug}`}>
              {spec.title}
            </a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
