/**
 * A gateway's short memory of "who may speak in which room": membership, role, mute, nickname
 * and the room's speaking rules, as `findSpeaker` reads them. A member who is chatting sends
 * several messages a second; reading this once instead of per message keeps the database off
 * the hot path (on the embedded PostgreSQL every statement costs most of a millisecond).
 *
 * Correctness does not rest on the expiry: every change to these facts (mute, kick, ban, leave,
 * role, nickname, mute-all, slow mode, safety policy, dissolve) forgets the entry on every gateway
 * through LiveUpdates before the change is acknowledged. The expiry only bounds the damage of a
 * change a gateway never heard about (it was restarting, say), which cannot happen when there is
 * one gateway: a second in a cluster, a minute in a single process.
 *
 * Loads are shared: when an entry is missing, the sends that arrive while it is being read wait
 * for that one read instead of each issuing their own. Under a burst, per-send reads would queue
 * behind each other and slow every send further — a collapse, not a slowdown.
 */
import type { SpeakerContext } from '../store/members.ts';

const MAX_ENTRIES = 100_000;
const CLUSTER_TTL_MS = 1_000;
const SINGLE_PROCESS_TTL_MS = 60_000;

export interface SpeakerLookup {
  speaker: SpeakerContext | null;
  /**
   * True when this call ran the load itself: then the per-send facts in the result (whether this
   * clientMsgId is already stored or held) are about this send. A cached or shared result is
   * about whichever send loaded it.
   */
  loadedHere: boolean;
}

export class SpeakerCache {
  private readonly entries = new Map<string, { speaker: SpeakerContext; until: number }>();
  private readonly loading = new Map<string, Promise<SpeakerContext | null>>();
  /** Bumped by every forget, so a read that started before the change does not refill the cache. */
  private epoch = 0;

  private readonly ttlMs: number;

  constructor(options: { clustered: boolean }) {
    this.ttlMs = options.clustered ? CLUSTER_TTL_MS : SINGLE_PROCESS_TTL_MS;
  }

  private key(roomId: string, userId: string): string {
    return `${roomId}\u0000${userId}`;
  }

  async lookup(roomId: string, userId: string, load: () => Promise<SpeakerContext | null>): Promise<SpeakerLookup> {
    const key = this.key(roomId, userId);
    const entry = this.entries.get(key);
    if (entry) {
      if (entry.until > Date.now()) return { speaker: entry.speaker, loadedHere: false };
      this.entries.delete(key);
    }
    const pending = this.loading.get(key);
    if (pending) return { speaker: await pending, loadedHere: false };

    const epoch = this.epoch;
    const loaded = load();
    this.loading.set(key, loaded);
    try {
      const speaker = await loaded;
      // Non-members are not remembered: joining must take effect on the next send.
      if (speaker && epoch === this.epoch) {
        if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
        this.entries.set(key, { speaker, until: Date.now() + this.ttlMs });
      }
      return { speaker, loadedHere: true };
    } finally {
      if (this.loading.get(key) === loaded) this.loading.delete(key);
    }
  }

  /** Forgets one member of a room, or (userId null) everyone in it. */
  forget(roomId: string, userId: string | null): void {
    this.epoch++;
    if (userId) {
      const key = this.key(roomId, userId);
      this.entries.delete(key);
      this.loading.delete(key);
      return;
    }
    const prefix = `${roomId}\u0000`;
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
    for (const key of this.loading.keys()) if (key.startsWith(prefix)) this.loading.delete(key);
  }
}
