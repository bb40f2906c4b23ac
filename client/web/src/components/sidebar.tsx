/** The user's rooms, newest activity first, with unread and mention badges. */
import { attachmentSummary } from './attachments.tsx';
import { attachmentsOf } from '../media/attachment-view.ts';
import { t } from '../i18n/index.ts';
import { systemText } from '../i18n/system.ts';
import type { View } from '../state/store.ts';
import { newestKnown } from '../state/timeline.ts';
import { confirmFirst } from './dialog.tsx';
import { Avatar, Badge, useStore } from './common.tsx';
import { LanguageSwitch } from './language.tsx';

export function Sidebar({ navigate }: { navigate: (view: View) => void }) {
  const store = useStore();
  const active = store.view.kind === 'room' ? store.view.roomId : null;
  const lastOf = (roomId: string) => {
    const tl = store.timelines.get(roomId);
    return tl ? newestKnown(tl) : undefined;
  };
  const rooms = [...store.rooms.values()].sort((a, b) => {
    const at = lastOf(a.room.id)?.createdAt ?? a.room.createdAt;
    const bt = lastOf(b.room.id)?.createdAt ?? b.room.createdAt;
    return bt.localeCompare(at);
  });
  return (
    <nav class="sidebar" aria-label={t('rooms.mine')}>
      {/* The name has the whole width of its line; the language and sign-out sit on the line below. */}
      <header class="sidebar-head">
        {store.me && <Avatar name={store.me.displayName} id={store.me.id} size={40} />}
        <strong class="me-name" title={store.me ? `${store.me.displayName} (@${store.me.username})` : undefined}>
          {store.me?.displayName}
        </strong>
        <span class="me-tools">
          <LanguageSwitch />
          <button type="button" class="ghost small" onClick={() => confirmFirst(t('auth.signOutConfirm'), { confirmLabel: t('auth.signOut') }, () => store.signOut())}>
            {t('auth.signOut')}
          </button>
        </span>
      </header>
      <div class="sidebar-actions">
        <button type="button" class={store.view.kind === 'discover' ? 'primary' : ''} onClick={() => navigate({ kind: 'discover' })}>
          {t('rooms.discover')}
        </button>
        <button type="button" class={store.view.kind === 'create' ? 'primary new-room' : 'new-room'} onClick={() => navigate({ kind: 'create' })}>
          + {t('rooms.create')}
        </button>
      </div>
      <h2 class="section-title">{t('rooms.mine')}</h2>
      {rooms.length === 0 && <p class="muted pad">{t('rooms.none')}</p>}
      <ul class="room-list">
        {rooms.map(({ room, unread, unreadMentions }) => {
          const last = lastOf(room.id);
          const queue = store.staffQueues.get(room.id);
          const waiting = queue ? queue.joinRequests + queue.review : 0;
          const nameOf = (id: string) => (id === store.me?.id ? store.me.displayName : store.names.get(id));
          return (
            <li key={room.id}>
              <a
                href={`/rooms/${room.id}`}
                class={room.id === active ? 'room-item active' : 'room-item'}
                aria-current={room.id === active ? 'page' : undefined}
                data-room-id={room.id}
                onClick={(e) => {
                  e.preventDefault();
                  navigate({ kind: 'room', roomId: room.id });
                }}
              >
                <Avatar name={room.name} id={room.id} />
                <span class="room-item-text">
                  <span class="room-item-name">{room.name}</span>
                  <span class="room-item-last muted">{last ? (last.recalledAt ? (last.sender?.id === store.me?.id ? t('chat.recalledMine') : t('chat.recalled', { name: last.sender?.displayName ?? '' })) : last.kind === 'system' ? systemText(last, nameOf) : `${last.sender ? `${last.sender.displayName}: ` : ''}${last.text || attachmentSummary(attachmentsOf(last))}`) : room.topic}</span>
                </span>
                <span class="room-item-badges">
                  {waiting > 0 && (
                    <span class="staff-dot" title={t('staff.pending', { count: waiting })} aria-label={t('staff.pending', { count: waiting })}>
                      🛡{waiting}
                    </span>
                  )}
                  <Badge count={unreadMentions} mention label={`${unreadMentions} @`} />
                  <Badge count={unread} label={`${unread}`} />
                </span>
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
