/**
 * The room panel: one section per file beside this one. For owner and admins the tools come
 * first, as one group ("Manage the room"), in the order they are needed: what waits for a
 * decision (review queue, join requests), who may speak (mute-all, slow mode; one member's mute
 * is in their row under Members), who comes in (invite links, bans), then the room's details,
 * safety rules, bots and the audit log. Then what everyone has: members, the announcement, the
 * album and the files, and my own settings. Each tool section loads when opened.
 */
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import type { WireError } from '../../state/store.ts';
import { AlbumSection, FilesSection } from '../album.tsx';
import { ErrorLine, toWireError, useStore } from '../common.tsx';
import type { Run } from './actions.ts';
import { roomTitle } from '../dm-list.tsx';
import { AnnouncementSection } from './announcement.tsx';
import { AuditSection } from './audit.tsx';
import { BansSection } from './bans.tsx';
import { BotsSection } from './bots.tsx';
import { InvitesSection } from './invites.tsx';
import { JoinRequestsSection } from './join-requests.tsx';
import { MembersSection } from './members.tsx';
import { ModerationSection } from './moderation.tsx';
import { MySettingsSection } from './my-settings.tsx';
import { ReviewSection } from './review.tsx';
import { SettingsSection } from './room-settings.tsx';
import { SafetySection } from './safety.tsx';
import { EventsSection } from '../community/events-section.tsx';
import { RulesSection } from '../community/rules-section.tsx';

export function RoomPanel({ roomId, onClose }: { roomId: string; onClose: () => void }) {
  const store = useStore();
  const entry = store.rooms.get(roomId);
  const [error, setError] = useState<WireError | null>(null);
  if (!entry) return null;
  const staff = entry.role === 'owner' || entry.role === 'admin';
  // A section's action: its error shows at the top of the panel, and the member list is re-read
  // after it (most actions change someone's role, mute or presence in the room).
  const run: Run = async (work) => {
    setError(null);
    try {
      await work();
      await store.details.loadMembers(roomId);
    } catch (e) {
      setError(toWireError(e));
    }
  };

  return (
    <aside class="panel" aria-label={entry.room.kind === 'dm' ? t('dm.info') : t('panel.open')} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <header class="panel-head">
        <h2>{roomTitle(store, entry)}</h2>
        <button type="button" class="ghost" onClick={onClose} aria-label={t('panel.close')}>
          ✕
        </button>
      </header>
      <ErrorLine error={error} />
      {entry.room.topic && <p class="muted pad">{entry.room.topic}</p>}

      {staff && (
        <section class="panel-group staff-tools" aria-labelledby="panel-manage">
          <h3 id="panel-manage" class="panel-group-title">{t('panel.manage')}</h3>
          <ReviewSection roomId={roomId} run={run} />
          <JoinRequestsSection roomId={roomId} run={run} />
          <ModerationSection roomId={roomId} room={entry.room} />
          <InvitesSection roomId={roomId} staff={staff} run={run} />
          <BansSection roomId={roomId} run={run} />
          <SettingsSection room={entry.room} run={run} />
          <SafetySection roomId={roomId} />
          <BotsSection roomId={roomId} run={run} />
          <AuditSection roomId={roomId} />
        </section>
      )}

      <section class="panel-group" aria-labelledby={staff ? 'panel-in-room' : undefined}>
        {staff && (
          <h3 id="panel-in-room" class="panel-group-title">
            {t('panel.inRoom')}
          </h3>
        )}
        <MembersSection roomId={roomId} run={run} />
        <AnnouncementSection roomId={roomId} staff={staff} run={run} />
        {entry.room.kind !== 'dm' && <EventsSection roomId={roomId} staff={staff} onJump={onClose} />}
        {entry.room.kind !== 'dm' && <RulesSection roomId={roomId} staff={staff} />}
        <AlbumSection roomId={roomId} />
        <FilesSection roomId={roomId} />
        {!staff && entry.room.membersCanInvite && <InvitesSection roomId={roomId} staff={staff} run={run} />}
        <MySettingsSection roomId={roomId} run={run} />
      </section>
    </aside>
  );
}
