/**
 * A gateway's memory of "who may speak in which room": membership, role, mute, nickname and the
 * room's speaking rules, as `findSpeaker` reads them (see fact-cache.ts for expiry and sharing).
 * Every change to these facts (mute, kick, ban, leave, role, nickname, mute-all, slow mode,
 * safety policy, dissolve) calls LiveUpdates.forgetSpeakers before it is acknowledged.
 */
import type { SpeakerContext } from '../store/members.ts';
import { FactCache } from './fact-cache.ts';

export interface SpeakerLookup {
  speaker: SpeakerContext | null;
  /**
   * True when this call ran the read itself: then the per-send facts in the result (whether this
   * clientMsgId is already stored or held) are about this send. A cached or shared result is
   * about whichever send read it.
   */
  loadedHere: boolean;
}

export class SpeakerCache {
  // Non-members are not remembered: joining must take effect on the next send.
  private readonly facts: FactCache<SpeakerContext | null>;

  constructor() {
    this.facts = new FactCache((speaker) => speaker !== null);
  }

  async lookup(roomId: string, userId: string, read: () => Promise<SpeakerContext | null>): Promise<SpeakerLookup> {
    const { value, loadedHere } = await this.facts.lookup(`${roomId}\u0000${userId}`, read);
    return { speaker: value, loadedHere };
  }

  /** Forgets one member of a room, or (userId null) everyone in it. */
  forget(roomId: string, userId: string | null): void {
    if (userId) this.facts.forgetKey(`${roomId}\u0000${userId}`);
    else this.facts.forgetPrefix(`${roomId}\u0000`);
  }

  forgetAll(): void {
    this.facts.forgetPrefix('');
  }
}
