import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ChangeReporter } from './change-reporter.ts';
import { LocalSockets } from './local-sockets.ts';
import type { Presence, PresenceChange } from './presence.ts';

export interface RedisPresenceOptions {
  /** Prefix of every key, shared with the rest of the deployment's Redis keys. */
  prefix: string;
  /** How often this gateway renews its heartbeat and looks for dead gateways. */
  heartbeatMs: number;
  /** How long a heartbeat lives: a gateway silent for this long is dead and its sockets are gone. */
  ttlMs: number;
  log: Logger;
}

/**
 * Removes a dead gateway's entries in one step, so two surviving gateways sweeping at once cannot
 * both announce the same users offline, and a sweeper dying half-way leaves nothing half-done.
 * Returns the users for whom that gateway was the last one. User keys are derived from ARGV
 * rather than passed in KEYS: fine on a single Redis, not on Redis Cluster.
 *
 * KEYS: registry of gateways, the dead gateway's heartbeat, the dead gateway's user set.
 * ARGV: the dead gateway's id, the prefix of user keys.
 */
const SWEEP_SCRIPT = `
if redis.call('EXISTS', KEYS[2]) == 1 then return {} end
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return {} end
local offline = {}
for _, user in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  local key = ARGV[2] .. user
  redis.call('SREM', key, ARGV[1])
  if redis.call('SCARD', key) == 0 then offline[#offline + 1] = user end
end
redis.call('DEL', KEYS[3])
return offline
`;

type SweepCommand = (registry: string, heartbeat: string, users: string, gatewayId: string, userKeyPrefix: string) => Promise<string[]>;

/**
 * Several gateway processes. Keys (all under the prefix):
 * - `presence:gateways`: the set of registered gateway ids;
 * - `presence:alive:<gateway>`: the gateway's heartbeat, expiring after `ttlMs`;
 * - `presence:gateway:<gateway>`: users with a socket on that gateway;
 * - `presence:user:<user>`: gateways where the user has a socket (online ⇔ not empty).
 * A gateway talks to Redis only for a user's first and last socket on it; each change and the
 * count that decides online/offline are one MULTI, so two gateways never both announce a user.
 */
export class RedisPresence implements Presence {
  readonly gatewayId = randomUUID();
  private readonly sockets = new LocalSockets();
  private readonly reporter: ChangeReporter;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly sweep: SweepCommand;
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private closed = false;

  private constructor(
    private readonly redis: Redis,
    private readonly options: RedisPresenceOptions,
  ) {
    this.reporter = new ChangeReporter(options.log);
    if (!('quanziPresenceSweep' in redis)) redis.defineCommand('quanziPresenceSweep', { numberOfKeys: 3, lua: SWEEP_SCRIPT });
    const command = (redis as unknown as { quanziPresenceSweep: SweepCommand }).quanziPresenceSweep;
    this.sweep = command.bind(redis);
  }

  private key(...parts: string[]): string {
    return [this.options.prefix, 'presence', ...parts].join(':');
  }

  private get userKeyPrefix(): string {
    return this.key('user', '');
  }

  /** Registers a new gateway and starts its heartbeat; call before accepting sockets. */
  static async start(redis: Redis, options: RedisPresenceOptions): Promise<RedisPresence> {
    const presence = new RedisPresence(redis, options);
    await presence.startHeartbeat();
    return presence;
  }

