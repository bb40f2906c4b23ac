/**
 * Forwarding (转发) a message to another room or DM I am in (docs/protocol.md, "Forward"): the
 * rooms to choose from, named as the reader knows them (a DM by the other person), and the
 * forward itself with its outcome. The destination's rules apply as to a send: a refusal
 * (muted there, forwarding switched off where it came from) comes back as an error to show, a
 * held forward as `held`.
 */
import type { Message, Room } from '../../../../shared/schemas.ts';
import type { WireError } from './outbox.ts';

export interface ForwardTarget {
  roomId: string;
  name: string;
  kind: Room['kind'];
}

export type ForwardOutcome = { status: 'sent'; message: Message } | { status: 'held'; error: WireError };

/** The rooms a message from `fromRoomId` can go to: every other room of mine, DMs by the other person's name. */
export function forwardTargets(rooms: Iterable<{ room: Room }>, fromRoomId: string, dmNames: ReadonlyMap<string, string>, query = ''): ForwardTarget[] {
  const wanted = query.trim().toLowerCase();
  const list: ForwardTarget[] = [];
  for (const { room } of rooms) {
    if (room.id === fromRoomId) continue;
    const name = room.kind === 'dm' ? (dmNames.get(room.id) ?? room.name) : room.name;
    if (wanted && !name.toLowerCase().includes(wanted)) continue;
    list.push({ roomId: room.id, name, kind: room.kind });
  }
  // Groups first, then DMs, each by name: the list a forward dialog in WeChat shows.
  return list.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dm' ? 1 : -1));
}

/** A forward's answer: 201/200 `{ message }`, or 202 `{ error: HELD_FOR_REVIEW }` (docs/protocol.md). */
export function forwardOutcome(answer: { message?: Message; error?: WireError }): ForwardOutcome {
  if (answer.message) return { status: 'sent', message: answer.message };
  return { status: 'held', error: answer.error ?? { code: 'HELD_FOR_REVIEW', message: 'Waiting for review' } };
}
