// Where a sender's recent texts were seen, across gateways. The flood rule remembers a sender's
// texts per process (activity.ts), which is every room when there is one gateway; behind a load
// balancer a spam account's posts land on several, and each saw only its own rooms. With Redis
// (REDIS_URL) each send also records its text's shape under the sender and reads the rest back in
// the same round trip (redis-sightings.ts); without it there is nothing more to see.

import type { TextShape } from './precedents.ts';

export interface TextSightings {
  /**
   * Records that the sender posted text of this shape in the room, and returns the other rooms
   * where near-identical text of theirs was seen within the window, on any gateway.
   */
  otherRooms(senderId: string, roomId: string, shape: TextShape, now: number, windowMs: number): Promise<string[]>;
}
