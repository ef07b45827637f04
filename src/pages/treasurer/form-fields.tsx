import { Field, PageForm, type FieldProps, type PageFormProps } from '../forms/fields.js';
import { FORM_ID_FIELD, newFormId } from './form-once.js';
import { text } from './text.js';

/** A euro amount field: typed the Dutch way, normalised to "125.00" before the schema sees it. */
export function AmountField(props: Omit<FieldProps, 'label' | 'inputMode' | 'type'> & { readonly label?: string }) {
  return <Field {...props} label={props.label ?? text.treasurer.amount} hint={props.hint ?? text.treasurer.amountHint} inputMode="decimal" />;
}

/** The shared page form with the treasurer's refusal sentence and a fresh one-time id, so it is saved once (form-once.ts). */
export function TreasurerForm(props: Omit<PageFormProps, 'refused' | 'hidden'>) {
  return <PageForm {...props} refused={text.treasurer.refused} hidden={{ name: FORM_ID_FIELD, value: newFormId() }} />;
}
