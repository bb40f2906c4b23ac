/**
 * How big a run is. `quick` (the default) fits in about eight minutes on the 2-core machine:
 * fewer, shorter steps, one A/B round, smaller W5/W6. `full` is the whole matrix of the issue.
 */
import type { Mode } from './servers.ts';

export type WorkloadId = 'W1' | 'W2' | 'W3' | 'W4' | 'W5' | 'W6' | 'W7' | 'W8' | 'W9' | 'W10' | 'W11' | 'W12';
export const ALL_WORKLOADS: WorkloadId[] = ['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7', 'W8', 'W9', 'W10', 'W11', 'W12'];

export interface Profile {
  name: 'quick' | 'full';
  rounds: number;
  stepSeconds: number;
  drainMs: number;
  settleMs: number;
  modes: Mode[];
  /** Workloads that skip the scaled mode in this profile (to keep `quick` short). */
  embeddedOnly: WorkloadId[];
  w1: { rooms: number; members: number; steps: number[] };
  w2: { memberCounts: number[]; senders: number; steps: number[] };
  w3: { rooms: number; members: number; steps: number[] };
  w4: { rate: number; seconds: number; churnEverySeconds: number; churnFraction: number; quietTailSeconds: number };
  w5: { sockets: number };
  w6: { rooms: number; perRoom: number; requests: number };
  /** W8: one room of this many messages, exported whole. */
  w8: { messages: number };
  /**
   * W9: `photos` 24-megapixel JPEGs uploaded `inFlight` at a time, then chat in `rooms` × `members`
   * at `rate` msgs/s with and without `inFlight` uploads going on, `rounds` times each, each upload
   * sent at `uplinkMbps` (a phone's uplink; the throughput figure is measured unpaced).
   */
  w9: { photos: number; inFlight: number; rooms: number; members: number; rate: number; rounds: number; uplinkMbps: number };
  /** W10: one file of singleMb, then concurrentFiles of concurrentMb at once, per round. */
  w10: { singleMb: number; concurrentFiles: number; concurrentMb: number; rounds: number };
  /** W11: one room's album with this many attachments. */
  w11: { attachments: number; requests: number };
  /** W12: message search over rooms × perRoom messages; write overhead from writeRounds × writeBatches batches of 50. */
  w12: { rooms: number; perRoom: number; requests: number; writeRounds: number; writeBatches: number };
}

export const QUICK: Profile = {
  name: 'quick',
  rounds: 1,
  stepSeconds: 3,
  drainMs: 1500,
  settleMs: 300,
  modes: ['embedded', 'scaled'],
  // Fan-out cost across Redis is already W1's scaled figure; the big group there costs a minute.
  embeddedOnly: ['W2'],
  w1: { rooms: 20, members: 50, steps: [100, 500, 2000] },
  w2: { memberCounts: [1000], senders: 10, steps: [5, 25, 100] },
  w3: { rooms: 500, members: 2, steps: [500, 2000, 5000] },
  w4: { rate: 500, seconds: 10, churnEverySeconds: 3, churnFraction: 0.1, quietTailSeconds: 3 },
  w5: { sockets: 4000 },
  w6: { rooms: 100, perRoom: 1000, requests: 1000 },
  w8: { messages: 100_000 },
  w9: { photos: 8, inFlight: 4, rooms: 10, members: 20, rate: 200, rounds: 3, uplinkMbps: 32 },
  w10: { singleMb: 200, concurrentFiles: 20, concurrentMb: 20, rounds: 1 },
  w11: { attachments: 100_000, requests: 1000 },
  w12: { rooms: 100, perRoom: 10_000, requests: 500, writeRounds: 3, writeBatches: 40 },
};

export const FULL: Profile = {
  name: 'full',
  rounds: 3,
  stepSeconds: 8,
  drainMs: 2500,
  settleMs: 500,
  modes: ['embedded', 'scaled'],
  embeddedOnly: [],
  w1: { rooms: 20, members: 50, steps: [50, 100, 250, 500, 1000, 1500, 2000, 3000, 4000] },
  w2: { memberCounts: [1000, 2000], senders: 10, steps: [5, 10, 20, 40, 60, 80, 100] },
  w3: { rooms: 500, members: 2, steps: [200, 500, 1000, 2000, 3000, 4000, 5000] },
  w4: { rate: 500, seconds: 60, churnEverySeconds: 3, churnFraction: 0.1, quietTailSeconds: 5 },
  w5: { sockets: 10_000 },
  w6: { rooms: 1000, perRoom: 1000, requests: 5000 },
  w8: { messages: 100_000 },
  w9: { photos: 24, inFlight: 4, rooms: 10, members: 20, rate: 200, rounds: 5, uplinkMbps: 32 },
  w10: { singleMb: 200, concurrentFiles: 20, concurrentMb: 20, rounds: 3 },
  w11: { attachments: 100_000, requests: 5000 },
  w12: { rooms: 100, perRoom: 10_000, requests: 2000, writeRounds: 5, writeBatches: 100 },
};

/** Which workloads run in which mode: W5 measures one process, W7 no server at all. */
export const WORKLOAD_MODES: Record<WorkloadId, Mode[] | 'none'> = {
  W1: ['embedded', 'scaled'],
  W2: ['embedded', 'scaled'],
  W3: ['embedded', 'scaled'],
  W4: ['embedded', 'scaled'],
  W5: ['embedded'],
  W6: ['embedded', 'scaled'],
  W7: 'none',
  W8: ['embedded', 'scaled'],
  // Image work is per gateway: one gateway shows it, whatever sits behind it.
  W9: ['embedded'],
  // One gateway's memory and disk: the scaled mode would only add a second, idle one.
  W10: ['embedded'],
  W11: ['embedded', 'scaled'],
  W12: ['embedded', 'scaled'],
};
