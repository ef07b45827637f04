import type { ComponentChildren } from 'preact';
import { Section } from '../section.js';
import { nl } from '../text/nl.js';
import type { FormState } from './input.js';

/**
 * The parts every page form is drawn with (NL Design System's Utrecht form pattern): a labelled
 * field that shows its refusal, the form with its alert, the confirmation after a save.
 */

/** An id for a field: unique on the page even when several forms share field names. */
function fieldId(form: string | undefined, name: string): string {
  const field = name.replace(/\./g, '-');
  return form === undefined ? field : `${form}-${field}`;
}

export interface FieldProps {
  /** The form's id prefix: a page with several forms (one per receipt) keeps every id unique. Absent: the page's only form. */
  readonly form?: string;
  /** The body's dotted path, so a refusal's field is this field. */
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly state: FormState;
  /** A password or file is never shown again after a refusal. */
  readonly type?: 'text' | 'date' | 'email' | 'number' | 'password' | 'file';
  /** A field that may stay empty says so after its label. */
  readonly required?: boolean;
  /** A choice instead of a text box: value → Dutch label. */
  readonly options?: Readonly<Record<string, string>>;
  readonly inputMode?: 'decimal' | 'numeric';
  /** For a file: the kinds of file to offer. */
  readonly accept?: string;
  readonly autoComplete?: string;
  /** Ids of text elsewhere on the page that explains the field (a section's intro, a list of errors), read before its own. */
  readonly describedBy?: string;
  /** Refused as a whole with the reasons listed elsewhere (`describedBy`), so without a message of its own here. */
  readonly invalid?: boolean;
}

/**
 * One labelled field. After a refusal it keeps what was typed and shows the rule's Dutch message
 * under the label, tied to the input by aria-describedby and marked aria-invalid, so a screen
 * reader reads the message with the field.
 */
export function Field(props: FieldProps) {
  const { form, name, label, hint, state, type = 'text', required = false, options, describedBy: elsewhere } = props;
  const id = fieldId(form, name);
  const error = state.errors[name];
  const invalid = error !== undefined || props.invalid === true;
  const describedBy = [elsewhere, hint === undefined ? undefined : `${id}-uitleg`, error === undefined ? undefined : `${id}-fout`].filter(Boolean).join(' ');
  const common: ControlAttributes = {
    id,
    name,
    required,
    ...(describedBy === '' ? {} : { 'aria-describedby': describedBy }),
    ...(invalid ? { 'aria-invalid': 'true' as const } : {}),
  };
  return (
    <div class={`utrecht-form-field utrecht-form-field--text${invalid ? ' utrecht-form-field--invalid' : ''}`}>
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={id}>
          {label}
          {!required && <span class="optional"> {nl.forms.optional}</span>}
        </label>
      </div>
      {hint !== undefined && (
        <div class="utrecht-form-field-description" id={`${id}-uitleg`}>
          {hint}
        </div>
      )}
      {error !== undefined && (
        <div class="utrecht-form-field-error-message form-error" id={`${id}-fout`}>
          {error}
        </div>
      )}
      <div class="utrecht-form-field__input">
        {options === undefined ? (
          <Input {...props} type={type} common={common} />
        ) : (
          <select class="utrecht-select utrecht-select--html-select" {...common}>
            {!required && <option value="">–</option>}
            {Object.entries(options).map(([option, optionLabel]) => (
              <option value={option} selected={option === state.values[name]}>
                {optionLabel}
              </option>
            ))}
          </select>
        )}
      </div>
    </div>
  );
}

/** What ties a field's control to its label, hint and error. */
interface ControlAttributes {
  readonly id: string;
  readonly name: string;
  readonly required: boolean;
  readonly 'aria-describedby'?: string;
  readonly 'aria-invalid'?: 'true';
}

/** The field's input: a file picker, a secret, or a text box that keeps what was typed. */
function Input({ name, state, type, inputMode, accept, autoComplete, common }: FieldProps & { readonly type: NonNullable<FieldProps['type']>; readonly common: ControlAttributes }) {
  if (type === 'file') return <input type="file" {...(accept === undefined ? {} : { accept })} {...common} />;
  const kept = type === 'password' ? {} : { value: state.values[name] ?? '' };
  const optional = { ...(inputMode === undefined ? {} : { inputMode }), ...(autoComplete === undefined ? {} : { autocomplete: autoComplete }) };
  // preact types `type` as a union per kind of input; every kind here takes the same attributes.
  return <input class="utrecht-textbox utrecht-textbox--html-input" type={type as 'text'} {...kept} {...optional} {...common} />;
}

export interface PageFormProps {
  readonly action: string;
  readonly csrfToken: string;
  readonly state: FormState;
  readonly submit: string;
  /** The alert's first sentence when the form was refused. */
  readonly refused: string;
  /** A hidden field carried along with the CSRF token (the treasurer's one-time form id). */
  readonly hidden?: { readonly name: string; readonly value: string };
  /** multipart for a file upload; else an ordinary urlencoded form. */
  readonly upload?: boolean;
  readonly label?: string;
  readonly children: ComponentChildren;
}

/**
 * A form that posts to a page route: the hidden CSRF token, the refusal's alert when the form was
 * refused (role="alert", so it is announced; with the message that names no field), the fields,
 * one submit button.
 */
export function PageForm({ action, csrfToken, state, submit, refused, hidden, upload = false, label, children }: PageFormProps) {
  const wasRefused = state.summary !== undefined || Object.keys(state.errors).length > 0;
  return (
    <form method="post" action={action} class="utrecht-form page-form" {...(upload ? { enctype: 'multipart/form-data' } : {})} {...(label === undefined ? {} : { 'aria-label': label })}>
      <input type="hidden" name="_csrf" value={csrfToken} />
      {hidden !== undefined && <input type="hidden" name={hidden.name} value={hidden.value} />}
      {wasRefused && (
        <div class="utrecht-alert utrecht-alert--error" role="alert">
          <p class="utrecht-paragraph">{refused}</p>
          {state.summary !== undefined && <p class="utrecht-paragraph form-error">{state.summary}</p>}
        </div>
      )}
      {children}
      <p>
        <button type="submit" class="utrecht-button utrecht-button--primary-action">
          {submit}
        </button>
      </p>
    </form>
  );
}

/** The Dutch confirmation after a form was saved (Post/Redirect/Get), announced as a status. */
export function Notice({ notice }: { readonly notice: string | undefined }) {
  if (notice === undefined) return null;
  return (
    <div class="utrecht-alert utrecht-alert--ok" role="status">
      <p class="utrecht-paragraph">{notice}</p>
    </div>
  );
}

export interface FormSectionProps {
  /** The section's id, which its heading carries. */
  readonly id: string;
  readonly heading: string;
  readonly intro: string;
  /** The intro's id, where a field is described by it (an upload's explanation). */
  readonly introId?: string;
  readonly children: ComponentChildren;
}

/** A section of a page holding a form: its heading, what the form is for, the form. Not printed. */
export function FormSection({ id, heading, intro, introId, children }: FormSectionProps) {
  return (
    <Section id={id} title={heading} noPrint>
      <p class="utrecht-paragraph" {...(introId === undefined ? {} : { id: introId })}>
        {intro}
      </p>
      {children}
    </Section>
  );
}
