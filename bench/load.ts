/**
 * Client fleets: many socket.io-client connections from this one load-generator process.
 * A fleet routes every received `message` to one handler that the running step sets, so a
 * step sees all deliveries of its fleet without a listener per message.
 */
import { io, type Socket } from 'socket.io-client';
import { mapLimit } from './limit.ts';
import type { Identity } from './provision.ts';
import type { Side } from './servers.ts';

/** What both servers emit as `message`; the relay has no seq or sender. */
export interface WireMessage {
  roomId: string;
  text: string;
  seq?: number;
  sender?: { id: string } | null;
}

export interface SendAck {
  ok: boolean;
  message?: WireMessage;
  error?: { code: string; message: string };
}

export interface SyncAck {
  ok?: boolean;
  rooms?: Record<string, { messages: WireMessage[]; hasMore: boolean; reset?: boolean }>;
  error?: { code: string; message: string };
}

export interface MemberPlan {
  identity: Identity;
  gateway: string;
  rooms: string[];
}

export type MessageHandler = (client: BenchClient, message: WireMessage) => void;

const CONNECT_TIMEOUT_MS = 20_000;

export class BenchClient {
  readonly socket: Socket;

  constructor(
    readonly index: number,
    readonly plan: MemberPlan,
    auth: Record<string, unknown>,
    fleet: Fleet,
  ) {
    this.socket = io(plan.gateway, {
      auth,
      transports: ['websocket'],
      forceNew: true,
      // Reconnects are the workload's business (W4), never the library's.
      reconnection: false,
      autoConnect: false,
      timeout: CONNECT_TIMEOUT_MS,
    });
    this.socket.on('message', (message: WireMessage) => fleet.handler(this, message));
  }

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onConnect = () => {
        cleanup();
        resolve();
      };
      const onError = (error: Error) => {
        cleanup();
        reject(new Error(`connect to ${this.plan.gateway} failed: ${error.message}`));
      };
      const cleanup = () => {
        this.socket.off('connect', onConnect);
        this.socket.off('connect_error', onError);
      };
      this.socket.on('connect', onConnect);
      this.socket.on('connect_error', onError);
      this.socket.connect();
    });
  }

  send(roomId: string, text: string, clientMsgId: string, onAck: (ack: SendAck) => void): void {
    this.socket.emit('message:send', { roomId, text, clientMsgId }, onAck);
  }

  sync(cursors: Record<string, number>, timeoutMs: number): Promise<SyncAck> {
    return this.socket.timeout(timeoutMs).emitWithAck('sync', { cursors }) as Promise<SyncAck>;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  disconnect(): void {
    this.socket.disconnect();
  }
}

export class Fleet {
  handler: MessageHandler = () => {};
  readonly clients: BenchClient[] = [];

  private constructor(readonly side: Side) {}

  /** Connects one socket per plan, `concurrency` handshakes at a time (a thundering herd measures the wrong thing). */
  static async open(side: Side, plans: MemberPlan[], concurrency = 50): Promise<Fleet> {
    const fleet = new Fleet(side);
    for (const [i, plan] of plans.entries()) {
      fleet.clients.push(new BenchClient(i, plan, side.directory.handshake(plan.identity, plan.rooms), fleet));
    }
    try {
      await mapLimit(fleet.clients, concurrency, async (client) => {
        try {
          await client.connect();
        } catch {
          await client.connect(); // one retry: a refused handshake under load is not yet a failure
        }
      });
    } catch (error) {
      fleet.close();
      throw error;
    }
    return fleet;
  }

  close(): void {
    this.handler = () => {};
    for (const client of this.clients) client.disconnect();
  }
}
