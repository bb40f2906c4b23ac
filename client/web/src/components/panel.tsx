/**
 * The room panel: members and roles for everyone, the album and the files (album.tsx); for owner and admins the moderation tools
 * (mute with duration, remove, ban/unban, roles, mute-all, slow mode, join requests, invite
 * links, review queue and reports, audit log, settings). Each tool section loads when opened.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren, TargetedEvent } from 'preact';
import type { AuditEntry, Ban, Bot, BotDelivery, BotEventName, BotScope, BotToken, IncomingWebhook, Invite, JoinPolicy, JoinRequest, Member, ReviewQueueResponse, Role, Room, SafetyPolicy, SafetyPolicyResponse } from '../../../../shared/schemas.ts';
import { errorText, formatDateTime, reasonText, t, type MessageKey } from '../i18n/index.ts';
import type { WireError } from '../state.ts';
import { Avatar, ErrorLine, Section, toWireError, useAction, useStore } from './common.tsx';
import { AlbumSection, FilesSection } from './album.tsx';
import { FileCard, MessageAttachments } from './attachments.tsx';
import { attachmentsOf, type AttachmentView } from '../media/attachment-view.ts';
import { confirmFirst } from './dialog.tsx';

const RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1, bot: 1 };
const DURATIONS: Array<{ key: MessageKey; seconds: number | null }> = [
  { key: 'panel.duration.10m', seconds: 600 },
  { key: 'panel.duration.1h', seconds: 3600 },
  { key: 'panel.duration.1d', seconds: 86_400 },
  { key: 'panel.duration.forever', seconds: null },
];
const SLOW_MODES = [0, 10, 30, 60, 300];

export function RoomPanel({ roomId, onClose }: { roomId: string; onClose: () => void }) {
  const store = useStore();
  const entry = store.rooms.get(roomId);
  const [error, setError] = useState<WireError | null>(null);
  if (!entry) return null;
  const tl = store.timeline(roomId);
  const staff = entry.role === 'owner' || entry.role === 'admin';
  const run = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      await store.loadMembers(roomId);
    } catch (e) {
      setError(toWireError(e));
    }
  };
  const online = new Set(tl.presence?.online.map((u) => u.id) ?? []);

  return (
    <aside class="panel" aria-label={t('panel.open')} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <header class="panel-head">
        <h2>{entry.room.name}</h2>
        <button type="button" class="ghost" onClick={onClose} aria-label={t('panel.close')}>
          ✕
        </button>
      </header>
      <ErrorLine error={error} />
      {entry.room.topic && <p class="muted pad">{entry.room.topic}</p>}

      <Section title={`${t('panel.members')} (${entry.room.memberCount})`} open>
        <ul class="member-list">
          {(tl.members ?? []).map((member) => (
            <MemberRow key={member.user.id} roomId={roomId} member={member} myRole={entry.role} isMe={member.user.id === store.me?.id} online={online.has(member.user.id)} run={run} />
          ))}
        </ul>
      </Section>

      <AnnouncementSection roomId={roomId} staff={staff} run={run} />
      <AlbumSection roomId={roomId} />
      <FilesSection roomId={roomId} />

      {staff && (
        <Section title={t('panel.moderation')}>
          <RoomSwitches roomId={roomId} room={entry.room} />
        </Section>
      )}
      {staff && <JoinRequestsSection roomId={roomId} run={run} />}
      {(staff || entry.room.membersCanInvite) && <InvitesSection roomId={roomId} staff={staff} run={run} />}
      {staff && <BansSection roomId={roomId} run={run} />}
      {staff && <ReviewSection roomId={roomId} run={run} />}
      {staff && <BotsSection roomId={roomId} run={run} />}
      {staff && <SafetySection roomId={roomId} />}
      {staff && <AuditSection roomId={roomId} />}
      {staff && <SettingsSection room={entry.room} run={run} />}

      <Section title={t('panel.settings')}>
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
      </Section>
    </aside>
  );
}

/**
 * Mute-all and slow mode. A change shows at once and the control is locked while the server
 * decides; a refusal puts it back and says why, next to it.
 */
function RoomSwitches({ roomId, room }: { roomId: string; room: Room }) {
  const store = useStore();
  const [wanted, setWanted] = useState<{ muteAll?: boolean; slowModeSeconds?: number } | null>(null);
  const [error, setError] = useState<WireError | null>(null);
  const save = async (change: { muteAll?: boolean; slowModeSeconds?: number }, request: () => Promise<Room>) => {
    setWanted(change);
    setError(null);
    try {
      const saved = await request();
      const entry = store.rooms.get(roomId);
      if (entry) entry.room = saved;
      store.touch();
    } catch (e) {
      setError(toWireError(e));
    } finally {
      setWanted(null);
    }
  };
  const muteAll = wanted?.muteAll ?? room.muteAll;
  const slowMode = wanted?.slowModeSeconds ?? room.slowModeSeconds;
  return (
    <>
      <label class="row">
        <input
          type="checkbox"
          name="muteAll"
          checked={muteAll}
          disabled={wanted !== null}
          aria-busy={wanted?.muteAll !== undefined}
          onChange={(e) => {
            const enabled = e.currentTarget.checked;
            void save({ muteAll: enabled }, () => store.client.rest.setMuteAll(roomId, enabled));
          }}
        />
        {t('panel.muteAll')}
      </label>
      <label class="row">
        {t('panel.slowMode')}
        <select
          name="slowMode"
          value={String(slowMode)}
          disabled={wanted !== null}
          aria-busy={wanted?.slowModeSeconds !== undefined}
          onChange={(e) => {
            const seconds = Number(e.currentTarget.value);
            void save({ slowModeSeconds: seconds }, () => store.client.rest.setSlowMode(roomId, seconds));
          }}
        >
          {[...new Set([...SLOW_MODES, slowMode])].map((s) => (
            <option key={s} value={String(s)}>
              {s === 0 ? t('panel.slowOff') : `${s} s`}
            </option>
          ))}
        </select>
      </label>
      <ErrorLine error={error} />
    </>
  );
}

