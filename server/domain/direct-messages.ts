/**
 * Direct messages (私信): POST /v1/dms writes to a person rather than a room. Consent decides
 * the way (dm-consent.ts): straight into the pair's DM room, created on the first message, or as
 * a message request (message-requests.ts). A DM room is an ordinary room of kind 'dm' with two
 * plain members, so the message itself takes the room path (send-message.ts): seq, idempotency,
 * safety, fan-out, and afterwards history, sync, read state and recall, unchanged.
 */
import type { DmRequest, SendDmBody } from '../../shared/people.ts';
import type { Message, Room } from '../../shared/schemas.ts';
import { listDmRooms } from '../store/dm-rooms.ts';
import { consentFor } from './dm-consent.ts';
import type { DomainDeps } from './deps.ts';
import { sendMessageRequest } from './message-requests.ts';
import type { Principal } from './principal.ts';
import { openDmRoom } from './dm-rooms.ts';
import { sendMessage } from './send-message.ts';

export type DmOutcome = { status: 'sent'; room: Room; message: Message; duplicate: boolean } | { status: 'requested'; request: DmRequest };

export async function sendDirectMessage(deps: DomainDeps, principal: Principal, input: SendDmBody): Promise<DmOutcome> {
  const consent = await consentFor(deps, principal.userId, input.userId);
  if (consent.way === 'request') return { status: 'requested', request: await sendMessageRequest(deps, principal, consent.recipient, input) };
  const room = consent.room ?? (await openDmRoom(deps, principal.userId, input.userId));
  const { message, duplicate } = await sendMessage(deps, principal, { roomId: room.id, text: input.text, clientMsgId: input.clientMsgId });
  return { status: 'sent', room, message, duplicate };
}

export function conversationsOf(deps: DomainDeps, principal: Principal) {
  return listDmRooms(deps.db, principal.userId);
}
