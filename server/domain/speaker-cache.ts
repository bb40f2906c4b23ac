/**
 * A gateway's short memory of "who may speak in which room": membership, role, mute, nickname
 * and the room's speaking rules, as `findSpeaker` reads them. A member who is chatting sends
 * several messages a second; reading this once instead of per message keeps the database off
 * the hot path (on the embedded PostgreSQL every statement costs most of a millisecond).
 *
 * Correctness does not rest on the expiry: every change to these facts (mute, kick, ban, leave,
 * role, nickname, mute-all, slow mode, safety policy, dissolve) forgets the entry on every gateway
 * through LiveUpdates before the change is acknowledged. The one-second expiry only bounds the
 * damage of a change a gateway never heard about (it was restarting, say).
 */
import type { SpeakerContext } from '../store/members.ts';

const TTL_MS = 1_000;
const MAX_ENTRIES = 100_000;

export class SpeakerCache {
  private readonly entries = new Map<string, { speaker: SpeakerContext; until: number }>();

  private key(roomId: string, userId: string): string {
    return `${roomId}\u0000${userId}`;
  }

  get(roomId: string, userId: string, now = Date.now()): SpeakerContext | undefined {
    const entry = this.entries.get(this.key(roomId, userId));
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(this.key(roomId, userId));
      return undefined;
    }
    return entry.speaker;
  }

  set(roomId: string, userId: string, speaker: SpeakerContext, now = Date.now()): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(this.key(roomId, userId), { speaker, until: now + TTL_MS });
  }

  /** Forgets one member of a room, or (userId null) everyone in it. */
  forget(roomId: string, userId: string | null): void {
    if (userId) {
      this.entries.delete(this.key(roomId, userId));
      return;
    }
    const prefix = `${roomId}\u0000`;
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}