type Run = (work: () => Promise<unknown>) => Promise<void>;

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
        {name} {isMe && <span class="muted">{t('panel.you')}</span>}
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

function AnnouncementSection({ roomId, staff, run }: { roomId: string; staff: boolean; run: Run }) {
  const store = useStore();
  const [text, setText] = useState('');
  const [reads, setReads] = useState<{ read: number; unread: number } | null>(null);
  const current = store.timeline(roomId).announcement;
  if (!staff && !current) return null;
  return (
    <Section
      title={t('announcement.title')}
      onOpen={() => staff && current && void store.client.rest.announcementReads(roomId).then((r) => setReads({ read: r.readCount, unread: r.unreadCount }), () => {})}
    >
      {current && <p class="announcement-full">{current.announcement.text}</p>}
      {reads && <p class="muted small">{t('announcement.readers', reads)}</p>}
      {staff && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await store.client.rest.postAnnouncement(roomId, text.trim());
              setText('');
            });
          }}
        >
          <textarea aria-label={t('announcement.placeholder')} placeholder={t('announcement.placeholder')} maxLength={4000} value={text} onInput={(e) => setText(e.currentTarget.value)} />
          <button type="submit" class="primary" disabled={!text.trim()}>
            {t('announcement.post')}
          </button>
        </form>
      )}
    </Section>
  );
}

/** Loads a list when the section opens, and again after each action in it. */
function useLoader<T>(load: () => Promise<T>): [T | null, () => void, WireError | null] {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<WireError | null>(null);
  const reload = () => {
    load().then(
      (v) => (setValue(v), setError(null)),
      (e: unknown) => setError(toWireError(e)),
    );
  };
  return [value, reload, error];
}

function JoinRequestsSection({ roomId, run }: { roomId: string; run: Run }) {
  const store = useStore();
  const [requests, reload, error] = useLoader<JoinRequest[]>(() => store.client.rest.joinRequests(roomId));
  const decide = (id: string, verb: 'approve' | 'reject') =>
    void run(() => store.client.rest.decideJoinRequest(roomId, id, verb)).then(() => {
      reload();
      store.refreshStaffQueue(roomId);
    });
  // Open: new requests appear as they come.
  useEffect(() => store.client.on('event', (name, payload) => name === 'join:requested' && (payload as { roomId?: string }).roomId === roomId && requests && reload()), [requests]);
  const waiting = store.staffQueues.get(roomId)?.joinRequests ?? 0;
  return (
    <Section title={`${t('panel.joinRequests')}${waiting > 0 ? ` (${waiting})` : ''}`} onOpen={reload}>
      <ErrorLine error={error} />
      {requests?.length === 0 && <p class="muted">{t('panel.noJoinRequests')}</p>}
      <ul class="plain-list">
        {(requests ?? []).map((r) => (
          <li key={r.id}>
            <strong>{r.user.displayName}</strong> <span class="muted">@{r.user.username}</span>
            {r.answer && <blockquote>{r.answer}</blockquote>}
            <button type="button" class="primary small" onClick={() => decide(r.id, 'approve')}>
              {t('panel.approve')}
            </button>
            <button type="button" class="small" onClick={() => decide(r.id, 'reject')}>
              {t('panel.reject')}
            </button>
          </li>
        ))}
      </ul>
    </Section>
  );
}

function InvitesSection({ roomId, staff, run }: { roomId: string; staff: boolean; run: Run }) {
  const store = useStore();
  const [invites, reload, error] = useLoader<Invite[]>(() => store.client.rest.invites(roomId));
  const [copied, setCopied] = useState<string | null>(null);
  const link = (code: string) => `${location.origin}/invite/${code}`;
  return (
    <Section title={t('panel.invites')} onOpen={reload}>
      <ErrorLine error={error} />
      <button type="button" onClick={() => void run(() => store.client.rest.createInvite(roomId, { expiresInSeconds: 7 * 86_400 })).then(reload)}>
        {t('panel.createInvite')}
      </button>
      <ul class="plain-list">
        {(invites ?? [])
          .filter((i) => !i.revokedAt)
          .map((i) => (
            <li key={i.id}>
              <code class="invite-link">{link(i.code)}</code>
              <span class="muted small">
                {' '}
                {t('panel.uses', { uses: i.uses })}
                {i.expiresAt && ` · ${t('panel.expires', { time: formatDateTime(i.expiresAt) })}`}
              </span>
              <button
                type="button"
                class="small"
                onClick={() => void navigator.clipboard?.writeText(link(i.code)).then(() => setCopied(i.id), () => {})}
              >
                {copied === i.id ? t('panel.copied') : t('panel.copy')}
              </button>
              {staff && (
                <button type="button" class="small" onClick={() => void run(() => store.client.rest.revokeInvite(roomId, i.id)).then(reload)}>
                  {t('panel.revoke')}
                </button>
              )}
            </li>
          ))}
      </ul>
    </Section>
  );
}

