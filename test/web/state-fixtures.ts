/** Plain values for the web client's state tests: a room, my entry in it, its messages. */
import type { Message, Room } from '../../shared/schemas.ts';
import type { KeyValueStorage } from '../../client/web/src/state/outbox.ts';
import type { RoomEntry } from '../../client/web/src/state/rooms.ts';

export const ROOM = '7a1f3c1e-8d3a-4d0e-9a3e-6b1f2f0c9d11';
export const ME = '0b5f3c1e-8d3a-4d0e-9a3e-6b1f2f0c9d11';
export const OTHER = '1c5f3c1e-8d3a-4d0e-9a3e-6b1f2f0c9d11';

export function room(fields: Partial<Room> = {}): Room {
  return {
    id: ROOM,
    name: 'Darkroom',
    topic: '',
    tags: [],
    ownerId: OTHER,
    visibility: 'public',
    kind: 'group',
    preview: false,
    membersCanForward: true,
    memberCount: 2,
    memberLimit: 500,
    lastSeq: 10,
    lastChange: 0,
    joinPolicy: 'open',
    joinQuestion: '',
    membersCanInvite: true,
    muteAll: false,
    slowModeSeconds: 0,
    keepImageOriginals: false,
    createdAt: '2026-12-01T10:00:00.000Z',
    ...fields,
  } as Room;
}

export function entry(fields: Partial<RoomEntry> = {}, roomFields: Partial<Room> = {}): RoomEntry {
  return { room: room(roomFields), role: 'member', unread: 0, unreadMentions: 0, lastReadSeq: 10, ...fields };
}

export function message(seq: number, fields: Partial<Message> = {}): Message {
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    roomId: ROOM,
    seq,
    sender: { id: OTHER, displayName: 'Bo', kind: 'user' },
    kind: 'text',
    text: `message ${seq}`,
    replyTo: null,
    clientMsgId: null,
    mentions: [],
    mentionsAll: false,
    data: null,
    recalledAt: null,
    recalledBy: null,
    attachments: [],
    createdAt: '2026-12-03T10:00:00.000Z',
    ...fields,
  } as Message;
}

export function memoryStorage(items = new Map<string, string>()): KeyValueStorage & { items: Map<string, string> } {
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}
