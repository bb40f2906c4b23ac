/** The room's own settings (owner and admins): name, topic, tags, how people join, the member limit. */
import { useState } from 'preact/hooks';
import type { TargetedEvent } from 'preact';
import type { JoinPolicy, Room } from '../../../../../shared/schemas.ts';
import { t } from '../../i18n/index.ts';
import { Section, useStore } from '../common.tsx';
import type { Run } from './actions.ts';
import { ForwardingField, VisibilityFields } from '../room-visibility.tsx';

export function SettingsSection({ room, run }: { room: Room; run: Run }) {
  const store = useStore();
  const [form, setForm] = useState({ name: room.name, topic: room.topic, tags: room.tags.join(' '), joinPolicy: room.joinPolicy, joinQuestion: room.joinQuestion, memberLimit: room.memberLimit, membersCanInvite: room.membersCanInvite, visibility: room.visibility, preview: room.preview, membersCanForward: room.membersCanForward, membersProposeEvents: room.membersProposeEvents });
  const owner = store.rooms.get(room.id)?.role === 'owner';
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
        membersProposeEvents: form.membersProposeEvents,
        visibility: form.visibility,
        preview: form.visibility === 'public' && form.preview,
        ...(owner ? { membersCanForward: form.membersCanForward } : {}),
      });
      const entry = store.rooms.get(room.id);
      if (entry) entry.room = updated;
      setSaved(true);
    });
  };
  return (
    <Section title={t('panel.roomDetails')}>
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
        <label class="row">
          <input type="checkbox" name="membersProposeEvents" checked={form.membersProposeEvents} onChange={(e) => setForm({ ...form, membersProposeEvents: e.currentTarget.checked })} />
          {t('meetups.setting')}
        </label>
        <VisibilityFields name="room-visibility" value={form} onChange={(next) => setForm({ ...form, ...next })} />
        {owner && <ForwardingField checked={form.membersCanForward} onChange={(next) => setForm({ ...form, membersCanForward: next })} />}
        <button type="submit" class="primary">
          {saved ? t('panel.saved') : t('panel.save')}
        </button>
      </form>
    </Section>
  );
}
