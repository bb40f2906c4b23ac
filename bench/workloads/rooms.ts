/**
 * The "N rooms × M members, S senders per room" shape behind W1–W4: provisioned once per side
 * (W4 reuses W1's rooms) and turned into a fleet plus its senders.
 */
import { mapLimit } from '../limit.ts';
import { Fleet, type MemberPlan } from '../load.ts';
import type { Side } from '../servers.ts';
import type { Sender } from '../step.ts';

export interface RoomsShape {
  /** Cache key and room-name prefix, e.g. "w1". */
  tag: string;
  rooms: number;
  members: number;
  sendersPerRoom: number;
}

export interface ProvisionedRooms {
  shape: RoomsShape;
  roomIds: string[];
  plans: MemberPlan[];
  /** Index into `plans` of each room's senders, and the room they speak in. */
  senders: { plan: number; roomId: string }[];
}

const cache = new WeakMap<Side, Map<string, ProvisionedRooms>>();

/**
 * Members come from the side's user pool, room r taking users r·M … r·M+M−1. The owner is
 * the room's last member, so senders are plain members whose messages go through the whole
 * safety pipeline (owners are exempt by default). Members alternate between gateways, so in
 * the scaled mode half of every room's deliveries cross Redis.
 */
export async function provisionRooms(side: Side, shape: RoomsShape, log: (line: string) => void): Promise<ProvisionedRooms> {
  const bySide = cache.get(side) ?? new Map<string, ProvisionedRooms>();
  cache.set(side, bySide);
  const cached = bySide.get(shape.tag);
  if (cached) return cached;

  const started = performance.now();
  const users = await side.directory.users(shape.rooms * shape.members);
  const roomIds = await mapLimit(
    Array.from({ length: shape.rooms }, (_, r) => r),
    4,
    async (r) => {
      const members = users.slice(r * shape.members, (r + 1) * shape.members);
      const roomId = await side.directory.createRoom(members[members.length - 1]!, `bench ${shape.tag} room ${r}`, shape.members);
      await mapLimit(members.slice(0, -1), 8, (user) => side.directory.join(user, roomId));
      return roomId;
    },
  );
  const plans: MemberPlan[] = [];
  const senders: ProvisionedRooms['senders'] = [];
  for (let r = 0; r < shape.rooms; r++) {
    for (let m = 0; m < shape.members; m++) {
      if (m < shape.sendersPerRoom) senders.push({ plan: plans.length, roomId: roomIds[r]! });
      plans.push({
        identity: users[r * shape.members + m]!,
        gateway: side.gateways[m % side.gateways.length]!,
        rooms: [roomIds[r]!],
      });
    }
  }
  const provisioned = { shape, roomIds, plans, senders };
  bySide.set(shape.tag, provisioned);
  if (side.kind === 'quanzi') log(`  ${side.label}: provisioned ${shape.rooms}×${shape.members} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return provisioned;
}

export interface OpenRooms {
  side: Side;
  provisioned: ProvisionedRooms;
  fleet: Fleet;
  senders: Sender[];
}

export async function openRooms(side: Side, shape: RoomsShape, log: (line: string) => void): Promise<OpenRooms> {
  const provisioned = await provisionRooms(side, shape, log);
  const started = performance.now();
  const fleet = await Fleet.open(side, provisioned.plans);
  log(`  ${side.label}: ${fleet.clients.length} sockets connected in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const senders = provisioned.senders.map((s) => ({
    client: fleet.clients[s.plan]!,
    roomId: s.roomId,
    recipients: shape.members - 1,
  }));
  await warmUp(senders);
  return { side, provisioned, fleet, senders };
}

/**
 * Every sender says hello once before anything is measured, on both sides alike: a steady state
 * is what the steps compare, not the first message after sign-up (which on the server reads the
 * sender's membership and the room's rules once and keeps them).
 */
async function warmUp(senders: Sender[]): Promise<void> {
  const timeoutMs = 60_000;
  await new Promise<void>((resolve, reject) => {
    let pending = senders.length;
    if (pending === 0) return resolve();
    const timer = setTimeout(() => reject(new Error(`warm-up: ${pending} of ${senders.length} hellos unacknowledged after ${timeoutMs} ms`)), timeoutMs);
    senders.forEach((sender, i) => {
      sender.client.send(sender.roomId, `hello everyone, glad to be here (${i})`, `warm-up-${i}`, () => {
        if (--pending === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  });
}
