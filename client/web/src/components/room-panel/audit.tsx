/** The audit log: the newest moderation actions, who did them and to whom. */
import type { AuditEntry } from '../../../../../shared/schemas.ts';
import { auditActionText, formatDateTime, t } from '../../i18n/index.ts';
import { ErrorLine, Section, useStore } from '../common.tsx';
import { useLoader } from './actions.ts';

export function AuditSection({ roomId }: { roomId: string }) {
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
            <time class="muted small">{formatDateTime(e.createdAt)}</time> <strong>{e.actorId ? (names.get(e.actorId) ?? '?') : t('chat.system')}</strong> <span class="audit-action" data-action={e.action} title={e.action}>{auditActionText(e.action)}</span>
            {e.targetUserId && ` → ${names.get(e.targetUserId) ?? e.targetUserId.slice(0, 8)}`}
            {e.targetSeq !== null && ` #${e.targetSeq}`}
            {e.reason && <span class="muted"> — {e.reason}</span>}
          </li>
        ))}
      </ol>
    </Section>
  );
}
