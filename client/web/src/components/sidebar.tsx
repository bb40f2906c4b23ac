/** The user's rooms, newest activity first, with unread and mention badges; then 私信 (dm-list.tsx). */
import { attachmentSummary } from './attachments.tsx';
import { attachmentsOf } from '../media/attachment-view.ts';
import { t } from '../i18n/index.ts';
import { systemText } from '../i18n/system.ts';
import type { View } from '../state/store.ts';
import { confirmFirst } from './dialog.tsx';
import { Avatar, useStore } from './common.tsx';
import { LanguageSwitch } from './language.tsx';
import { DmList, RoomBadges } from './dm-list.tsx';
import { badgeOf } from '../state/people.ts';
import { byActivity } from '../state/rooms.ts';

export function Sidebar({ navigate }: { navigate: (view: View) => void }) {
  const store = useStore();
  const active = store.view.kind === 'room' ? store.view.roomId : null;
  const rooms = byActivity(store.rooms.values(), store.timelines).filter((e) => e.room.kind !== 'dm');
  return (
    <nav class="sidebar" aria-label={t('rooms.mine')}>
      {/* The name has the whole width of its line; the language and sign-out sit on the line below. */}
      <header class="sidebar-head">
        {store.me && <Avatar name={store.me.displayName} id={store.me.id} size={40} />}
        <a
          class="me-name"
          href="/me"
          title={store.me ? `${store.me.displayName} (@${store.me.username}) · ${t('people.mine')}` : undefined}
          onClick={(e) => {
            e.preventDefault();
            navigate({ kind: 'me' });
          }}
        >
          <strong>{store.me?.displayName}</strong>
        </a>
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
        {rooms.map((entry) => {
          const { room, unread } = entry;
          const last = store.timelines.get(room.id)?.messages.findLast((m) => !store.people.isBlocked(m.sender?.id));
          const queue = store.staff.counts.get(room.id);
          const waiting = queue ? queue.joinRequests + queue.review + queue.proposals : 0;
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
                <RoomBadges badge={badgeOf(entry)} muted={(entry.notifications ?? 'all') !== 'all'} unread={unread}>
                  {waiting > 0 && (
                    <span class="staff-dot" title={t('staff.pending', { count: waiting })} aria-label={t('staff.pending', { count: waiting })}>
                      🛡{waiting}
                    </span>
                  )}
                </RoomBadges>
              </a>
            </li>
          );
        })}
      </ul>
      <DmList navigate={navigate} />
    </nav>
  );
}