  private async startHeartbeat(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.tick(), this.options.heartbeatMs);
    this.timer.unref();
  }

  socketConnected(userId: string, socketId: string): void {
    if (this.sockets.add(userId, socketId)) this.track(this.addUser(userId));
  }

  socketDisconnected(userId: string, socketId: string): void {
    if (this.sockets.remove(userId, socketId)) this.track(this.removeUser(userId));
  }

  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const pipeline = this.redis.pipeline();
    for (const userId of userIds) pipeline.exists(this.key('user', userId));
    const results = (await pipeline.exec()) ?? [];
    const online = new Set<string>();
    results.forEach(([error, exists], i) => {
      if (error) throw error;
      if (exists === 1) online.add(userIds[i]!);
    });
    return online;
  }

  async claimTypingSlot(userId: string, roomId: string, intervalMs: number): Promise<boolean> {
    const claimed = await this.redis.set(`${this.options.prefix}:typing:${roomId}:${userId}`, '1', 'PX', intervalMs, 'NX');
    return claimed === 'OK';
  }

  onChange(handler: (change: PresenceChange) => Promise<void>): void {
    this.reporter.setHandler(handler);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    while (this.ticking || this.pending.size > 0) {
      await Promise.allSettled([...this.pending]);
      if (this.ticking) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Sockets still here (normally none: they are disconnected first) leave with the gateway.
    try {
      await this.redis.del(this.key('alive', this.gatewayId));
      const offline = await this.sweep(this.key('gateways'), this.key('alive', this.gatewayId), this.key('gateway', this.gatewayId), this.gatewayId, this.userKeyPrefix);
      for (const userId of offline) this.reporter.report({ userId, online: false });
    } catch (error) {
      // Left for the other gateways' sweepers once the heartbeat expires.
      this.options.log.warn({ err: error }, 'could not remove this gateway from presence');
    }
    await this.reporter.drained();
  }

  private track(work: Promise<unknown>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  // Commands go out in the order sockets come and go, on one connection, so Redis applies a
  // user's connect and disconnect on this gateway in the order they happened.
  private async addUser(userId: string): Promise<void> {
    const userKey = this.key('user', userId);
    try {
      const results = await this.redis.multi().sadd(userKey, this.gatewayId).sadd(this.key('gateway', this.gatewayId), userId).scard(userKey).exec();
      const [added, , count] = (results ?? []).map(([error, value]) => {
        if (error) throw error;
        return value;
      });
      if (added === 1 && count === 1) this.reporter.report({ userId, online: true });
    } catch (error) {
      this.options.log.error({ err: error, userId }, 'could not record a user online');
    }
  }

  private async removeUser(userId: string): Promise<void> {
    const userKey = this.key('user', userId);
    try {
      const results = await this.redis.multi().srem(userKey, this.gatewayId).srem(this.key('gateway', this.gatewayId), userId).scard(userKey).exec();
      const [removed, , count] = (results ?? []).map(([error, value]) => {
        if (error) throw error;
        return value;
      });
      if (removed === 1 && count === 0) this.reporter.report({ userId, online: false });
    } catch (error) {
      this.options.log.error({ err: error, userId }, 'could not record a user offline');
    }
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.closed) return;
    this.ticking = true;
    try {
      await this.beat();
      await this.sweepDeadGateways();
    } catch (error) {
      this.options.log.error({ err: error }, 'presence heartbeat failed');
    } finally {
      this.ticking = false;
    }
  }

  /** Renews the heartbeat; if another gateway took us for dead meanwhile, puts our users back. */
  private async beat(): Promise<void> {
    const results = await this.redis
      .multi()
      .set(this.key('alive', this.gatewayId), '1', 'PX', this.options.ttlMs)
      .sadd(this.key('gateways'), this.gatewayId)
      .exec();
    const registered = results?.[1]?.[1];
    if (registered === 1 && this.timer !== null) {
      // We were swept while alive (a long pause or a Redis outage longer than the TTL): our users
      // were announced offline, so announce the ones still here online again.
      const users = this.sockets.users();
      this.options.log.warn({ gatewayId: this.gatewayId, users: users.length }, 'this gateway was taken for dead; restoring its presence');
      await Promise.all(users.map((userId) => this.addUser(userId)));
    }
  }

  private async sweepDeadGateways(): Promise<void> {
    const others = (await this.redis.smembers(this.key('gateways'))).filter((id) => id !== this.gatewayId);
    if (others.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const id of others) pipeline.exists(this.key('alive', id));
    const alive = (await pipeline.exec()) ?? [];
    for (const [i, id] of others.entries()) {
      if (alive[i]?.[1] === 1) continue;
      const offline = await this.sweep(this.key('gateways'), this.key('alive', id), this.key('gateway', id), id, this.userKeyPrefix);
      if (offline.length > 0) this.options.log.info({ gatewayId: id, users: offline.length }, 'a gateway died; its users are offline');
      for (const userId of offline) this.reporter.report({ userId, online: false });
    }
  }
}