function BansSection({ roomId, run }: { roomId: string; run: Run }) {
  const store = useStore();
  const [bans, reload, error] = useLoader<Ban[]>(() => store.client.rest.bans(roomId));
  return (
    <Section title={t('panel.bans')} onOpen={reload}>
      <ErrorLine error={error} />
      {bans?.length === 0 && <p class="muted">{t('panel.noBans')}</p>}
      <ul class="plain-list">
        {(bans ?? []).map((b) => (
          <li key={b.user.id}>
            <strong>{b.user.displayName}</strong> <span class="muted">@{b.user.username}</span>
            {b.reason && <span class="muted"> — {b.reason}</span>}
            {b.until && <span class="muted small"> ({formatDateTime(b.until)})</span>}
            <button type="button" class="small" onClick={() => void run(() => store.client.rest.unban(roomId, b.user.id)).then(reload)}>
              {t('panel.unban')}
            </button>
          </li>
        ))}
      </ul>
    </Section>
  );
}

function ReviewSection({ roomId, run }: { roomId: string; run: Run }) {
  const store = useStore();
  const rest = store.client.rest;
  const [queue, reload, error] = useLoader<ReviewQueueResponse>(() => rest.reviewQueue(roomId));
  useEffect(
    () =>
      store.client.on('event', (name, payload) => (name === 'review:new' || name === 'review:decided') && (payload as { roomId?: string }).roomId === roomId && queue && reload()),
    [queue],
  );
  const heldFiles = queue?.attachments ?? [];
  const waiting = queue ? queue.held.length + queue.reported.length + heldFiles.length : (store.staffQueues.get(roomId)?.review ?? 0);
  return (
    <Section title={`${t('panel.review')}${waiting > 0 ? ` (${waiting})` : ''}`} onOpen={reload}>
      <ErrorLine error={error} />
      {queue && queue.held.length === 0 && queue.reported.length === 0 && heldFiles.length === 0 && <p class="muted">{t('panel.noReview')}</p>}
      <ul class="plain-list review-list">
        {(queue?.held ?? []).map((h) => (
          <li key={h.id} class="review-item">
            <p>
              <strong>{h.sender.displayName}</strong> <span class="tag warn">{t('panel.held')}</span>
            </p>
            {h.text && <blockquote>{h.text}</blockquote>}
            <MessageAttachments attachments={(h as { attachments?: AttachmentView[] }).attachments ?? []} />
            <ul class="reasons">
              {h.reasons.map((r) => (
                <li key={r.code} data-code={r.code}>
                  {reasonText(r)} <code>{r.code}</code>
                </li>
              ))}
            </ul>
            <button type="button" class="primary small" onClick={() => void run(() => rest.decideHeld(roomId, h.id, 'approve')).then(reload)}>
              {t('panel.approve')}
            </button>
            <button type="button" class="small" onClick={() => void run(() => rest.decideHeld(roomId, h.id, 'reject')).then(reload)}>
              {t('panel.reject')}
            </button>
          </li>
        ))}
        {heldFiles.map((h) => (
          <li key={h.attachment.id} class="review-item held-attachment" data-attachment-id={h.attachment.id}>
            <p>
              <strong>{h.uploader.displayName}</strong> <span class="tag warn">{t('panel.held')}</span>
            </p>
            {/* Pictures and players for the staff to judge; other files only by name, never a one-click download of a suspected program. */}
            {h.attachment.kind === 'file' ? <FileCard attachment={h.attachment} download={false} /> : <MessageAttachments attachments={[h.attachment]} />}
            <ul class="reasons">
              {h.reasons.map((r) => (
                <li key={r.code} data-code={r.code}>
                  {reasonText(r)} <code>{r.code}</code>
                </li>
              ))}
            </ul>
            <button type="button" class="primary small" onClick={() => void run(() => rest.decideHeldAttachment(roomId, h.attachment.id, 'approve')).then(reload)}>
              {t('panel.approve')}
            </button>
            <button type="button" class="small" onClick={() => void run(() => rest.decideHeldAttachment(roomId, h.attachment.id, 'reject')).then(reload)}>
              {t('panel.reject')}
            </button>
          </li>
        ))}
        {(queue?.reported ?? []).map((r) => (
          <li key={r.seq} class="review-item">
            <p>
              <strong>{r.sender?.displayName ?? t('chat.system')}</strong> <span class="tag warn">{t('panel.reportCount', { count: r.openReports })}</span>
            </p>
            {r.text && <blockquote>{r.text}</blockquote>}
            <MessageAttachments attachments={attachmentsOf(r)} />
            <ul class="reasons">
              {r.reports.map((x) => (
                <li key={x.id}>
                  {x.reporter.displayName}: {t(`report.reason.${x.reason}` as MessageKey)}
                  {x.note && ` — ${x.note}`}
                </li>
              ))}
            </ul>
            <button type="button" class="small" onClick={() => void run(() => rest.decideReported(roomId, r.seq, 'dismiss')).then(reload)}>
              {t('panel.dismiss')}
            </button>
            <button type="button" class="danger small" onClick={() => void run(() => rest.decideReported(roomId, r.seq, 'remove')).then(reload)}>
              {t('panel.remove')}
            </button>
          </li>
        ))}
      </ul>
    </Section>
  );
}

