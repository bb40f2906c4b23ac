/**
 * System messages in the interface language. The server stores each with `data.event` and the
 * ids involved (docs/protocol.md, "Joining"), plus an English `text` for clients that know no
 * better; we build the sentence from the event and fall back to that text for events we do not
 * know (a newer server, or a bot's event).
 */
import type { Message } from '../../../../shared/schemas.ts';
import { formatDateTime, t, type MessageKey } from './index.ts';

/**
 * The server's English sentences start with the member's name, e.g. "Mei left". When a name is not
 * in our lookup (someone who left before this page loaded), it is read from there, so the
 * translation still names them.
 */
const NAME_BEFORE: Partial<Record<string, RegExp>> = {
  'member.joined': /^(.+) joined$/s,
  'member.left': /^(.+) left$/s,
  'member.kicked': /^(.+) was removed from the room$/s,
  'member.banned': /^(.+) was banned$/s,
  'member.muted': /^(.+) was muted /s,
  'member.unmuted': /^(.+) can speak again$/s,
  'role.changed': /^(.+) is (?:now|no longer) an admin$/s,
  'announcement.posted': /^(.+) posted an announcement$/s,
};

/** Mirrors the server's "until unmuted" instant (year 9999). */
const forever = (iso: string) => new Date(iso).getFullYear() >= 9999;

export function systemText(message: Message, nameOf: (userId: string) => string | undefined): string {
  const data = (message.data ?? {}) as Record<string, unknown>;
  const event = typeof data.event === 'string' ? data.event : '';
  const str = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : null);
  const nameFrom = (key: string): string | null => {
    const id = str(key);
    const known = id ? nameOf(id) : undefined;
    if (known) return known;
    return NAME_BEFORE[event]?.exec(message.text)?.[1] ?? null;
  };
  // Without a name the English sentence says more than "Someone …" would.
  const withName = (key: MessageKey, idKey = 'userId', vars: Record<string, string | number> = {}) => {
    const name = nameFrom(idKey);
    return name === null ? message.text : t(key, { name, ...vars });
  };
  switch (event) {
    case 'member.joined':
      return withName('system.member.joined');
    case 'member.left':
      return withName('system.member.left');
    case 'member.kicked':
      return withName('system.member.kicked');
    case 'member.banned': {
      const until = str('until');
      return until ? withName('system.member.bannedUntil', 'userId', { until: formatDateTime(until) }) : withName('system.member.banned');
    }
    case 'member.muted': {
      const until = str('until');
      // Automatic mutes stored by earlier versions name their member `targetId`.
      const idKey = str('userId') ? 'userId' : 'targetId';
      if (!until || forever(until)) return withName('system.member.mutedForever', idKey);
      return withName(data.automatic === true ? 'system.member.mutedAuto' : 'system.member.muted', idKey, { until: formatDateTime(until) });
    }
    case 'member.unmuted':
      return withName('system.member.unmuted');
    case 'role.changed':
      return withName(data.role === 'admin' ? 'system.role.admin' : 'system.role.member');
    case 'owner.transferred': {
      const from = nameFrom('from');
      const to = nameFrom('to');
      return from && to ? t('system.owner.transferred', { from, to }) : message.text;
    }
    case 'room.muteAll':
      return typeof data.enabled === 'boolean' ? t(data.enabled ? 'system.room.muteAll.on' : 'system.room.muteAll.off') : message.text;
    case 'room.slowMode': {
      const seconds = typeof data.seconds === 'number' ? data.seconds : null;
      if (seconds === null) return message.text;
      return seconds > 0 ? t('system.room.slowMode.on', { seconds }) : t('system.room.slowMode.off');
    }
    case 'room.updated':
      return t('system.room.updated');
    case 'announcement.posted':
      return withName('system.announcement.posted', 'actorId');
    default:
      return message.text;
  }
}
