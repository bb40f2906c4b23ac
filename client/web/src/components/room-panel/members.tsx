/** Members and roles for everyone; for owner and admins each member's menu: mute with a duration, remove, ban, roles, ownership. */
import { useRef, useState } from 'preact/hooks';
import type { Member, Role } from '../../../../../shared/schemas.ts';
import { formatDateTime, t, type MessageKey } from '../../i18n/index.ts';
import { Avatar, Section, useStore } from '../common.tsx';
import { confirmFirst } from '../dialog.tsx';
import type { Run } from './actions.ts';
import { openProfileCard } from '../profile-card.tsx';

const RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1, bot: 1 };
const DURATIONS: Array<{ key: MessageKey; seconds: number | null }> = [
  { key: 'panel.duration.10m', seconds: 600 },
  { key: 'panel.duration.1h', seconds: 3600 },
  { key: 'panel.duration.1d', seconds: 86_400 },
  { key: 'panel.duration.forever', seconds: null },
];

export function MembersSection({ roomId, run }: { roomId: string; run: Run }) {
  const store = useStore();
  const entry = store.rooms.get(roomId);
  if (!entry) return null;
  const tl = store.timeline(roomId);
  const online = new Set(tl.presence?.online.map((u) => u.id) ?? []);
  return (
    <Section title={`${t('panel.members')} (${entry.room.memberCount})`} open>
      <ul class="member-list">
        {(tl.members ?? []).map((member) => (
          <MemberRow key={member.user.id} roomId={roomId} member={member} myRole={entry.role} isMe={member.user.id === store.me?.id} online={online.has(member.user.id)} run={run} />
        ))}
      </ul>
    </Section>
  );
}

function MemberRow({ roomId, member, myRole, isMe, online, run }: { roomId: string; member: Member; myRole: Role; isMe: boolean; online: boolean; run: Run }) {
  const store = useStore();
  const rest = store.client.rest;
  const [duration, setDuration] = useState('600');
  const menu = useRef<HTMLDetailsElement>(null);
  // Each action closes the menu, so the next look at it shows the member's new state.
  const act = (work: () => Promise<unknown>) => {
    if (menu.current) menu.current.open = false;
    void run(work);
  };
  const outranks = RANK[myRole] > RANK[member.role] && (myRole === 'owner' || myRole === 'admin');
  const muted = member.mutedUntil && new Date(member.mutedUntil).getTime() > Date.now() ? member.mutedUntil : null;
  const name = member.nickname ?? member.user.displayName;
  return (
    <li class="member" data-user-id={member.user.id}>
      <Avatar name={name} id={member.user.id} size={28} />
      <span class="member-name">
        {online && <span class="dot" aria-label="online" />}
        <button type="button" class="link member-card-button" onClick={() => openProfileCard(member.user.id)}>
          {name}
        </button>{' '}
        {isMe && <span class="muted">{t('panel.you')}</span>}
        <span class="muted small"> @{member.user.username}</span>
        {muted && <span class="tag warn">🔇 {new Date(muted).getFullYear() >= 9999 ? t('panel.duration.forever') : t('panel.mutedUntil', { until: formatDateTime(muted) })}</span>}
      </span>
      <span class={`role role-${member.role}`}>{t(`panel.role.${member.role}` as MessageKey)}</span>
      {outranks && !isMe && (
        <details class="member-actions" ref={menu}>
          <summary class="ghost small" aria-label={`${t('panel.moderation')}: ${name}`}>
            ⋯
          </summary>
          <div class="member-actions-body">
            {muted ? (
              <button type="button" onClick={() => act(() => rest.unmute(roomId, member.user.id))}>
                {t('panel.unmute')}
              </button>
            ) : (
              <span class="row">
                <select aria-label={t('panel.duration')} value={duration} onChange={(e) => setDuration(e.currentTarget.value)}>
                  {DURATIONS.map((d) => (
                    <option key={d.key} value={String(d.seconds ?? '')}>
                      {t(d.key)}
                    </option>
                  ))}
                </select>
                <button type="button" class="mute-button" onClick={() => act(() => rest.mute(roomId, member.user.id, duration ? { durationSeconds: Number(duration) } : {}))}>
                  {t('panel.mute')}
                </button>
              </span>
            )}
            <button type="button" onClick={() => confirmFirst(t('panel.kickConfirm', { name }), { confirmLabel: t('panel.kick'), danger: true }, () => act(() => rest.kick(roomId, member.user.id)))}>
              {t('panel.kick')}
            </button>
            <button type="button" class="danger" onClick={() => confirmFirst(t('panel.banConfirm', { name }), { confirmLabel: t('panel.ban'), danger: true }, () => act(() => rest.ban(roomId, { userId: member.user.id })))}>
              {t('panel.ban')}
            </button>
            {myRole === 'owner' && (
              <>
                <button type="button" onClick={() => act(() => rest.setRole(roomId, member.user.id, member.role === 'admin' ? 'member' : 'admin'))}>
                  {member.role === 'admin' ? t('panel.removeAdmin') : t('panel.makeAdmin')}
                </button>
                <button type="button" onClick={() => confirmFirst(t('panel.transferConfirm', { name }), { confirmLabel: t('panel.transfer') }, () => act(() => rest.transferOwnership(roomId, member.user.id)))}>
                  {t('panel.transfer')}
                </button>
              </>
            )}
          </div>
        </details>
      )}
    </li>
  );
}
