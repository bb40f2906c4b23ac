/**
 * The browser words its form-validation bubbles in the browser's language ("Please lengthen this
 * text…"), whatever the interface language is. One listener gives every field the app's own
 * translated message instead. A field names its own text for a pattern mismatch with
 * data-invalid-text; a field whose component already set a (translated) custom validity is left
 * alone.
 */
import { t } from './i18n/index.ts';

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/** Fields whose custom validity this module set, so typing clears only those. */
const translated = new WeakSet<Field>();

function isField(target: EventTarget | null): target is Field {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

function messageFor(field: Field): string {
  const v = field.validity;
  if (v.valid) return '';
  if (v.valueMissing) return t('form.required');
  if (v.tooShort && !(field instanceof HTMLSelectElement)) return t('form.tooShort', { min: field.minLength, length: field.value.length });
  if (v.tooLong && !(field instanceof HTMLSelectElement)) return t('form.tooLong', { max: field.maxLength });
  if (v.typeMismatch && field.type === 'url') return t('form.url');
  if (v.patternMismatch && field.dataset.invalidText) return field.dataset.invalidText;
  return t('form.invalid');
}

/** Starts translating validation messages under `root`; returns the function that stops it. */
export function translateValidation(root: Document): () => void {
  // Runs before the bubble is shown, which then reads the custom message.
  const onInvalid = (event: Event) => {
    const field = event.target;
    if (!isField(field) || (field.validity.customError && !translated.has(field))) return;
    field.setCustomValidity('');
    const message = messageFor(field);
    if (!message) return;
    field.setCustomValidity(message);
    translated.add(field);
  };
  // A custom validity sticks until cleared: editing the field must make it valid again.
  const onEdit = (event: Event) => {
    const field = event.target;
    if (!isField(field) || !translated.has(field)) return;
    field.setCustomValidity('');
    translated.delete(field);
  };
  root.addEventListener('invalid', onInvalid, true);
  root.addEventListener('input', onEdit, true);
  root.addEventListener('change', onEdit, true);
  return () => {
    root.removeEventListener('invalid', onInvalid, true);
    root.removeEventListener('input', onEdit, true);
    root.removeEventListener('change', onEdit, true);
  };
}
