/**
 * What each live socket event (other than the message stream itself) means for this page, as a
 * list of steps the store carries out — the one table from an event's name to what it changes,
 * as room-events.ts's EFFECTS table is on the server. Pure: an event and my id in, steps out; no
 * step list means the event changes nothing here.
 * Also the follow-ups a stored system message asks for (membership, the room, the staff queue).
 */
import type { ClientEvents } from '../../../sdk/index.ts';
import type { Message } from '../../../../shared/schemas.ts';
import { removalReason, type RemovalReason } from './notices.ts';
import { EVENT_LOOK_DELAY_MS, JOINED_LOOK_DELAY_MS } from './staff-queues.ts';

type LiveEvent = ClientEvents['event'];
type Payload<N extends LiveEvent[0]> = Extract<LiveEvent, [N, unknown]>[1];

export type LiveStep =
  | { do: 'typing'; roomId: string; userId: string; name: string }
  | { do: 'presence'; roomId: string; userId: string; online: boolean }
  | { do: 'read'; position: Payload<'read'> }
  | { do: 'recall'; recall: Payload<'message:recalled'> }
  | { do: 'remove-room'; roomId: string; reason: RemovalReason }
  | { do: 'count-staff-queue'; roomId: string; delayMs: number }
  | { do: 'signup-held-changed'; signupId: string }
  | { do: 'my-line-decided'; signupId: string }
  | { do: 'merge'; roomId: string; message: Message }
  | { do: 'rejected-in-review'; roomId: string; clientMsgId: string }
  | { do: 'rsvp-notice'; notice: Payload<'event:rsvp'> }
  | { do: 'proposals-moved'; roomId: string }
  | { do: 'my-proposal-decided'; decided: Extract<Payload<'review:decided'>, { kind: 'eventProposal' }> }
  | { do: 'meetup-reminder'; reminder: Payload<'event:reminder'> }
  | { do: 'dm-request'; request: Payload<'dm:request'>['request'] }
  | { do: 'dm-opened'; room: Payload<'dm:opened'>['room']; peerIds: string[] }
  | { do: 'notifications'; roomId: string; mode: Payload<'member:notifications'>['mode'] }
  | { do: 'request-decided'; roomId: string; approved: boolean };

export function stepsOf(event: LiveEvent, myId: string | null): LiveStep[] {
  const staffLook = (roomId: string): LiveStep => ({ do: 'count-staff-queue', roomId, delayMs: EVENT_LOOK_DELAY_MS });
  switch (event[0]) {
    case 'typing': {
      const { roomId, user } = event[1];
      return user.id === myId ? [] : [{ do: 'typing', roomId, userId: user.id, name: user.displayName }];
    }
    case 'presence':
      return [{ do: 'presence', roomId: event[1].roomId, userId: event[1].userId, online: event[1].online }];
    case 'read':
      return [{ do: 'read', position: event[1] }];
    case 'message:recalled':
      return [{ do: 'recall', recall: event[1] }];
    case 'room:removed':
      return [{ do: 'remove-room', roomId: event[1].roomId, reason: removalReason(event[1].reason) }];
    case 'join:requested':
      return [staffLook(event[1].roomId)];
    case 'review:new': {
      const review = event[1];
      return [
        staffLook(review.roomId),
        ...(review.kind === 'signupEntry' ? [{ do: 'signup-held-changed', signupId: review.signupId } as const] : []),
        ...(review.kind === 'eventProposal' ? [{ do: 'proposals-moved', roomId: review.roomId } as const] : []),
      ];
    }
    case 'review:decided': {
      const decided = event[1];
      const steps: LiveStep[] = [staffLook(decided.roomId)];
      if (decided.kind === 'signupEntry') {
        if (decided.userId === myId) steps.push({ do: 'my-line-decided', signupId: decided.signupId });
        steps.push({ do: 'signup-held-changed', signupId: decided.signupId });
      }
      if (decided.kind === 'eventProposal') {
        steps.push({ do: 'proposals-moved', roomId: decided.roomId });
        if (decided.userId === myId) steps.push({ do: 'my-proposal-decided', decided });
      }
      // A held message of mine (or anyone's): approved, it joins the timeline; rejected, my pending copy says so.
      if (decided.kind === 'held' && decided.status === 'approved' && decided.message) steps.push({ do: 'merge', roomId: decided.roomId, message: decided.message });
      else if (decided.kind === 'held' && decided.status === 'rejected') steps.push({ do: 'rejected-in-review', roomId: decided.roomId, clientMsgId: decided.clientMsgId });
      return steps;
    }
    case 'event:rsvp':
      return [{ do: 'rsvp-notice', notice: event[1] }];
    case 'event:reminder':
      return [{ do: 'meetup-reminder', reminder: event[1] }];
    case 'dm:request':
      return [{ do: 'dm-request', request: event[1].request }];
    case 'dm:opened':
      return [{ do: 'dm-opened', room: event[1].room, peerIds: event[1].peerIds }];
    case 'member:notifications':
      return [{ do: 'notifications', roomId: event[1].roomId, mode: event[1].mode }];
    case 'join:decided':
      return [{ do: 'request-decided', roomId: event[1].roomId, approved: event[1].status === 'approved' }];
    default:
      return [];
  }
}

/** What a stored message asks the page to read again, besides showing it. */
export interface MessageFollowUps {
  /** My role or the member list may have changed (promoted, muted, removed). */
  membership: boolean;
  /** The room itself (its settings, its member count). */
  room: boolean;
  /** Look at the staff queue after this long, or null. */
  staffQueueDelayMs: number | null;
}

export function followUpsOf(message: Message): MessageFollowUps {
  const event = message.kind === 'system' ? String(message.data?.event ?? '') : '';
  return {
    membership: event.startsWith('member.') || event.startsWith('role.') || event === 'owner.transferred',
    // The member count lives on the room: it is re-read when someone comes or goes.
    room: event.startsWith('room.') || /^member\.(joined|left|kicked|banned)$/.test(event),
    // Another admin may have approved a request (the staff get no event for that).
    staffQueueDelayMs: event === 'member.joined' ? JOINED_LOOK_DELAY_MS : null,
  };
}
