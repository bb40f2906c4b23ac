/**
 * One labelled field of a create form, its error (the client's check or the server's coded
 * answer) right under it and tied to it for screen readers.
 */
import type { ComponentChildren } from 'preact';
import { FieldError, fieldAria, type FieldErrors } from './card-frame.tsx';

export function Field(props: {
  form: string;
  name: string;
  label: string;
  errors: FieldErrors;
  value: string;
  onInput: (value: string) => void;
  type?: 'text' | 'number' | 'datetime-local' | 'date';
  maxLength?: number;
  placeholder?: string;
  multiline?: boolean;
  hint?: ComponentChildren;
  autofocus?: boolean;
}) {
  const id = `${props.form}-${props.name.replace(/\./g, '-')}`;
  const common = {
    id,
    name: props.name,
    value: props.value,
    maxLength: props.maxLength,
    placeholder: props.placeholder,
    ...(props.autofocus ? { 'data-autofocus': true } : {}),
    ...fieldAria(props.form, props.errors, props.name),
  };
  return (
    <label class={props.errors[props.name] ? 'form-field invalid' : 'form-field'} for={id}>
      <span>{props.label}</span>
      {props.multiline ? (
        <textarea rows={3} {...common} onInput={(e) => props.onInput(e.currentTarget.value)} />
      ) : (
        <input type={(props.type ?? 'text') as 'text'} {...common} onInput={(e) => props.onInput(e.currentTarget.value)} />
      )}
      {props.hint && <span class="muted small">{props.hint}</span>}
      <FieldError id={props.form} errors={props.errors} field={props.name} />
    </label>
  );
}
