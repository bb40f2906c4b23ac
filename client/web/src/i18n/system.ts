/**
 * System messages in the interface language, written from the message's typed `data`
 * (shared/room-events.ts), which names everyone involved as they were at that moment. A message
 * stored by an older server has ids without names: the names then come from the members we know,
 * and when even that fails, or the event is one we do not know, the server's English `text` is shown.
 */
import type { Message } from '../../../../shared/schemas.ts';
import { formatDateTime, t, type MessageKey } from './index.ts';

/** Mirrors the server's "until unmuted" instant (year 9999). */
const forever = (iso: string) => new Date(iso).getFullYear() >= 9999;

export function systemText(message: Message, nameOf: (userId: string) => string | undefined): string {
  const data = message.data;
  if (!data) return message.text;
  // The name the event carries, else the one we know for the id (older messages carry only ids).
  const named = (id: string | null | undefined, name: string | null | undefined): string | null => name || (id ? (nameOf(id) ?? null) : null);
  const say = (key: MessageKey, name: string | null, vars: Record<string, string | number> = {}) => (name === null ? message.text : t(key, { name, ...vars }));

  switch (data.event) {
    case 'member.joined':
      return say('system.member.joined', named(data.userId, data.displayName));
    case 'member.left':
      return say('system.member.left', named(data.userId, data.displayName));
    case 'member.kicked':
      return say('system.member.kicked', named(data.userId, data.displayName));
    case 'member.banned':
      return data.until
        ? say('system.member.bannedUntil', named(data.userId, data.displayName), { until: formatDateTime(data.until) })
        : say('system.member.banned', named(data.userId, data.displayName));
    case 'member.muted': {
      const name = named(data.userId, data.displayName);
      if (!data.until || forever(data.until)) return say('system.member.mutedForever', name);
      return say(data.automatic ? 'system.member.mutedAuto' : 'system.member.muted', name, { until: formatDateTime(data.until) });
    }
    case 'member.unmuted':
      return say('system.member.unmuted', named(data.userId, data.displayName));
    case 'role.changed':
      return say(data.role === 'admin' ? 'system.role.admin' : 'system.role.member', named(data.userId, data.displayName));
    case 'owner.transferred': {
      const from = named(data.from, data.fromName);
      const to = named(data.to, data.toName);
      return from && to ? t('system.owner.transferred', { from, to }) : message.text;
    }
    case 'room.muteAll':
      return t(data.enabled ? 'system.room.muteAll.on' : 'system.room.muteAll.off');
    case 'room.slowMode':
      return data.seconds > 0 ? t('system.room.slowMode.on', { seconds: data.seconds }) : t('system.room.slowMode.off');
    case 'rules.updated':
      return say(data.requireAcceptance ? 'system.rules.updatedAccept' : 'system.rules.updated', named(data.by, data.byName));
    case 'event.reminder':
      return t(data.before === '1h' ? 'system.event.reminder1h' : 'system.event.reminder24h', { title: data.title, time: formatDateTime(data.startsAt) });
    case 'room.raidShield':
      return t('system.room.raidShield', { joins: data.joins, minutes: Math.max(1, Math.round(data.windowSeconds / 60)), until: formatDateTime(data.until), seconds: data.slowModeSeconds });
    case 'room.raidShieldLifted':
      return t(data.joinPolicy === 'open' ? 'system.room.raidShieldLifted.open' : 'system.room.raidShieldLifted');
    case 'announcement.posted':
      return say('system.announcement.posted', named(data.actorId, data.actorName));
    default:
      return message.text;
  }
}
