import type { ComponentChildren } from 'preact';
import { FORM_ID_FIELD, newFormId } from './form-once.js';
import type { FormState } from './form-input.js';
import { text } from './text.js';

/** An id for a field: unique on the page even when several forms share field names. */
function fieldId(form: string, name: string): string {
  return `${form}-${name.replace(/\./g, '-')}`;
}

export interface FieldProps {
  /** The form's id prefix: a page with several forms (one per receipt) keeps every id unique. */
  readonly form: string;
  /** The body's dotted path, so a refusal's field is this field. */
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly state: FormState;
  readonly type?: 'text' | 'date' | 'email' | 'number';
  readonly required?: boolean;
  /** A choice instead of a text box: value → Dutch label. */
  readonly options?: Readonly<Record<string, string>>;
  readonly inputMode?: 'decimal' | 'numeric';
}

/**
 * One labelled field in the Utrecht form-field pattern. After a refusal it keeps what was typed
 * and shows the rule's Dutch message under the label, tied to the input by aria-describedby and
 * marked aria-invalid, so a screen reader reads the message with the field.
 */
export function Field({ form, name, label, hint, state, type = 'text', required = false, options, inputMode }: FieldProps) {
  const id = fieldId(form, name);
  const error = state.errors[name];
  const value = state.values[name] ?? '';
  const describedBy = [hint === undefined ? undefined : `${id}-uitleg`, error === undefined ? undefined : `${id}-fout`].filter(Boolean).join(' ');
  const common = {
    id,
    name,
    required,
    ...(describedBy === '' ? {} : { 'aria-describedby': describedBy }),
    ...(error === undefined ? {} : { 'aria-invalid': 'true' as const }),
  };
  return (
    <div class={`utrecht-form-field utrecht-form-field--text${error === undefined ? '' : ' utrecht-form-field--invalid'}`}>
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={id}>
          {label}
          {!required && <span class="optional"> {text.treasurer.optional}</span>}
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
          // preact types `type` as a union per kind of input; every kind here takes the same attributes.
          <input class="utrecht-textbox utrecht-textbox--html-input" type={type as 'text'} value={value} {...(inputMode === undefined ? {} : { inputMode })} {...common} />
        ) : (
          <select class="utrecht-select utrecht-select--html-select" {...common}>
            {!required && <option value="">–</option>}
            {Object.entries(options).map(([option, optionLabel]) => (
              <option value={option} selected={option === value}>
                {optionLabel}
              </option>
            ))}
          </select>
        )}
      </div>
    </div>
  );
}

/** A euro amount field: typed the Dutch way, normalised to "125.00" before the schema sees it. */
export function AmountField(props: Omit<FieldProps, 'label' | 'inputMode' | 'type'> & { readonly label?: string }) {
  return <Field {...props} label={props.label ?? text.treasurer.amount} hint={props.hint ?? text.treasurer.amountHint} inputMode="decimal" />;
}

export interface PageFormProps {
  readonly action: string;
  readonly csrfToken: string;
  readonly state: FormState;
  readonly submit: string;
  /** multipart for a file upload; else an ordinary urlencoded form. */
  readonly upload?: boolean;
  readonly label?: string;
  readonly children: ComponentChildren;
}

/**
 * A form that posts to a page route: the hidden CSRF token and the form's one-time id, the refusal's summary when the form
 * was refused (role="alert", so it is announced), the fields, one submit button.
 */
export function PageForm({ action, csrfToken, state, submit, upload = false, label, children }: PageFormProps) {
  const refused = state.summary !== undefined || Object.keys(state.errors).length > 0;
  return (
    <form method="post" action={action} class="utrecht-form page-form" {...(upload ? { enctype: 'multipart/form-data' } : {})} {...(label === undefined ? {} : { 'aria-label': label })}>
      <input type="hidden" name="_csrf" value={csrfToken} />
      <input type="hidden" name={FORM_ID_FIELD} value={newFormId()} />
      {refused && (
        <div class="utrecht-alert utrecht-alert--error" role="alert">
          <p class="utrecht-paragraph">{text.treasurer.refused}</p>
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
