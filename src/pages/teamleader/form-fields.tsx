import type { ComponentChildren, VNode } from 'preact';
import type { FieldErrors, FormValues } from './form-input.js';

/** A refused form again, or a fresh one: what was typed and the Dutch message per field. */
export interface FormState {
  readonly values: FormValues;
  readonly errors: FieldErrors;
}

export const EMPTY_FORM: FormState = { values: {}, errors: {} };

interface FieldProps {
  /** The form's prefix, so two forms on one page never share an element id. */
  readonly form: string;
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly state: FormState;
  /** The control, given the attributes that tie it to its label, hint and error. */
  readonly control: (attributes: ControlAttributes) => VNode;
}

export interface ControlAttributes {
  readonly id: string;
  readonly name: string;
  readonly 'aria-describedby'?: string;
  readonly 'aria-invalid'?: 'true';
}

/**
 * One labelled field in the Utrecht form-field pattern; a refused value gets its Dutch message
 * right above the control, announced through aria-describedby and marked with aria-invalid.
 */
export function Field({ form, name, label, hint, state, control }: FieldProps) {
  const id = `${form}-${name}`;
  const error = state.errors[name];
  const describedBy = [hint === undefined ? undefined : `${id}-uitleg`, error === undefined ? undefined : `${id}-fout`].filter(Boolean).join(' ');
  return (
    <div class={`utrecht-form-field utrecht-form-field--text${error === undefined ? '' : ' utrecht-form-field--invalid'}`}>
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={id}>
          {label}
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
        {control({ id, name, ...(describedBy === '' ? {} : { 'aria-describedby': describedBy }), ...(error === undefined ? {} : { 'aria-invalid': 'true' as const }) })}
      </div>
    </div>
  );
}

/** A text-like input (text, date) holding what was typed. */
export function textInput(state: FormState, type: 'text' | 'date', options: { required?: boolean; inputMode?: 'decimal' } = {}) {
  return (attributes: ControlAttributes) => {
    const common = { class: 'utrecht-textbox utrecht-textbox--html-input', value: state.values[attributes.name] ?? '', required: options.required ?? true, ...attributes };
    return type === 'date' ? <input type="date" {...common} /> : <input type="text" {...(options.inputMode === undefined ? {} : { inputMode: options.inputMode })} {...common} />;
  };
}

/** A select whose chosen option is what was chosen before. */
export function selectInput(state: FormState, options: ReadonlyArray<{ value: string; label: string }>) {
  return (attributes: ControlAttributes) => (
    <select class="utrecht-select utrecht-select--html-select" required {...attributes}>
      {options.map((option) => (
        <option value={option.value} selected={state.values[attributes.name] === option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}

export interface FormSectionProps {
  /** The section's id, which its heading carries. */
  readonly id: string;
  readonly heading: string;
  readonly intro: string;
  /** Where the form posts. */
  readonly action: string;
  readonly csrfToken: string;
  readonly state: FormState;
  /** The alert above a refused form. */
  readonly refused: string;
  readonly submit: string;
  readonly children: ComponentChildren;
}

/**
 * A page section holding one form that posts: its heading and intro, the hidden CSRF field, when
 * refused the alert (with a rule that names no field), the fields, and the submit button.
 */
export function FormSection({ id, heading, intro, action, csrfToken, state, refused, submit, children }: FormSectionProps) {
  const wasRefused = Object.keys(state.errors).length > 0;
  return (
    <section aria-labelledby={id} class="no-print">
      <h2 class="utrecht-heading-2" id={id}>
        {heading}
      </h2>
      <p class="utrecht-paragraph">{intro}</p>
      <form method="post" action={action} class="utrecht-form">
        <input type="hidden" name="_csrf" value={csrfToken} />
        {wasRefused && (
          <div class="utrecht-alert utrecht-alert--error" role="alert">
            <p class="utrecht-paragraph">{refused}</p>
            {state.errors[''] !== undefined && <p class="utrecht-paragraph form-error">{state.errors['']}</p>}
          </div>
        )}
        {children}
        <p>
          <button type="submit" class="utrecht-button utrecht-button--primary-action">
            {submit}
          </button>
        </p>
      </form>
    </section>
  );
}
