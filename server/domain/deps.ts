/** The parts every domain action may use, built once in app.ts and passed down. */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { TextSightings } from '../safety/sightings.ts';
import type { SafetyPipeline, Verdict } from '../safety/types.ts';
import type { QrDecoder } from '../media/qr-decoder.ts';
import type { MediaStorage } from '../media/storage.ts';
import type { Database } from '../store/db.ts';
import type { MessageWriter } from '../store/message-writer.ts';
import type { Presence } from '../presence/presence.ts';
import type { BotEventSink, LinkPreviewSink, LiveUpdates } from './live.ts';
import type { Principal } from './principal.ts';
import type { FactCache } from './fact-cache.ts';
import type { RoomPrecedents } from './safety-precedents.ts';
import type { SendAttempts } from './send-attempts.ts';
import type { SpeakerCache } from './speaker-cache.ts';

export type SendTransport = 'socket' | 'http';
/**
 * `refused`: answered with any error code but INTERNAL and UNAVAILABLE (validation, rules, safety,
 * draining); `unavailable`: UNAVAILABLE, the database was unreachable; `failed`: INTERNAL.
 */
export type SendResultLabel = 'stored' | 'duplicate' | 'refused' | 'unavailable' | 'failed';
/** `retry_scheduled`: the attempt failed and will be retried; `gave_up`: it failed for the last time. */
export type BotDeliveryOutcome = 'delivered' | 'retry_scheduled' | 'gave_up';

/** What the domain (and the transports around it) report to the operator's metrics (server/metrics.ts). */
export interface DomainMetrics {
  /** A client's send was answered; `seconds` from receiving it to the answer. */
  sendAnswered(transport: SendTransport, result: SendResultLabel, seconds: number): void;
  safetyVerdict(action: Verdict['action']): void;
  /** The safety verdict on an upload, and how long its QR scan took when it had one. */
  attachmentVerdict(action: Verdict['action'], qrSeconds: number | null): void;
  botDelivery(outcome: BotDeliveryOutcome): void;
}

export interface DomainDeps {
  config: Config;
  db: Database;
  writer: MessageWriter;
  live: LiveUpdates;
  /** This gateway's short memory of who may speak where (see speaker-cache.ts). */
  speakers: SpeakerCache;
  /** This gateway's memory of whether any bot listens in a room (see bot-events.ts). */
  botListeners: FactCache<boolean>;
  /** This gateway's memory of which rooms each user is in (see room-lists.ts). */
  roomLists: FactCache<readonly string[]>;
  /** This gateway's memory of which session a token hash belongs to (see accounts.ts). */
  sessions: FactCache<Principal | null>;
  /** One per process: rate and flood memory is per gateway. */
  safety: SafetyPipeline;
  /** Where a sender's recent texts were seen on other gateways (Redis); null with one process. */
  sightings: TextSightings | null;
  /** This gateway's short memory of each room's staff decisions, weighed on every send (see safety-precedents.ts). */
  precedents: RoomPrecedents;
  /** The verdicts of recent sends, so a retry is not judged as the text sent again (see send-attempts.ts). */
  sendAttempts: SendAttempts;
  /** Who is online, across gateways; also throttles typing indicators. */
  presence: Presence;
  log: Logger;
  /** Where attachment bytes are kept (server/media/). */
  media: MediaStorage;
  /** Reads QR codes in uploaded pictures on a worker thread (server/media/qr-decoder.ts). */
  qr: QrDecoder;
  /** Queues outgoing bot events for stored messages (server/domain/bot-events.ts). */
  bots: BotEventSink;
  /** Previews the links of stored messages, behind the ack (link-previews.ts). */
  previews: LinkPreviewSink;
  metrics: DomainMetrics;
}
