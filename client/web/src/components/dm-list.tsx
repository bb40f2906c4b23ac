/**
 * 私信 in the sidebar: the entry to message requests (with how many wait), and my DM rooms,
 * newest activity first, each under the other person's name with its unread badge.
 */
import type { ComponentChildren } from 'preact';
import { t } from '../i18n/index.ts';
import { attachmentsOf } from '../media/attachment-view.ts';
import { badgeOf } from '../state/people.ts';
import { byActivity } from '../state/rooms.ts';
import type { ChatStore, RoomEntry, View } from '../state/store.ts';
import { attachmentSummary } from './attachments.tsx';
import { Avatar, Badge, useStore } from './common.tsx';

/** A DM room's title: the other person's name (a DM room has no name of its own). */
export function dmTitle(store: ChatStore, roomId: string): string {
  const peer = store.dms.peerOf(roomId);
  if (peer) return peer.displayName;
  const other = store.timelines.get(roomId)?.members?.find((m) => m.user.id !== store.me?.id);
  return other?.user.displayName ?? t('dm.untitled');
}

/** A room's name as the lists show it: a DM room under the person's name. */
export function roomTitle(store: ChatStore, entry: RoomEntry): string {
  return entry.room.kind === 'dm' ? dmTitle(store, entry.room.id) : entry.room.name;
}

export function DmList({ navigate }: { navigate: (view: View) => void }) {
  const store = useStore();
  const active = store.view.kind === 'room' ? store.view.roomId : null;
  const dms = byActivity(store.rooms.values(), store.timelines).filter((e) => e.room.kind === 'dm');
  const waiting = store.dms.requests.length;
  return (
    <section class="dm-section" aria-labelledby="dm-section-title">
      <h2 class="section-title" id="dm-section-title">
        {t('dm.title')}
      </h2>
      <ul class="room-list requests-entry">
        <li>
          <a
            href="/requests"
            class={store.view.kind === 'requests' ? 'room-item requests-item active' : 'room-item requests-item'}
            aria-current={store.view.kind === 'requests' ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              navigate({ kind: 'requests' });
            }}
          >
            <span class="avatar requests-icon" aria-hidden="true">
              ✉
            </span>
            <span class="room-item-text">
              <span class="room-item-name">{t('dm.requests')}</span>
              <span class="room-item-last muted">{waiting > 0 ? t('dm.requestsWaiting', { count: waiting }) : t('dm.requestsNone')}</span>
            </span>
            <span class="room-item-badges">
              <Badge count={waiting} label={t('dm.requestsWaiting', { count: waiting })} />
            </span>
          </a>
        </li>
      </ul>
      {dms.length === 0 && <p class="muted pad small">{t('dm.none')}</p>}
      <ul class="room-list dm-list">
        {dms.map((entry) => {
          const { room } = entry;
          const title = dmTitle(store, room.id);
          const last = [...(store.timelines.get(room.id)?.messages ?? [])].reverse().find((m) => !store.people.isBlocked(m.sender?.id));
          const badge = badgeOf(entry);
          const peer = store.dms.peerOf(room.id);
          // Before the room's messages are loaded, the person's @name stands in for the last message.
          const lastText = last ? (last.recalledAt ? t('chat.recalled', { name: last.sender?.displayName ?? '' }) : `${last.sender?.id === store.me?.id ? `${t('dm.you')}: ` : ''}${last.text || attachmentSummary(attachmentsOf(last))}`) : peer ? `@${peer.username}` : '';
          return (
            <li key={room.id}>
              <a
                href={`/rooms/${room.id}`}
                class={room.id === active ? 'room-item dm-item active' : 'room-item dm-item'}
                aria-current={room.id === active ? 'page' : undefined}
                data-room-id={room.id}
                onClick={(e) => {
                  e.preventDefault();
                  navigate({ kind: 'room', roomId: room.id });
                }}
              >
                <Avatar name={title} id={peer?.id ?? room.id} />
                <span class="room-item-text">
                  <span class="room-item-name">{title}</span>
                  <span class="room-item-last muted">{lastText}</span>
                </span>
                <RoomBadges badge={badge} muted={(entry.notifications ?? 'all') !== 'all'} unread={entry.unread} />
              </a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** A room's badges under do-not-disturb: the number, or a bell crossed out and a quiet dot. */
export function RoomBadges({ badge, muted, unread, children }: { badge: ReturnType<typeof badgeOf>; muted: boolean; unread: number; children?: ComponentChildren }) {
  return (
    <span class="room-item-badges">
      {children}
      {muted && (
        <span class="muted-bell" title={t('dnd.mutedHint')} aria-label={t('dnd.mutedHint')}>
          🔕
        </span>
      )}
      <Badge count={badge.mentions} mention label={`${badge.mentions} @`} />
      <Badge count={badge.count} label={`${badge.count}`} />
      {badge.quiet && <span class="quiet-dot" aria-label={t('dnd.unreadQuiet', { count: unread })} title={t('dnd.unreadQuiet', { count: unread })} />}
    </span>
  );
}
