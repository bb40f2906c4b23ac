/**
 * Builds the gateway from its parts: database, fan-out, delivery, domain dependencies, HTTP
 * routes and socket handlers. No business logic lives here; this is the wiring diagram.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { DomainDeps } from './domain/deps.ts';
import { announcePresence } from './domain/presence.ts';
import type { FanoutBus } from './fanout/bus.ts';
import { LocalBus } from './fanout/local-bus.ts';
import { OrderedDelivery } from './fanout/ordered-delivery.ts';
import { RedisBus } from './fanout/redis-bus.ts';
import { InFlight } from './in-flight.ts';
import { createLogger } from './logger.ts';
import { Metrics } from './metrics.ts';
import { SendAttempts } from './domain/send-attempts.ts';
import { SpeakerCache } from './domain/speaker-cache.ts';
import { FactCache } from './domain/fact-cache.ts';
import type { Principal } from './domain/principal.ts';
import { startMediaLifecycle } from './jobs/media-lifecycle.ts';
import { startRecallPurge } from './jobs/purge-recalled.ts';
import { startScheduler } from './jobs/scheduled-posts.ts';
import { startMeetupReminders } from './jobs/meetup-reminders.ts';
import { startRaidShieldLifts } from './jobs/raid-shields.ts';
import { DeliveryWorker } from './bots/delivery-worker.ts';
import { BotEventQueue } from './domain/bot-events.ts';
import { LinkPreviewer } from './domain/link-previews.ts';
import { createPageSource } from './previews/page-source.ts';
import { LocalPresence } from './presence/local-presence.ts';
import { OfflineGrace } from './presence/offline-grace.ts';
import type { Presence } from './presence/presence.ts';
import { RedisPresence } from './presence/redis-presence.ts';
import { reportRedisOutages } from './redis-outages.ts';
import { openMediaStorage } from './media/open-storage.ts';
import { createQrDecoder } from './media/qr-decoder.ts';
import { createSafetyPipeline } from './safety/pipeline.ts';
import { RoomPrecedents } from './domain/safety-precedents.ts';
import { RedisTextSightings } from './safety/redis-sightings.ts';
import { openDatabase, type DatabaseHandle } from './store/db.ts';
import { MessageWriter } from './store/message-writer.ts';
import { messagesInRange } from './store/messages.ts';
import { lastSeqOf } from './store/rooms.ts';
import { authenticated } from './transport/http/auth.ts';
import { accountRoutes } from './transport/http/accounts.ts';
import { attachmentRoutes } from './transport/http/attachments.ts';
import { mediaSessionRoutes } from './transport/http/media-session.ts';
import { answerClientError } from './transport/http/client-errors.ts';
import { answerRouterError, declareErrorResponses, installErrorHandlers } from './transport/http/error-handler.ts';
import { healthRoutes } from './transport/http/health.ts';
import { metricsRoutes, observeHttpRequests } from './transport/http/metrics.ts';
import { messageActionRoutes } from './transport/http/message-actions.ts';
import { messageRoutes } from './transport/http/messages.ts';
import { presenceRoutes } from './transport/http/presence.ts';
import { readStateRoutes } from './transport/http/read-state.ts';
import { roomExportRoutes } from './transport/http/room-export.ts';
import { roomMediaRoutes } from './transport/http/room-media.ts';
import { roomRoutes } from './transport/http/rooms.ts';
import { roomPreviewRoutes } from './transport/http/room-preview.ts';
import { searchRoutes } from './transport/http/search.ts';
import { joiningRoutes } from './transport/http/joining.ts';
import { moderationRoutes } from './transport/http/moderation.ts';
import { safetyRoutes } from './transport/http/safety.ts';
import { webClientRoutes } from './transport/http/web.ts';
import { botRoutes } from './transport/http/bots.ts';
import { hookRoutes } from './transport/http/hooks.ts';
import { scheduleRoutes } from './transport/http/schedules.ts';
import { directMessageRoutes } from './transport/http/direct-messages.ts';
import { notificationRoutes } from './transport/http/notifications.ts';
import { profileRoutes } from './transport/http/profiles.ts';
import { siteReviewRoutes } from './transport/http/site-review.ts';
import { signupRoutes } from './transport/http/signups.ts';
import { pollRoutes } from './transport/http/polls.ts';
import { roomRulesRoutes } from './transport/http/room-rules.ts';
import { eventRoutes } from './transport/http/events.ts';
import { challengeRoutes } from './transport/http/challenges.ts';
import { roomChannel } from './transport/socket/channels.ts';
import { attachSocketHandlers, createSocketServer, followLocalRooms } from './transport/socket/gateway.ts';
import { REMOTE_ACK_TIMEOUT_MS, SocketLiveUpdates } from './transport/socket/live-updates.ts';
import { emitLocally, type GatewayServer } from './transport/socket/typed-socket.ts';
import { compileForHttpPart } from './transport/validation.ts';

export interface App {
  config: Config;
  fastify: FastifyInstance;
  io: GatewayServer;
  deps: DomainDeps;
  database: DatabaseHandle;
  /** Starts listening; resolves to the base URL. */
  listen(): Promise<string>;
  /** Drains and stops: refuses new sends, finishes and acknowledges accepted ones, then closes. */
  close(): Promise<void>;
}

