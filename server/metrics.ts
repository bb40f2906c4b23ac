/**
 * Every Prometheus metric a gateway exposes, defined in one place. Each gateway process has its
 * own Registry (not prom-client's global one, so several apps in one process — the tests — do not
 * collide); Prometheus scrapes each gateway's /metrics and sums across them.
 *
 * The parts that observe something receive a small interface of their own (WriterMetrics,
 * BusMetrics, DeliveryMetrics, DomainMetrics) and never see prom-client. Label children for the
 * fixed label sets are made once here, so the message path only calls `.inc()` / `.observe()`,
 * and every series of a fixed label set is exported from the start at 0: `rate()` and alerts on a
 * series that has not moved yet see a zero, not an absent series.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type LabelValues } from 'prom-client';
import type { Message } from '../shared/schemas.ts';
import type { BotDeliveryOutcome, DomainMetrics, SendResultLabel, SendTransport } from './domain/deps.ts';
import type { BusMetrics } from './fanout/bus.ts';
import type { DeliveryMetrics } from './fanout/ordered-delivery.ts';
import type { Verdict } from './safety/types.ts';
import type { WriterMetrics } from './store/message-writer.ts';

const PREFIX = 'quanzi_';

/** Milliseconds to a few seconds: commits and acks are ms-scale when healthy, seconds when not. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** A batch is capped at 500 messages (MessageWriter's maxBatch). */
const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500];
const HTTP_DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const MESSAGE_KINDS: readonly Message['kind'][] = ['text', 'system', 'signup', 'poll', 'event', 'challenge'];
const SEND_TRANSPORTS: readonly SendTransport[] = ['socket', 'http'];
const SEND_RESULTS: readonly SendResultLabel[] = ['stored', 'duplicate', 'refused', 'unavailable', 'failed'];
const VERDICT_ACTIONS: readonly Verdict['action'][] = ['allow', 'flag', 'hold', 'block'];
const BOT_OUTCOMES: readonly BotDeliveryOutcome[] = ['delivered', 'retry_scheduled', 'gave_up'];
/** Anything else (a client may send any method name) is one label, so the series stay bounded. */
const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];
/** The route label of a request no route matched (a 404), however many distinct URLs those are. */
export const UNMATCHED_ROUTE = 'unmatched';

export class Metrics {
  readonly registry = new Registry();
  readonly writer: WriterMetrics;
  readonly bus: BusMetrics;
  readonly delivery: DeliveryMetrics;
  readonly domain: DomainMetrics;

