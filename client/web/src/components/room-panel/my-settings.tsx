/** My settings in this room: do-not-disturb, my nickname, and leaving (or, for the owner, dissolving) it. A DM room has only the first. */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { Section, useStore } from '../common.tsx';
import { confirmFirst } from '../dialog.tsx';
import type { Run } from './actions.ts';
import { NotificationsChoice } from './notifications.tsx';

export function MySettingsSection({ roomId, run }: { roomId: string; run: Run }) {
  const store = useStore();
  const entry = store.rooms.get(roomId);
  if (!entry) return null;
  return (
    <Section title={t('panel.settings')} open={entry.room.kind === 'dm'}>
      <NotificationsChoice roomId={roomId} run={run} />
      {entry.room.kind === 'dm' ? null : <MyGroupSettings roomId={roomId} run={run} />}
    </Section>
  );
}

function MyGroupSettings({ roomId, run }: { roomId: string; run: Run }) {
  const store = useStore();
  const entry = store.rooms.get(roomId)!;
  const tl = store.timeline(roomId);
  return (
    <>
      <NicknameForm roomId={roomId} current={tl.members?.find((m) => m.user.id === store.me?.id)?.nickname ?? ''} run={run} />
      {entry.role !== 'owner' && (
        <button type="button" class="danger" onClick={() => confirmFirst(t('rooms.leaveConfirm', { name: entry.room.name }), { confirmLabel: t('panel.leave'), danger: true }, () => run(() => store.leaveRoom(roomId)))}>
          {t('panel.leave')}
        </button>
      )}
      {entry.role === 'owner' && (
        <button type="button" class="danger" onClick={() => confirmFirst(t('panel.dissolveConfirm', { name: entry.room.name }), { confirmLabel: t('panel.dissolve'), danger: true }, () => run(() => store.client.rest.dissolveRoom(roomId)))}>
          {t('panel.dissolve')}
        </button>
      )}
    </>
  );
}

function NicknameForm({ roomId, current, run }: { roomId: string; current: string; run: Run }) {
  const store = useStore();
  const [nickname, setNickname] = useState(current);
  useEffect(() => setNickname(current), [current]);
  return (
    <form
      class="row"
      onSubmit={(e) => {
        e.preventDefault();
        void run(() => store.client.rest.setNickname(roomId, nickname.trim() || null));
      }}
    >
      <label>
        {t('panel.nickname')}
        <input maxLength={32} value={nickname} onInput={(e) => setNickname(e.currentTarget.value)} />
      </label>
      <button type="submit">{t('panel.save')}</button>
    </form>
  );
}
