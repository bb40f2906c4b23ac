/**
 * Editing my own text messages in place (docs/protocol.md, "Edit"): which message is being
 * edited, the save and its refusal. The new text passes the safety rules again; a refusal keeps
 * the editor open with the reasons and changes nothing. Others see the edit on the change feed
 * (kind `edit`, applied in timeline.ts); my own page takes the answer at once.
 */
import type { Message, MessageVersionsResponse } from '../../../../shared/schemas.ts';
import type { WireError } from './outbox.ts';
import { mergeMessages, type Timeline } from './timeline.ts';

/** The server's default EDIT_WINDOW_SECONDS; a refusal's `details.windowSeconds` corrects it. */
export const DEFAULT_EDIT_WINDOW_SECONDS = 86_400;

export interface EditPorts {
  myId(): string | null;
  timeline(roomId: string): Timeline;
  /** Sends the edit (the socket when connected, else REST); resolves to the message as stored. */
  edit(roomId: string, seq: number, text: string): Promise<Message>;
  versions(roomId: string, seq: number): Promise<MessageVersionsResponse>;
  toWireError(error: unknown): WireError;
  changed(): void;
}

export interface Editing {
  roomId: string;
  seq: number;
  busy: boolean;
  error: WireError | null;
}

export class MessageEdits {
  editing: Editing | null = null;
  private windowSeconds = DEFAULT_EDIT_WINDOW_SECONDS;

  constructor(private readonly ports: EditPorts) {}

  /** Whether I may edit `message` now: my own text message, as sent here, within the window. */
  canEdit(message: Message, now = Date.now()): boolean {
    const me = this.ports.myId();
    if (!me || message.sender?.id !== me || message.kind !== 'text') return false;
    if (message.recalledAt || message.hiddenAt || message.forwardedFrom) return false;
    // A file without a caption has no text to edit; adding one is a new message.
    if (message.text === '') return false;
    return this.windowSeconds > 0 && now - new Date(message.createdAt).getTime() < this.windowSeconds * 1000;
  }

  /** My newest message in the room, when I may still edit it (↑ in an empty composer, as in Telegram). */
  lastEditable(roomId: string, now = Date.now()): Message | null {
    const me = this.ports.myId();
    const messages = this.ports.timeline(roomId).messages;
    for (let i = messages.length - 1; i >= 0; i--) {
      const message = messages[i]!;
      if (message.sender?.id === me && message.kind === 'text') return this.canEdit(message, now) ? message : null;
    }
    return null;
  }

  isEditing(roomId: string, seq: number): boolean {
    return this.editing?.roomId === roomId && this.editing.seq === seq;
  }

  start(message: Message): void {
    this.editing = { roomId: message.roomId, seq: message.seq, busy: false, error: null };
    this.ports.changed();
  }

  cancel(): void {
    if (!this.editing) return;
    this.editing = null;
    this.ports.changed();
  }

  /** Saves `text` as the message's new text; resolves to whether it was saved (false: the editor shows why). */
  async save(text: string): Promise<boolean> {
    const editing = this.editing;
    if (!editing || editing.busy) return false;
    const current = this.ports.timeline(editing.roomId).bySeq.get(editing.seq);
    // Unchanged: nothing to send (the server would answer the message as it is).
    if (current && current.text === text) {
      this.cancel();
      return true;
    }
    editing.busy = true;
    editing.error = null;
    this.ports.changed();
    try {
      const message = await this.ports.edit(editing.roomId, editing.seq, text);
      mergeMessages(this.ports.timeline(editing.roomId), [message], this.ports.myId());
      if (this.editing === editing) this.editing = null;
      return true;
    } catch (error) {
      const wire = this.ports.toWireError(error);
      const window = wire.details?.windowSeconds;
      if (wire.code === 'EDIT_WINDOW_PASSED' && typeof window === 'number') this.windowSeconds = window;
      editing.error = wire;
      return false;
    } finally {
      editing.busy = false;
      this.ports.changed();
    }
  }

  /** Staff: the earlier texts of an edited message, oldest first, then the current one. */
  async history(roomId: string, seq: number): Promise<Array<{ version: number; text: string; at: string; current: boolean }>> {
    const { message, versions } = await this.ports.versions(roomId, seq);
    return [
      ...versions.map((v) => ({ version: v.version, text: v.text, at: v.replacedAt, current: false })),
      { version: versions.length + 1, text: message.text, at: message.editedAt ?? message.createdAt, current: true },
    ];
  }
}
