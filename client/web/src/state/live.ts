/**
 * The socket's stream into the page's parts: stored messages, the change feed, resets and live
 * events, each handed to the part that owns what it changes. Which steps an event means is
 * live-events.ts's table; this carries them out.
 */
import type { MeetupPopups } from './meetup-popups.ts';
import type { MeetupProposals } from './meetup-proposals.ts';
import type { ClientEvents, QuanziClient } from '../../../sdk/index.ts';
import type { Message, RoomChange } from '../../../../shared/schemas.ts';
import type { CommunityState } from './community.ts';
import type { DirectMessages } from './dms.ts';
import { followUpsOf, stepsOf, type LiveStep } from './live-events.ts';
import type { Outbox } from './outbox.ts';
import type { People } from './people.ts';
import type { RoomDetails } from './room-details.ts';
import type { RoomList } from './room-list.ts';
import type { MessageSearch } from './search.ts';
import type { StaffQueues } from './staff-queues.ts';
import { applyChange, applyPresence, resetMessages, type Timeline } from './timeline.ts';

/** docs/protocol.md: hide an indicator about 5 s after the last one received. */
export const TYPING_SHOWN_MS = 5000;

export interface LiveParts {
  myId(): string | null;
  timeline(roomId: string): Timeline;
  /** Stored messages into the room's timeline (names learned, my pending copies settled). */
  merge(roomId: string, messages: Message[]): void;
  /** My role or the member list may have changed. */
  refreshMembership(roomId: string): void;
  setRequested(roomId: string, waiting: boolean): void;
  changed(): void;
  list: RoomList;
  staff: StaffQueues;
  details: RoomDetails;
  outbox: Outbox;
  search: MessageSearch;
  community: CommunityState;
  proposals: MeetupProposals;
  popups: MeetupPopups;
  dms: DirectMessages;
  people: People;
}

/** Subscribes the parts to the client's stream; returns what unsubscribes them. */
export function followLive(client: QuanziClient, parts: LiveParts): Array<() => void> {
  return [
    client.on('message', (message) => onMessage(parts, message)),
    client.on('change', (change) => onChange(parts, change)),
    client.on('reset', ({ roomId, messages, hasMore }) => {
      resetMessages(parts.timeline(roomId), messages, hasMore, parts.myId());
      parts.community.forgetRoom(roomId);
      parts.merge(roomId, messages);
    }),
    client.on('removed', ({ roomId }) => {
      parts.list.entries.delete(roomId);
      parts.changed();
    }),
    client.on('event', (...event) => onEvent(parts, event)),
  ];
}

function onMessage(parts: LiveParts, message: Message): void {
  const tl = parts.timeline(message.roomId);
  // Rooms whose history is not loaded yet only keep what arrives after; loading fills the rest.
  parts.merge(message.roomId, [message]);
  parts.community.onMessage(message);
  const entry = parts.list.entries.get(message.roomId);
  // A room joined elsewhere (another tab, an approved request, an invite): learn about it.
  if (!entry) void parts.list.refreshAll();
  else {
    parts.list.arrived(entry, message);
    const followUps = followUpsOf(message);
    if (followUps.membership) parts.refreshMembership(message.roomId);
    if (followUps.room) void parts.list.refreshRoom(message.roomId);
    if (followUps.staffQueueDelayMs !== null) parts.staff.refresh(message.roomId, followUps.staffQueueDelayMs);
  }
  tl.typing.delete(message.sender?.id ?? '');
  parts.changed();
}

function onChange(parts: LiveParts, change: RoomChange): void {
  const followUp = applyChange(parts.timeline(change.roomId), change, parts.myId());
  parts.community.applyChange(change);
  if (followUp === 'refresh-room') void parts.list.refreshRoom(change.roomId);
  else if (followUp === 'load-pins') void parts.details.loadPins(change.roomId);
  if (change.kind === 'edit') parts.search.update(change.payload.message);
  else if (change.kind === 'recall' || (change.kind === 'hidden' && change.payload.hiddenAt)) parts.search.forget(change.roomId, change.payload.seq);
  parts.changed();
}

function onEvent(parts: LiveParts, event: ClientEvents['event']): void {
  const steps = stepsOf(event, parts.myId());
  for (const step of steps) carryOut(parts, step);
  if (steps.length > 0) parts.changed();
}

function carryOut(parts: LiveParts, step: LiveStep): void {
  switch (step.do) {
    case 'typing':
      parts.timeline(step.roomId).typing.set(step.userId, { name: step.name, until: Date.now() + TYPING_SHOWN_MS });
      setTimeout(() => parts.changed(), TYPING_SHOWN_MS + 50);
      return;
    case 'presence':
      applyPresence(parts.timeline(step.roomId), step.userId, step.online);
      return;
    case 'read':
      return parts.list.readPosition(step.position);
    case 'recall':
      return parts.details.applyRecall(step.recall);
    case 'remove-room':
      return parts.list.removed(step.roomId, step.reason);
    case 'count-staff-queue':
      return parts.staff.refresh(step.roomId, step.delayMs);
    case 'signup-held-changed':
      return parts.community.heldChanged(step.signupId);
    case 'my-line-decided':
      return parts.community.lineDecided(step.signupId);
    case 'merge':
      return parts.merge(step.roomId, [step.message]);
    case 'rejected-in-review':
      return parts.outbox.rejectedInReview(step.roomId, step.clientMsgId);
    case 'rsvp-notice':
      return parts.community.onRsvpNotice(step.notice);
    case 'proposals-moved':
      return parts.proposals.moved(step.roomId);
    case 'my-proposal-decided':
      return parts.popups.decided(step.decided);
    case 'meetup-reminder':
      return parts.popups.reminder(step.reminder);
    case 'dm-request':
      return parts.dms.onRequest(step.request);
    case 'dm-opened':
      return parts.dms.onOpened(step.room, step.peerIds);
    case 'notifications':
      return parts.people.applyNotifications(step.roomId, step.mode);
    case 'request-decided':
      parts.setRequested(step.roomId, false);
      if (step.approved) void parts.list.refreshAll();
      return;
  }
}
