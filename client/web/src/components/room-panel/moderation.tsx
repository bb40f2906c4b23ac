/** Mute-all and slow mode, for owner and admins. */
import { useState } from 'preact/hooks';
import type { Room } from '../../../../../shared/schemas.ts';
import { t } from '../../i18n/index.ts';
import type { WireError } from '../../state/store.ts';
import { ErrorLine, Section, toWireError, useStore } from '../common.tsx';

const SLOW_MODES = [0, 10, 30, 60, 300];

export function ModerationSection({ roomId, room }: { roomId: string; room: Room }) {
  return (
    <Section title={t('panel.moderation')}>
      <RoomSwitches roomId={roomId} room={room} />
      <p class="muted small">{t('panel.muteOneHint')}</p>
    </Section>
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
