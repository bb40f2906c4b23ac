/** The room's announcement: read by all, written by the staff (with who has read it). */
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { Section, useStore } from '../common.tsx';
import type { Run } from './actions.ts';

export function AnnouncementSection({ roomId, staff, run }: { roomId: string; staff: boolean; run: Run }) {
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
