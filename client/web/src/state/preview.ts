/**
 * Look before joining (docs/protocol.md, "Visibility and preview"): what a non-member is shown
 * of a room before joining it. A public room whose staff turned preview on shows its newest
 * messages and announcement, read-only; any other room its card alone (name, topic, members),
 * when the reader may see that much.
 */
import type { Announcement, Message, Room, RoomPreviewResponse } from '../../../../shared/schemas.ts';
import type { WireError } from './outbox.ts';

export type RoomLook =
  | { kind: 'loading' }
  | { kind: 'preview'; room: Room; announcement: Announcement | null; messages: Message[] }
  | { kind: 'card'; room: Room }
  | { kind: 'error'; error: WireError };

export interface PreviewPorts {
  preview(roomId: string): Promise<RoomPreviewResponse>;
  room(roomId: string): Promise<Room>;
  toWireError(error: unknown): WireError;
}

/** While a preview is open it is read again this often: a non-member gets no live messages. */
export const PREVIEW_REFRESH_MS = 30_000;

export async function lookAt(ports: PreviewPorts, roomId: string): Promise<RoomLook> {
  try {
    const { room, announcement, messages } = await ports.preview(roomId);
    return { kind: 'preview', room, announcement, messages };
  } catch (error) {
    const wire = ports.toWireError(error);
    // A private room does not exist for outsiders: nothing more to ask.
    if (wire.code === 'ROOM_NOT_FOUND' || wire.code === 'UNAUTHENTICATED') return { kind: 'error', error: wire };
  }
  // No preview here (turned off, unlisted, or a server without it): the card, as before.
  try {
    return { kind: 'card', room: await ports.room(roomId) };
  } catch (error) {
    return { kind: 'error', error: ports.toWireError(error) };
  }
}
