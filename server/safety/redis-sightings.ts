// Text sightings in Redis (see sightings.ts): per sender a short list of recent shapes, pushed,
// trimmed, given a TTL and read back in one MULTI, so the send waits for one round trip. The
// comparison happens here, not in Redis: a list of 20 shapes is a few hundred bytes.

import type { Redis } from 'ioredis';
import { nearIdentical, type TextShape } from './precedents.ts';
import type { TextSightings } from './sightings.ts';

/** Shapes kept per sender: enough to see one text across a run of rooms among their other chat. */
const KEPT = 20;

interface Sighting {
  room: string;
  at: number;
  high: number;
  low: number;
  grams: string;
}

export class RedisTextSightings implements TextSightings {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async otherRooms(senderId: string, roomId: string, shape: TextShape, now: number, windowMs: number): Promise<string[]> {
    const key = `${this.prefix}:sightings:${senderId}`;
    const entry: Sighting = { room: roomId, at: now, high: shape.high, low: shape.low, grams: Buffer.from(shape.grams.buffer, shape.grams.byteOffset, shape.grams.byteLength).toString('base64') };
    const replies = await this.redis.multi().lpush(key, JSON.stringify(entry)).ltrim(key, 0, KEPT - 1).pexpire(key, windowMs).lrange(key, 1, KEPT - 1).exec();
    const earlier = (replies?.[3]?.[1] ?? []) as string[];
    const rooms = new Set<string>();
    for (const raw of earlier) {
      const seen = parse(raw);
      if (!seen || seen.room === roomId || now - seen.at > windowMs || rooms.has(seen.room)) continue;
      const bytes = Buffer.from(seen.grams, 'base64');
      const grams = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      if (nearIdentical(shape, { high: seen.high, low: seen.low, grams })) rooms.add(seen.room);
    }
    return [...rooms];
  }
}

function parse(raw: string): Sighting | null {
  try {
    const value = JSON.parse(raw) as Sighting;
    return typeof value.room === 'string' && typeof value.grams === 'string' ? value : null;
  } catch {
    return null;
  }
}