function AuditSection({ roomId }: { roomId: string }) {
  const store = useStore();
  const [entries, reload, error] = useLoader<AuditEntry[]>(() => store.client.rest.audit(roomId, { limit: 50 }));
  const names = new Map((store.timeline(roomId).members ?? []).map((m) => [m.user.id, m.user.displayName]));
  return (
    <Section title={t('panel.audit')} onOpen={reload}>
      <ErrorLine error={error} />
      {entries?.length === 0 && <p class="muted">{t('panel.noAudit')}</p>}
      <ol class="plain-list audit-list">
        {(entries ?? []).map((e) => (
          <li key={e.id}>
            <time class="muted small">{formatDateTime(e.createdAt)}</time> <strong>{e.actorId ? (names.get(e.actorId) ?? '?') : t('chat.system')}</strong> <code>{e.action}</code>
            {e.targetUserId && ` → ${names.get(e.targetUserId) ?? e.targetUserId.slice(0, 8)}`}
            {e.targetSeq !== null && ` #${e.targetSeq}`}
            {e.reason && <span class="muted"> — {e.reason}</span>}
          </li>
        ))}
      </ol>
    </Section>
  );
}

function SettingsSection({ room, run }: { room: Room; run: Run }) {
  const store = useStore();
  const [form, setForm] = useState({ name: room.name, topic: room.topic, tags: room.tags.join(' '), joinPolicy: room.joinPolicy, joinQuestion: room.joinQuestion, memberLimit: room.memberLimit, membersCanInvite: room.membersCanInvite });
  const [saved, setSaved] = useState(false);
  const submit = (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    void run(async () => {
      const updated = await store.client.rest.updateRoom(room.id, {
        name: form.name.trim(),
        topic: form.topic.trim(),
        tags: [...new Set(form.tags.split(/[\s,，#]+/).filter(Boolean))].slice(0, 10),
        joinPolicy: form.joinPolicy,
        joinQuestion: form.joinQuestion,
        memberLimit: form.memberLimit,
        membersCanInvite: form.membersCanInvite,
      });
      const entry = store.rooms.get(room.id);
      if (entry) entry.room = updated;
      setSaved(true);
    });
  };
  return (
    <Section title={`${t('panel.settings')} · ${t('panel.moderation')}`}>
      <form class="settings-form" onSubmit={submit}>
        <label>
          {t('create.name')}
          <input required maxLength={64} value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
        </label>
        <label>
          {t('create.topic')}
          <input maxLength={500} value={form.topic} onInput={(e) => setForm({ ...form, topic: e.currentTarget.value })} />
        </label>
        <label>
          {t('create.tags')}
          <input value={form.tags} onInput={(e) => setForm({ ...form, tags: e.currentTarget.value })} />
        </label>
        <label>
          {t('panel.joinPolicy')}
          <select value={form.joinPolicy} onChange={(e) => setForm({ ...form, joinPolicy: e.currentTarget.value as JoinPolicy })}>
            {(['open', 'approval', 'invite_only'] as const).map((p) => (
              <option key={p} value={p}>
                {t(`panel.joinPolicy.${p}`)}
              </option>
            ))}
          </select>
        </label>
        {form.joinPolicy === 'approval' && (
          <label>
            {t('panel.joinQuestion')}
            <input maxLength={200} value={form.joinQuestion} onInput={(e) => setForm({ ...form, joinQuestion: e.currentTarget.value })} />
          </label>
        )}
        <label>
          {t('panel.memberLimit')}
          <input type="number" min={2} max={100000} value={form.memberLimit} onInput={(e) => setForm({ ...form, memberLimit: Number(e.currentTarget.value) })} />
        </label>
        <label class="row">
          <input type="checkbox" checked={form.membersCanInvite} onChange={(e) => setForm({ ...form, membersCanInvite: e.currentTarget.checked })} />
          {t('panel.membersCanInvite')}
        </label>
        <button type="submit" class="primary">
          {saved ? t('panel.saved') : t('panel.save')}
        </button>
      </form>
    </Section>
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

const RULES = ['rate', 'flood', 'probation', 'links', 'scam', 'privacy', 'keywords'] as const;
const LEVELS = ['off', 'lenient', 'standard', 'strict'] as const;
const KEYWORD_LISTS = ['block', 'hold', 'flag'] as const;
const EXEMPTABLE: Role[] = ['owner', 'admin', 'member', 'bot'];
type Rule = (typeof RULES)[number];
type Level = (typeof LEVELS)[number];

/** The editor's view of a stored policy: lists as the text in their boxes. */
interface SafetyForm {
  rules: Partial<Record<Rule, Level>>;
  keywords: Record<(typeof KEYWORD_LISTS)[number], string>;
  allowedDomains: string;
  deniedDomains: string;
  /** undefined: the default roles. */
  exemptRoles: Role[] | undefined;
  /** '' : the default. */
  probationSeconds: string;
  privacyAction: 'flag' | 'hold' | undefined;
}

function toSafetyForm(stored: SafetyPolicy): SafetyForm {
  return {
    rules: { ...stored.rules },
    keywords: { block: (stored.keywords?.block ?? []).join('\n'), hold: (stored.keywords?.hold ?? []).join('\n'), flag: (stored.keywords?.flag ?? []).join('\n') },
    allowedDomains: (stored.allowedDomains ?? []).join('\n'),
    deniedDomains: (stored.deniedDomains ?? []).join('\n'),
    exemptRoles: stored.exemptRoles ? [...stored.exemptRoles] : undefined,
    probationSeconds: stored.probationSeconds === undefined ? '' : String(stored.probationSeconds),
    privacyAction: stored.privacyAction,
  };
}

const lines = (text: string) => [...new Set(text.split('\n').map((x) => x.trim()).filter(Boolean))];
// Domains never contain spaces or commas, so a pasted "a.com, b.com" is two entries.
const domains = (text: string) => [...new Set(text.split(/[\s,，;；]+/).filter(Boolean))];

/**
 * PUT replaces the stored policy (docs/protocol.md, "Per-room policy"): start from what was
 * stored, so settings this editor does not show (autoMute) survive, and leave a field out to
 * give it back its default.
 */
function toSafetyPolicy(form: SafetyForm, stored: SafetyPolicy): SafetyPolicy {
  const policy: SafetyPolicy = { ...stored };
  const rules = Object.fromEntries(Object.entries(form.rules).filter(([, level]) => level));
  if (Object.keys(rules).length > 0) policy.rules = rules;
  else delete policy.rules;
  const keywords = Object.fromEntries(KEYWORD_LISTS.map((list) => [list, lines(form.keywords[list])] as const).filter(([, words]) => words.length > 0));
  if (Object.keys(keywords).length > 0) policy.keywords = keywords;
  else delete policy.keywords;
  for (const key of ['allowedDomains', 'deniedDomains'] as const) {
    const list = domains(form[key]);
    if (list.length > 0) policy[key] = list;
    else delete policy[key];
  }
  if (form.exemptRoles) policy.exemptRoles = form.exemptRoles;
  else delete policy.exemptRoles;
  // Sent as typed: a fraction or a negative number is the server's to refuse, next to the form.
  if (form.probationSeconds.trim() !== '') policy.probationSeconds = Number(form.probationSeconds);
  else delete policy.probationSeconds;
  if (form.privacyAction) policy.privacyAction = form.privacyAction;
  else delete policy.privacyAction;
  return policy;
}

/** The policy field a VALIDATION_FAILED names (`details.field` is e.g. "body.deniedDomains.1"). */
function invalidFieldOf(error: WireError | null): string | null {
  if (error?.code !== 'VALIDATION_FAILED') return null;
  const field = typeof error.details?.field === 'string' ? error.details.field : '';
  return field.replace(/^body\.?/, '').split('.')[0] || null;
}

/** 安全规则: the room's safety policy for owner and admins (GET → edit `stored` → PUT). */
function SafetySection({ roomId }: { roomId: string }) {
  const store = useStore();
  const rest = store.client.rest;
  const [loaded, setLoaded] = useState<SafetyPolicyResponse | null>(null);
  const [form, setForm] = useState<SafetyForm | null>(null);
  const { busy, error, setError, run } = useAction();
  const [saved, setSaved] = useState(false);
  const accept = (answer: SafetyPolicyResponse) => {
    setLoaded(answer);
    setForm(toSafetyForm(answer.stored));
    setError(null);
  };
  const load = () => void rest.safetyPolicy(roomId).then(accept, (e: unknown) => setError(toWireError(e)));
  const save = async (policy: SafetyPolicy) => {
    setSaved(false);
    await run(async () => {
      accept(await rest.setSafetyPolicy(roomId, policy));
      setSaved(true);
    });
  };
  const edit = (change: Partial<SafetyForm>) => {
    if (!form) return;
    setForm({ ...form, ...change });
    setSaved(false);
  };
  const invalid = invalidFieldOf(error);
  const fieldClass = (name: string) => (invalid === name ? 'invalid' : undefined);
  const applied = loaded?.policy;

  return (
    <Section title={t('safety.title')} onOpen={load}>
      {!form || !applied ? (
        error ? <SafetyError error={error} /> : <p class="muted">{t('common.loading')}</p>
      ) : (
        <form
          class="settings-form safety-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save(toSafetyPolicy(form, loaded.stored));
          }}
        >
          <p class="muted small">{t('safety.intro')}</p>
          <fieldset class={fieldClass('rules')}>
            <legend>{t('safety.rules')}</legend>
            {RULES.map((rule) => (
              <label key={rule} class="row spread">
                {t(`safety.rule.${rule}`)}
                <select
                  name={`rule-${rule}`}
                  value={form.rules[rule] ?? ''}
                  onChange={(e) => edit({ rules: { ...form.rules, [rule]: (e.currentTarget.value || undefined) as Level | undefined } })}
                >
                  <option value="">{t('safety.level.default', { level: t('safety.level.standard') })}</option>
                  {LEVELS.map((level) => (
                    <option key={level} value={level}>
                      {t(`safety.level.${level}`)}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </fieldset>
          <fieldset class={fieldClass('keywords')}>
            <legend>{t('safety.keywords')}</legend>
            {KEYWORD_LISTS.map((list) => (
              <label key={list}>
                {t(`safety.keywords.${list}`)}
                <textarea name={`keywords-${list}`} rows={2} value={form.keywords[list]} onInput={(e) => edit({ keywords: { ...form.keywords, [list]: e.currentTarget.value } })} />
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('safety.domains')}</legend>
            {(['allowedDomains', 'deniedDomains'] as const).map((key) => (
              <label key={key} class={fieldClass(key)}>
                {t(`safety.${key}`)}
                <textarea name={key} rows={2} spellcheck={false} aria-invalid={invalid === key} value={form[key]} onInput={(e) => edit({ [key]: e.currentTarget.value })} />
              </label>
            ))}
          </fieldset>
          <fieldset class={fieldClass('exemptRoles')}>
            <legend>{t('safety.exemptRoles')}</legend>
            {EXEMPTABLE.map((role) => {
              const current = form.exemptRoles ?? applied.exemptRoles ?? [];
              return (
                <label key={role} class="row">
                  <input
                    type="checkbox"
                    name={`exempt-${role}`}
                    checked={current.includes(role)}
                    onChange={(e) => edit({ exemptRoles: e.currentTarget.checked ? [...current.filter((r) => r !== role), role] : current.filter((r) => r !== role) })}
                  />
                  {t(`panel.role.${role}`)}
                </label>
              );
            })}
          </fieldset>
          <label class={fieldClass('probationSeconds')}>
            {t('safety.probationSeconds')}
            <input
              type="number"
              name="probationSeconds"
              min={0}
              step={1}
              aria-invalid={invalid === 'probationSeconds'}
              placeholder={String(applied.probationSeconds ?? '')}
              value={form.probationSeconds}
              onInput={(e) => edit({ probationSeconds: e.currentTarget.value })}
            />
          </label>
          <label class={fieldClass('privacyAction')}>
            {t('safety.privacyAction')}
            <select name="privacyAction" value={form.privacyAction ?? ''} onChange={(e) => edit({ privacyAction: (e.currentTarget.value || undefined) as SafetyForm['privacyAction'] })}>
              <option value="">{t('safety.privacy.default', { action: t(`safety.privacy.${applied.privacyAction ?? 'hold'}`) })}</option>
              <option value="flag">{t('safety.privacy.flag')}</option>
              <option value="hold">{t('safety.privacy.hold')}</option>
            </select>
          </label>
          <SafetyError error={error} />
          <div class="row">
            <button type="submit" class="primary" disabled={busy}>
              {saved ? t('panel.saved') : t('safety.save')}
            </button>
            <button type="button" disabled={busy} onClick={() => confirmFirst(t('safety.resetConfirm'), { confirmLabel: t('safety.reset') }, () => save({}))}>
              {t('safety.reset')}
            </button>
          </div>
        </form>
      )}
    </Section>
  );
}

/** A refused policy: the translated reason, and which field and why in the server's words. */
function SafetyError({ error }: { error: WireError | null }) {
  if (!error) return null;
  const field = typeof error.details?.field === 'string' ? error.details.field : null;
  return (
    <div class="error-line safety-error" role="alert" data-code={error.code}>
      <p>
        {error.code === 'VALIDATION_FAILED' ? t('safety.invalid') : ''} {errorText(error)}
      </p>
      {field && (
        <p>
          {t('safety.field')}: <code>{field}</code>
        </p>
      )}
      {error.message && error.message !== errorText(error) && <p class="server-message muted small">{error.message}</p>}
    </div>
  );
}

// ---- 机器人: the room's bots, their tokens and outgoing webhook, and incoming webhooks (docs/bots.md) ----

// Kept here rather than imported: the bundle takes only types from shared/schemas.ts.
const SCOPES: BotScope[] = ['messages:write', 'messages:read', 'announcements:write', 'events:receive'];
const EVENTS: BotEventName[] = ['message', 'mention', 'command', 'member.joined'];

/** A secret shown once: the value, a copy button and the warning. */
function OnceSecret({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="once-secret" role="status">
      <p class="small">
        <strong>{label}</strong> <span class="tag warn">{t('bots.onceWarning')}</span>
      </p>
      <code class="secret-value">{value}</code>
      <div class="row">
        <button type="button" class="small" onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(true), () => {})}>
          {copied ? t('panel.copied') : t('panel.copy')}
        </button>
        <button type="button" class="small ghost" onClick={onDone}>
          {t('bots.done')}
        </button>
      </div>
    </div>
  );
}

function BotsSection({ roomId, run }: { roomId: string; run: Run }) {
  const store = useStore();
  const rest = store.client.rest;
  const [bots, reload, error] = useLoader<Bot[]>(() => rest.roomBots(roomId));
  const [name, setName] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  // The incoming webhooks load with the section, not with the panel.
  const [shown, setShown] = useState(false);
  const create = (e: TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    void run(async () => {
      const bot = await rest.createBot({ name: name.trim(), roomId });
      setName('');
      setOpen(bot.id);
    }).then(reload);
  };
  return (
    <Section
      title={`${t('bots.title')}${bots ? ` (${bots.length})` : ''}`}
      onOpen={() => {
        reload();
        setShown(true);
      }}
    >
      <ErrorLine error={error} />
      <form class="row" onSubmit={create}>
        <input aria-label={t('bots.name')} placeholder={t('bots.name')} required maxLength={64} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit" class="primary small" disabled={!name.trim()}>
          {t('bots.create')}
        </button>
      </form>
      {bots?.length === 0 && <p class="muted small">{t('bots.none')}</p>}
      <ul class="plain-list bot-list">
        {(bots ?? []).map((bot) => {
          const mine = bot.ownerId === store.me?.id;
          return (
            <li key={bot.id} class="bot-item" data-bot-id={bot.id}>
              <div class="row spread bot-head">
                <span>
                  <strong>{bot.displayName}</strong> <span class="tag bot-tag">{t('chat.bot')}</span>
                  <span class="muted small"> @{bot.username}</span>
                  {bot.webhook.url && <span class={`tag${bot.webhook.status === 'paused' ? ' warn' : ''}`}>{t(`bots.status.${bot.webhook.status}`)}</span>}
                </span>
                <span class="row">
                  {mine && (
                    <button type="button" class="small" aria-expanded={open === bot.id} onClick={() => setOpen(open === bot.id ? null : bot.id)}>
                      {t('bots.manage')}
                    </button>
                  )}
                  <button
                    type="button"
                    class="small danger"
                    onClick={() => confirmFirst(t('bots.removeConfirm', { name: bot.displayName }), { confirmLabel: t('bots.remove'), danger: true }, () => run(() => rest.removeBotFromRoom(roomId, bot.id)).then(reload))}
                  >
                    {t('bots.remove')}
                  </button>
                </span>
              </div>
              {mine && open === bot.id && <BotManager bot={bot} run={run} onChanged={reload} />}
            </li>
          );
        })}
      </ul>
      {shown && <IncomingHooks roomId={roomId} run={run} />}
    </Section>
  );
}

function BotManager({ bot, run, onChanged }: { bot: Bot; run: Run; onChanged: () => void }) {
  const store = useStore();
  const rest = store.client.rest;
  const [tokens, reloadTokens, error] = useLoader<BotToken[]>(() => rest.botTokens(bot.id));
  useEffect(reloadTokens, [bot.id]);
  const [scopes, setScopes] = useState<BotScope[]>(['messages:write']);
  const [tokenName, setTokenName] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [url, setUrl] = useState(bot.webhook.url ?? '');
  const [events, setEvents] = useState<BotEventName[]>(bot.webhook.url ? bot.webhook.events : ['command', 'mention']);
  const [signing, setSigning] = useState<string | null>(null);
  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item));
  const issue = (work: () => Promise<{ secret: string }>) =>
    void run(async () => {
      setSecret((await work()).secret);
      setTokenName('');
    }).then(reloadTokens);
  const active = (tokens ?? []).filter((tk) => !tk.revokedAt);
  return (
    <div class="bot-manager">
      <ErrorLine error={error} />
      <fieldset>
        <legend>{t('bots.tokens')}</legend>
        {secret && <OnceSecret label={t('bots.tokenSecret')} value={secret} onDone={() => setSecret(null)} />}
        <div class="scope-list">
          {SCOPES.map((scope) => (
            <label key={scope} class="row small">
              <input type="checkbox" checked={scopes.includes(scope)} onChange={(e) => setScopes(toggle(scopes, scope, e.currentTarget.checked))} />
              {t(`bots.scope.${scope}`)} <code>{scope}</code>
            </label>
          ))}
        </div>
        <div class="row">
          <input aria-label={t('bots.tokenName')} placeholder={t('bots.tokenName')} maxLength={64} value={tokenName} onInput={(e) => setTokenName(e.currentTarget.value)} />
          <button type="button" class="primary small" disabled={scopes.length === 0} onClick={() => issue(() => rest.issueBotToken(bot.id, scopes, tokenName.trim() || undefined))}>
            {t('bots.issueToken')}
          </button>
        </div>
        {tokens && active.length === 0 && <p class="muted small">{t('bots.noTokens')}</p>}
        <ul class="plain-list">
          {active.map((tk) => (
            <li key={tk.id} class="small bot-token">
              <strong>{tk.name || '—'}</strong> <code>{tk.scopes.join(' ')}</code>
              <span class="muted">{tk.lastUsedAt ? t('bots.lastUsed', { time: formatDateTime(tk.lastUsedAt) }) : t('bots.neverUsed')}</span>
              <button type="button" class="small" onClick={() => confirmFirst(t('bots.rotateConfirm'), { confirmLabel: t('bots.rotate') }, () => issue(() => rest.rotateBotToken(bot.id, tk.id)))}>
                {t('bots.rotate')}
              </button>
              <button type="button" class="small danger" onClick={() => confirmFirst(t('bots.revokeConfirm'), { confirmLabel: t('panel.revoke'), danger: true }, () => run(() => rest.revokeBotToken(bot.id, tk.id)).then(reloadTokens))}>
                {t('panel.revoke')}
              </button>
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset>
        <legend>
          {t('bots.webhook')}{' '}
          {bot.webhook.url && <span class={`tag${bot.webhook.status === 'paused' ? ' warn' : ''}`}>{t(`bots.status.${bot.webhook.status}`)}</span>}
        </legend>
        {signing && <OnceSecret label={t('bots.signingSecret')} value={signing} onDone={() => setSigning(null)} />}
        {bot.webhook.status === 'paused' && (
          <p class="small warn-text">
            {t('bots.pausedSince', { time: bot.webhook.pausedAt ? formatDateTime(bot.webhook.pausedAt) : '—', failures: bot.webhook.consecutiveFailures })}{' '}
            <button type="button" class="small primary" onClick={() => void run(() => rest.resumeBotWebhook(bot.id)).then(onChanged)}>
              {t('bots.resume')}
            </button>
          </p>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              const answer = await rest.setBotWebhook(bot.id, { url: url.trim(), events });
              if (answer.signingSecret) setSigning(answer.signingSecret);
            }).then(onChanged);
          }}
        >
          <input type="url" aria-label={t('bots.webhookUrl')} placeholder="https://bot.example.com/events" required value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
          <div class="scope-list">
            {EVENTS.map((ev) => (
              <label key={ev} class="row small">
                <input type="checkbox" checked={events.includes(ev)} onChange={(e) => setEvents(toggle(events, ev, e.currentTarget.checked))} />
                <code>{ev}</code>
              </label>
            ))}
          </div>
          <div class="row">
            <button type="submit" class="small primary" disabled={!url.trim() || events.length === 0}>
              {t('bots.saveWebhook')}
            </button>
            {bot.webhook.url && (
              <button
                type="button"
                class="small"
                onClick={() =>
                  void run(async () => {
                    await rest.removeBotWebhook(bot.id);
                    setUrl('');
                  }).then(onChanged)
                }
              >
                {t('bots.removeWebhook')}
              </button>
            )}
          </div>
        </form>
        {bot.webhook.url && <Deliveries botId={bot.id} />}
      </fieldset>
    </div>
  );
}

/** The delivery log, on demand: the newest few, with their last attempt. */
function Deliveries({ botId }: { botId: string }) {
  const store = useStore();
  const [list, reload, error] = useLoader<BotDelivery[]>(() => store.client.rest.botDeliveries(botId, 10));
  return (
    <details class="deliveries" onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && reload()}>
      <summary class="small">{t('bots.deliveries')}</summary>
      <ErrorLine error={error} />
      {list?.length === 0 && <p class="muted small">{t('bots.noDeliveries')}</p>}
      <ol class="plain-list small">
        {(list ?? []).map((d) => {
          const last = d.log.at(-1);
          return (
            <li key={d.id}>
              <time class="muted">{formatDateTime(d.createdAt)}</time> <code>{d.event}</code> <span class={`tag${d.status === 'failed' ? ' warn' : ''}`}>{t(`bots.delivery.${d.status}`)}</span>
              {last && <span class="muted">{last.statusCode ?? last.error ?? ''} · {last.durationMs} ms</span>}
            </li>
          );
        })}
      </ol>
    </details>
  );
}

function IncomingHooks({ roomId, run }: { roomId: string; run: Run }) {
  const store = useStore();
  const rest = store.client.rest;
  const [hooks, reload, error] = useLoader<IncomingWebhook[]>(() => rest.incomingWebhooks(roomId));
  useEffect(reload, [roomId]);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  return (
    <fieldset class="incoming-hooks">
      <legend>{t('bots.incoming')}</legend>
      <p class="muted small">{t('bots.incomingIntro')}</p>
      <ErrorLine error={error} />
      {created && <OnceSecret label={t('bots.hookUrl')} value={created} onDone={() => setCreated(null)} />}
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const answer = await rest.createIncomingWebhook(roomId, { name: name.trim() });
            setCreated(location.origin + answer.url);
            setName('');
          }).then(reload);
        }}
      >
        <input aria-label={t('bots.hookName')} placeholder={t('bots.hookName')} required maxLength={64} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit" class="small" disabled={!name.trim()}>
          {t('bots.createHook')}
        </button>
      </form>
      <ul class="plain-list">
        {(hooks ?? [])
          .filter((h) => !h.revokedAt)
          .map((h) => (
            <li key={h.id} class="small">
              <strong>{h.name}</strong> <span class="muted">{formatDateTime(h.createdAt)}</span>
              <button type="button" class="small danger" onClick={() => confirmFirst(t('bots.revokeHookConfirm', { name: h.name }), { confirmLabel: t('panel.revoke'), danger: true }, () => run(() => rest.revokeIncomingWebhook(roomId, h.id)).then(reload))}>
                {t('panel.revoke')}
              </button>
            </li>
          ))}
      </ul>
    </fieldset>
  );
}
