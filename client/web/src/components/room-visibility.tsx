/**
 * Who can find a group and look in before joining: visibility (public, unlisted, private) and
 * preview, in the create form and the room's settings; forwarding out of the room (the owner's
 * choice) in the settings.
 */
import type { RoomVisibility } from '../../../../shared/schemas.ts';
import { t } from '../i18n/index.ts';

export interface VisibilityValue {
  visibility: RoomVisibility;
  preview: boolean;
}

const CHOICES: RoomVisibility[] = ['public', 'unlisted', 'private'];

export function VisibilityFields({ value, onChange, name }: { value: VisibilityValue; onChange: (next: VisibilityValue) => void; name: string }) {
  return (
    <fieldset class="visibility-fields">
      <legend>{t('visibility.legend')}</legend>
      {CHOICES.map((choice) => (
        <label key={choice} class="visibility-choice">
          <span class="row">
            <input type="radio" name={name} value={choice} checked={value.visibility === choice} onChange={() => onChange({ visibility: choice, preview: choice === 'public' && value.preview })} />
            <strong>{t(`visibility.${choice}`)}</strong>
          </span>
          <span class="muted small">{t(`visibility.${choice}.hint`)}</span>
        </label>
      ))}
      <label class="row preview-choice">
        <input type="checkbox" name={`${name}-preview`} checked={value.visibility === 'public' && value.preview} disabled={value.visibility !== 'public'} onChange={(e) => onChange({ ...value, preview: e.currentTarget.checked })} />
        <span>
          {t('visibility.preview')}
          <span class="muted small visibility-preview-hint">{value.visibility === 'public' ? t('visibility.preview.hint') : t('visibility.preview.publicOnly')}</span>
        </span>
      </label>
    </fieldset>
  );
}

/** The owner's switch for forwarding (转发) messages out of the room. */
export function ForwardingField({ checked, onChange }: { checked: boolean; onChange: (next: boolean) => void }) {
  return (
    <label class="row">
      <input type="checkbox" name="membersCanForward" checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} />
      {t('visibility.forwarding')}
    </label>
  );
}
