/**
 * Who the load connects as, and the rooms it talks in. Quanzi needs real users, rooms and
 * memberships made through its REST API; the relay needs only room names in the handshake.
 * Workloads speak to both through one `Directory`, so a workload never branches on the side.
 */
import { mapLimit } from './limit.ts';

export interface Identity {
  userId: string;
  token?: string;
}

export interface Directory {
  /** The first `n` identities of this side's pool, signing more up when needed. */
  users(n: number): Promise<Identity[]>;
  /** Creates a room owned by `owner` that can hold `members` members; returns its id. */
  createRoom(owner: Identity, name: string, members: number): Promise<string>;
  join(user: Identity, roomId: string): Promise<void>;
  /** The Socket.IO handshake `auth` of a socket of `user` that listens to `rooms`. */
  handshake(user: Identity, rooms: string[]): Record<string, unknown>;
  /** Things the provisioning had to work around, for the report. */
  notes: string[];
}

export class RelayDirectory implements Directory {
  notes: string[] = [];
  private rooms = 0;

  async users(n: number): Promise<Identity[]> {
    return Array.from({ length: n }, (_, i) => ({ userId: `relay-user-${i}` }));
  }

  async createRoom(_owner: Identity, name: string): Promise<string> {
    return `${name.replace(/\s+/g, '-')}-${this.rooms++}`;
  }

  async join(): Promise<void> {}

  handshake(_user: Identity, rooms: string[]): Record<string, unknown> {
    return { rooms };
  }
}

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const PASSWORD = 'bench-password-42';
/** Per-sender rules that a benchmark's one-sender-per-room traffic would trip by design. */
const RELAXED_POLICY = { rules: { rate: 'off', flood: 'off', probation: 'off' } };
/** Where a room owner sets the room's safety policy. Adjust here if the server names it otherwise. */
const SAFETY_POLICY_ROUTE = (roomId: string) => `/v1/rooms/${roomId}/safety`;

export interface QuanziDirectoryOptions {
  baseUrl: string;
  /** Short run tag, so usernames never collide with an earlier run's on the same database. */
  runTag: string;
  log: (line: string) => void;
}

export class QuanziDirectory implements Directory {
  notes: string[] = [];
  private pool: Identity[] = [];
  private policyRouteMissing = false;

  constructor(private readonly options: QuanziDirectoryOptions) {}

  async users(n: number): Promise<Identity[]> {
    if (this.pool.length < n) {
      const started = performance.now();
      const from = this.pool.length;
      const fresh = await mapLimit(
        Array.from({ length: n - from }, (_, i) => from + i),
        8,
        async (i) => {
          const body = await this.request<{ user: { id: string }; token: string }>('POST', '/v1/users', {
            username: `b${this.options.runTag}_${i}`,
            password: PASSWORD,
            displayName: `Bench ${i}`,
          });
          return { userId: body.user.id, token: body.token };
        },
      );
      this.pool.push(...fresh);
      this.options.log(`  signed up ${n - from} users in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    return this.pool.slice(0, n);
  }

  async createRoom(owner: Identity, name: string, members: number): Promise<string> {
    const { room } = await this.request<{ room: { id: string; memberLimit?: number } }>(
      'POST',
      '/v1/rooms',
      { name, topic: 'benchmark room', tags: ['bench'] },
      owner.token,
    );
    await this.relaxSafety(owner, room.id);
    // W2's big group is beyond the default limit; the owner may raise it up to MEMBER_LIMIT_MAX.
    if (room.memberLimit !== undefined && room.memberLimit < members) {
      await this.request('PATCH', `/v1/rooms/${room.id}`, { memberLimit: members }, owner.token);
    }
    return room.id;
  }

  async join(user: Identity, roomId: string): Promise<void> {
    try {
      await this.request('POST', `/v1/rooms/${roomId}/join`, {}, user.token);
    } catch (error) {
      if (error instanceof RestError && (error.status === 409 || error.code === 'ALREADY_MEMBER')) return;
      throw error;
    }
  }

  handshake(user: Identity): Record<string, unknown> {
    return { token: user.token };
  }

  /** Keeps the content rules on (the pipeline still runs) while one sender per room sends hundreds a second. */
  private async relaxSafety(owner: Identity, roomId: string): Promise<void> {
    if (this.policyRouteMissing) return;
    try {
      await this.request('PUT', SAFETY_POLICY_ROUTE(roomId), RELAXED_POLICY, owner.token);
    } catch (error) {
      if (!(error instanceof RestError) || error.status !== 404 || error.code === 'ROOM_NOT_FOUND') throw error;
      this.policyRouteMissing = true;
      this.note(`PUT ${SAFETY_POLICY_ROUTE(':roomId')} is missing: per-sender rate/flood/probation rules stay on in bench rooms`);
    }
  }

  private note(line: string): void {
    if (this.notes.includes(line)) return;
    this.notes.push(line);
    this.options.log(`  note: ${line}`);
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${this.options.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      if (res.ok) throw new Error(`${method} ${path} → ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    if (!res.ok) {
      const error = (parsed.error ?? {}) as { code?: string; message?: string };
      throw new RestError(res.status, error.code ?? `HTTP_${res.status}`, `${method} ${path} → ${res.status} ${error.code ?? ''} ${error.message ?? text.slice(0, 200)}`);
    }
    return parsed as T;
  }
}
