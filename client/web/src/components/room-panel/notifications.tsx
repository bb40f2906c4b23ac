/** 消息免打扰: what alerts me in this room — every message, only @me (and @all), or nothing but @me. */
import { t, type MessageKey } from '../../i18n/index.ts';
import type { NotificationMode } from '../../state/people.ts';
import { useStore } from '../common.tsx';
import type { Run } from './actions.ts';

const MODES: NotificationMode[] = ['all', 'mentions', 'none'];

export function NotificationsChoice({ roomId, run }: { roomId: string; run: Run }) {
  const store = useStore();
  const current = store.rooms.get(roomId)?.notifications ?? 'all';
  return (
    <fieldset class="notifications-choice">
      <legend>{t('dnd.title')}</legend>
      {MODES.map((mode) => (
        <label key={mode} class="radio">
          <input type="radio" name={`notifications-${roomId}`} value={mode} checked={current === mode} onChange={() => void run(() => store.people.setNotifications(roomId, mode))} />
          <span>
            {t(`dnd.${mode}` as MessageKey)}
            <span class="muted small"> — {t(`dnd.${mode}.hint` as MessageKey)}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