/** How long a gateway waits for a missing seq before reading it from the database. */
const GAP_WAIT_MS = 150;

export async function buildApp(config: Config): Promise<App> {
  const log = createLogger(config);
  const fastify = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 64 * 1024,
    trustProxy: config.trustProxy,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
    frameworkErrors: answerRouterError,
    clientErrorHandler: answerClientError,
  }).withTypeProvider<TypeBoxTypeProvider>();
  fastify.setValidatorCompiler(compileForHttpPart);
  installErrorHandlers(fastify);
  declareErrorResponses(fastify);
  const metrics = new Metrics();
  observeHttpRequests(fastify, metrics);

  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  const media = await openMediaStorage(config, log);

  const redis = config.redisUrl ? await connectRedis(config.redisUrl, log) : null;
  const bus: FanoutBus = redis ? new RedisBus(redis.pub, redis.busSub, config.redisPrefix, log, metrics.bus) : new LocalBus(metrics.bus);

  const io = createSocketServer(fastify.server);
  metrics.readSocketsFrom(() => io.of('/').sockets.size);
  if (redis) io.adapter(createAdapter(redis.pub, redis.adapterSub, { key: `${config.redisPrefix}#io`, requestsTimeout: REMOTE_ACK_TIMEOUT_MS }));

  const delivery = new OrderedDelivery({
    bus,
    loadLastSeq: (roomId) => lastSeqOf(database.db, roomId),
    loadRange: (roomId, from, to) => messagesInRange(database.db, roomId, from, to),
    emit: (event) => emitLocally(io, roomChannel(event.roomId), event),
    gapWaitMs: GAP_WAIT_MS,
    log,
    metrics: metrics.delivery,
  });
  followLocalRooms(io, delivery, log);

  const writer = new MessageWriter(database.raw, {
    commitWindowMs: config.messageCommitWindowMs,
    lockRoomsInOrder: database.kind === 'postgres',
    metrics: metrics.writer,
  });
  const speakers = new SpeakerCache();
  const botListeners = new FactCache<boolean>();
  const sessions = new FactCache<Principal | null>((principal) => principal !== null);
  const roomLists = new FactCache<readonly string[]>();
  // Notices to forget cached facts travel on the adapter's subscription; any sent while it was
  // down are lost with it, so a gateway that reconnects forgets everything it remembered.
  redis?.adapterSub.on('ready', () => {
    speakers.forgetAll();
    botListeners.forgetPrefix('');
    sessions.forgetPrefix('');
    roomLists.forgetPrefix('');
  });
  const live = new SocketLiveUpdates(io, bus, delivery, redis !== null, log, { speakers, botListeners, sessions, roomLists });
  const gatewayPresence: Presence = redis
    ? await RedisPresence.start(redis.pub, { prefix: config.redisPrefix, heartbeatMs: config.presenceHeartbeatMs, ttlMs: config.presenceTtlMs, log })
    : new LocalPresence(log);
  const presence = new OfflineGrace(gatewayPresence, config.presenceOfflineGraceMs);
  // The bot event queue wakes this gateway's delivery worker; both need the finished deps.
  let deliveryWorker: DeliveryWorker | null = null;
  // Created after deps, which it needs; deps reach it through the sink above.
  let linkPreviewer: LinkPreviewer;
  const botEvents = new BotEventQueue({ db: database.db, log, botListeners }, () => deliveryWorker?.wake());
  const qr = createQrDecoder({ workers: config.qrScanWorkers, timeoutMs: config.qrScanTimeoutMs });
  const deps: DomainDeps = { config, db: database.db, writer, live, presence, log, media, qr, safety: createSafetyPipeline(), precedents: new RoomPrecedents(), sightings: redis ? new RedisTextSightings(redis.pub, config.redisPrefix) : null, sendAttempts: new SendAttempts(), bots: botEvents, previews: { messageStored: (message) => linkPreviewer.messageStored(message) }, speakers, botListeners, sessions, roomLists, metrics: metrics.domain };
  linkPreviewer = new LinkPreviewer(deps, createPageSource(config));
  deliveryWorker = new DeliveryWorker(deps);
  const inFlight = new InFlight();

  await fastify.register(swagger, {
    openapi: {
      info: { title: 'Quanzi', version: '1', description: 'Realtime group chat for interest communities. See docs/protocol.md for the socket events.' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' }, botAuth: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Bot <token>' }, mediaCookie: { type: 'apiKey', in: 'cookie', name: 'quanzi_media', description: 'Set by POST /v1/media-session; accepted by GET/HEAD /v1/attachments/* only, and only from this site' } } },
    },
    // Shared schemas appear under components/schemas by their own $id (ErrorResponse), not as def-N.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await fastify.register(swaggerUi, { routePrefix: '/docs' });
  await fastify.register(rateLimit, { global: false });

  const authRateLimit = { max: config.authRateLimitPerMinute, timeWindow: '1 minute' };
  await fastify.register(metricsRoutes(metrics, config.metricsToken));
  await fastify.register(healthRoutes({ database: database.ping, redis: redis ? async () => void (await redis.pub.ping()) : null }, inFlight));
  await fastify.register(
    authenticated(deps, [
      accountRoutes(deps, authRateLimit),
      roomRoutes(deps),
      roomPreviewRoutes(deps),
      searchRoutes(deps),
      roomExportRoutes(deps),
      joiningRoutes(deps),
      moderationRoutes(deps),
      messageRoutes(deps, inFlight),
      messageActionRoutes(deps, inFlight),
      safetyRoutes(deps, inFlight),
      attachmentRoutes(deps, inFlight),
      mediaSessionRoutes(),
      roomMediaRoutes(deps),
      readStateRoutes(deps),
      presenceRoutes(deps),
      botRoutes(deps, inFlight),
      hookRoutes(deps, inFlight),
      scheduleRoutes(deps),
      directMessageRoutes(deps, inFlight),
      profileRoutes(deps),
      notificationRoutes(deps),
      siteReviewRoutes(deps),
      signupRoutes(deps, inFlight),
      pollRoutes(deps, inFlight),
      roomRulesRoutes(deps, inFlight),
      eventRoutes(deps, inFlight),
      challengeRoutes(deps, inFlight),
    ]),
  );
  await fastify.register(webClientRoutes());
  attachSocketHandlers(io, deps, delivery, inFlight, presence);
  const recallPurge = startRecallPurge(deps);
  const mediaLifecycle = startMediaLifecycle(deps);
  deliveryWorker.start();
  const scheduler = startScheduler(deps);
  const meetupReminders = startMeetupReminders(deps);
  const raidShieldLifts = startRaidShieldLifts(deps);
  presence.onChange((change) => announcePresence(deps, change));

  let closing: Promise<void> | null = null;
  const close = async (): Promise<void> => {
    recallPurge.stop();
    mediaLifecycle.stop();
    const drained = await inFlight.drain(config.shutdownGraceMs);
    if (!drained) log.warn('shutdown grace period ended with sends still in flight');
    await writer.drained();
    await scheduler.stop();
    await meetupReminders.stop();
    await raidShieldLifts.stop();
    await botEvents.flush();
    await linkPreviewer.close();
    await deliveryWorker?.stop();
    io.local.disconnectSockets(true);
    // Before the bus and the database close: the offline announcements need both.
    await presence.close();
    await fastify.close();
    io.engine.close();
    io.of('/').adapter.close();
    delivery.close();
    await bus.close();
    if (redis) await Promise.all([redis.pub.quit(), redis.busSub.quit(), redis.adapterSub.quit()]).catch(() => {});
    await database.close();
    await media.close();
    await qr.close();
  };

  return {
    config,
    fastify,
    io,
    deps,
    database,
    async listen() {
      return fastify.listen({ port: config.port, host: config.host });
    },
    close: () => (closing ??= close()),
  };
}

async function connectRedis(url: string, log: Logger): Promise<{ pub: Redis; busSub: Redis; adapterSub: Redis }> {
  const open = async (name: string) => {
    const client = new Redis(url, { lazyConnect: true, connectionName: `quanzi-${name}`, maxRetriesPerRequest: 3 });
    // Before connecting, so not even a failed first attempt goes unheard.
    reportRedisOutages(client, name, log);
    await client.connect();
    return client;
  };
  const pub = await open('pub');
  return { pub, busSub: await open('bus-sub'), adapterSub: await open('adapter-sub') };
}