  private readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  private readonly httpDuration: Histogram<'route' | 'method'>;
  private countSockets: () => number = () => 0;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });

    const stored = new Counter({ name: `${PREFIX}messages_stored_total`, help: 'Messages committed to the database, by kind', labelNames: ['kind'], registers });
    const batchSize = new Histogram({ name: `${PREFIX}message_batch_size`, help: 'Messages stored per group-commit statement', buckets: BATCH_SIZE_BUCKETS, registers });
    const commitDuration = new Histogram({
      name: `${PREFIX}message_commit_duration_seconds`,
      help: 'Time one group-commit statement took to store its batch and commit',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const storedByKind = childrenOf(MESSAGE_KINDS, (kind) => counterChild(stored, kind));
    this.writer = {
      messageStored: (kind) => storedByKind[kind].inc(),
      batchCommitted: (size, seconds) => {
        batchSize.observe(size);
        commitDuration.observe(seconds);
      },
    };

    const sends = new Counter({
      name: `${PREFIX}message_sends_total`,
      help: 'Message sends answered, by transport and result (stored, duplicate: a retry of a stored message, refused: any error code but INTERNAL and UNAVAILABLE, unavailable: UNAVAILABLE, the database was unreachable, failed: INTERNAL)',
      labelNames: ['transport', 'result'],
      registers,
    });
    const ackDuration = new Histogram({
      name: `${PREFIX}message_ack_duration_seconds`,
      help: 'From receiving a send to acknowledging it stored (group commit included), by transport',
      labelNames: ['transport'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const sendCounters = childrenOf(SEND_TRANSPORTS, (transport) => childrenOf(SEND_RESULTS, (result) => counterChild(sends, transport, result)));
    const ackTimers = childrenOf(SEND_TRANSPORTS, (transport) => histogramChild(ackDuration, { transport }));

    const verdicts = new Counter({ name: `${PREFIX}safety_verdicts_total`, help: 'Safety verdicts on messages about to be stored, by action', labelNames: ['action'], registers });
    const verdictCounters = childrenOf(VERDICT_ACTIONS, (action) => counterChild(verdicts, action));
    const attachmentVerdicts = new Counter({
      name: `${PREFIX}attachment_verdicts_total`,
      help: 'Safety verdicts on uploads about to be kept, by action (block: refused; hold: kept for review)',
      labelNames: ['action'],
      registers,
    });
    const attachmentCounters = childrenOf(VERDICT_ACTIONS, (action) => counterChild(attachmentVerdicts, action));
    const qrDuration = new Histogram({
      name: `${PREFIX}attachment_qr_scan_duration_seconds`,
      help: "Time the QR decoder's worker took to read one uploaded picture (a picture that overran its time box counts its wait)",
      buckets: LATENCY_BUCKETS,
      registers,
    });

    const botDeliveries = new Counter({
      name: `${PREFIX}bot_deliveries_total`,
      help: 'Outgoing bot webhook attempts, by outcome (retry_scheduled: failed, will be retried; gave_up: failed for the last time)',
      labelNames: ['outcome'],
      registers,
    });
    const botCounters = childrenOf(BOT_OUTCOMES, (outcome) => counterChild(botDeliveries, outcome));

    this.domain = {
      sendAnswered: (transport, result, seconds) => {
        sendCounters[transport][result].inc();
        if (result === 'stored') ackTimers[transport].observe(seconds);
      },
      safetyVerdict: (action) => verdictCounters[action].inc(),
      attachmentVerdict: (action, qrSeconds) => {
        attachmentCounters[action].inc();
        if (qrSeconds !== null) qrDuration.observe(qrSeconds);
      },
      botDelivery: (outcome) => botCounters[outcome].inc(),
    };

    const published = new Counter({ name: `${PREFIX}fanout_events_published_total`, help: 'Room events this gateway handed to the fan-out bus', registers });
    const publishFailures = new Counter({
      name: `${PREFIX}fanout_publish_failures_total`,
      help: 'Room events the bus (Redis) refused to publish; members get them from sync instead',
      registers,
    });
    this.bus = { published: () => published.inc(), publishFailed: () => publishFailures.inc() };

    const delivered = new Counter({
      name: `${PREFIX}fanout_events_delivered_total`,
      help: "Room events emitted to this gateway's sockets (once per event, however many sockets are in the room)",
      registers,
    });
    const gapFills = new Counter({
      name: `${PREFIX}fanout_gap_fills_total`,
      help: 'Delivery gaps (a seq that never arrived on the bus within the wait) read back from the database',
      registers,
    });
    const gapMessages = new Counter({
      name: `${PREFIX}fanout_gap_messages_total`,
      help: 'Messages of delivery gaps, by outcome (filled: read from the database, missing: not found there and skipped)',
      labelNames: ['outcome'],
      registers,
    });
    const gapFilled = counterChild(gapMessages, 'filled');
    const gapMissing = counterChild(gapMessages, 'missing');
    this.delivery = {
      delivered: () => delivered.inc(),
      gapFilled: (filled, missing) => {
        gapFills.inc();
        if (filled > 0) gapFilled.inc(filled);
        if (missing > 0) gapMissing.inc(missing);
      },
    };

    // Read when scraped rather than counted up and down, so it can never drift from the truth.
    const countSockets = () => this.countSockets();
    new Gauge({
      name: `${PREFIX}sockets_connected`,
      help: 'Socket.IO connections this gateway holds (signed in, past the handshake)',
      registers,
      collect() {
        this.set(countSockets());
      },
    });

    this.httpRequests = new Counter({
      name: `${PREFIX}http_requests_total`,
      help: 'HTTP requests answered, by route pattern, method and status class',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: `${PREFIX}http_request_duration_seconds`,
      help: 'Time to answer an HTTP request, by route pattern and method',
      labelNames: ['route', 'method'],
      buckets: HTTP_DURATION_BUCKETS,
      registers,
    });
  }

  /** Where the socket gauge reads its value (the Socket.IO server exists after the metrics). */
  readSocketsFrom(count: () => number): void {
    this.countSockets = count;
  }

  /** `route` is the pattern (`/v1/rooms/:roomId`), or null when no route matched. */
  httpAnswered(route: string | null, method: string, statusCode: number, seconds: number): void {
    const routeLabel = route ?? UNMATCHED_ROUTE;
    const methodLabel = HTTP_METHODS.has(method) ? method : 'other';
    this.httpRequests.labels(routeLabel, methodLabel, STATUS_CLASSES[Math.floor(statusCode / 100) - 1] ?? 'other').inc();
    this.httpDuration.labels(routeLabel, methodLabel).observe(seconds);
  }

  /** The exposition text and its content type, as Prometheus expects them. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

function childrenOf<K extends string, V>(keys: readonly K[], make: (key: K) => V): Record<K, V> {
  return Object.fromEntries(keys.map((key) => [key, make(key)])) as Record<K, V>;
}

/** The child for one label set, exported at 0 until it first moves. */
function counterChild<L extends string>(counter: Counter<L>, ...values: string[]): Counter.Internal {
  const child = counter.labels(...values);
  child.inc(0);
  return child;
}

function histogramChild<L extends string>(histogram: Histogram<L>, labels: LabelValues<L>): Histogram.Internal<L> {
  histogram.zero(labels);
  return histogram.labels(labels);
}
