/**
 * The environment, parsed and validated once. Nothing else in the server reads process.env:
 * everything downstream receives the typed Config.
 */
import path from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
/** `pretty`: one coloured line per event for a person at a terminal; `json`: one JSON object per line. */
export type LogFormat = 'pretty' | 'json';

export interface Config {
  port: number;
  host: string;
  /** Where the embedded PostgreSQL keeps its files; `memory://` keeps nothing (tests). */
  dataDir: string;
  /** Real PostgreSQL; when absent the embedded one (a PostgreSQL this process runs on DATA_DIR) is used. */
  databaseUrl: string | null;
  /** Redis for cross-process fan-out; when absent fan-out stays in-process. */
  redisUrl: string | null;
  /** Prefix of every Redis key and channel, so several deployments (or test runs) can share one Redis. */
  redisPrefix: string;
  logLevel: LogLevel;
  logFormat: LogFormat;
  /**
   * When set, GET /metrics answers only `Authorization: Bearer <token>`; when null it is open to
   * anyone who can reach the port (restrict it at the proxy then).
   */
  metricsToken: string | null;
  /**
   * The key of the HMAC that stands in for a voter's id in an anonymous poll. Kept out of the
   * database so that reading the database does not tell who voted what; when unset, a key stored
   * in the database is used (and a database reader could then undo it).
   */
  anonymousVoteKey: string | null;
  /** How often each gateway looks for meetup reminders that are due. */
  meetupReminderTickMs: number;
  /** How often each gateway looks for raid shields to lift. */
  raidShieldTickMs: number;
  /** How long a gateway that claimed a reminder has to post it before another gateway may. */
  meetupReminderLeaseMs: number;
  /** Test hook: how long a gateway waits between claiming a reminder and posting it (0 in production). */
  meetupReminderPostDelayMs: number;
  /**
   * The gateway sits behind a proxy that says how the browser reached it (X-Forwarded-Proto,
   * -Host, -For): the media cookie is then marked Secure when the browser used https, and an
   * Origin is compared with the address the browser used rather than the proxy's.
   */
  trustProxy: boolean;
  /** Sign-up and log-in attempts allowed per client IP per minute. */
  authRateLimitPerMinute: number;
  /** log2 of scrypt's cost N for new password hashes; stored hashes keep their own parameters. */
  passwordScryptLogN: number;
  /** How long SIGTERM waits for in-flight sends before closing sockets anyway. */
  shutdownGraceMs: number;
  /**
   * Group commit: at most one message-storing statement starts per window, so under steady
   * traffic messages gather into batches. A message arriving after a quiet spell is stored at once.
   */
  messageCommitWindowMs: number;
  /**
   * A user whose last socket dropped is announced offline only if no socket of theirs is back
   * within this long (a reload or a network blip is not going offline). Signing out is at once.
   */
  presenceOfflineGraceMs: number;
  /** How often a gateway renews its presence heartbeat in Redis and looks for dead gateways. */
  presenceHeartbeatMs: number;
  /** A gateway whose heartbeat is older than this is dead: its users are announced offline. */
  presenceTtlMs: number;
  /** How long after sending a member may recall their own message (owner and admins: any time). */
  recallWindowSeconds: number;
  /** How long after sending a member may edit their own text (EDIT_WINDOW_SECONDS; 0: editing is off). */
  editWindowSeconds: number;
  /** How long owner and admins can still read a recalled message's text before it is erased. */
  recallRetentionDays: number;
  /** Admins per room, besides the owner. */
  adminLimit: number;
  /** Member limit of a new room, and the most an owner may raise it to. */
  memberLimitDefault: number;
  memberLimitMax: number;
  /** Open reports from this many members hide a message pending review (members see a placeholder). */
  reportHideThreshold: number;
  /**
   * Site moderators (SITE_ADMINS, comma-separated usernames): they see the site-level review
   * queue (message requests, users, rooms reported) and can suspend an account everywhere.
   */
  siteAdmins: readonly string[];
  // Link previews (server/domain/link-previews.ts, server/previews/)
  /** Fetch a preview (title, description, picture) of the first link in a message. */
  linkPreviews: boolean;
  /** The whole fetch of one page, redirects included. */
  linkPreviewTimeoutMs: number;
  /** Bytes of a page read at most (the head is what a preview needs). */
  linkPreviewMaxBytes: number;
  /** Test-only: let previews fetch from this machine (private networks stay refused). */
  linkPreviewAllowLoopback: boolean;
  // Bots (server/bots/, server/jobs/scheduled-posts.ts)
  /** Allow outgoing bot webhooks to plain-HTTP loopback URLs (local development and tests); HTTPS otherwise. */
  botWebhookAllowLoopbackHttp: boolean;
  /** How often each gateway looks for due bot deliveries (a local enqueue also wakes it at once). */
  botDeliveryTickMs: number;
  /** How long a receiver may take to answer one delivery (and a slash command's reply). */
  botDeliveryTimeoutMs: number;
  /** First retry delay; each further retry waits four times longer. */
  botDeliveryRetryBaseMs: number;
  /** Attempts per delivery before it is given up as failed. */
  botDeliveryMaxAttempts: number;
  /** Failed attempts in a row after which a bot's endpoint is paused. */
  botPauseAfterFailures: number;
  /** How often each gateway looks for due scheduled posts. */
  schedulerTickMs: number;
  /** The shortest allowed `interval` schedule. */
  scheduleMinIntervalSeconds: number;
  // Attachments (server/media/)
  /**
   * Where uploaded files are kept, one file per distinct content. Null: `<DATA_DIR>/media`, or a
   * temporary directory removed on close when DATA_DIR is memory://. Gateways sharing a database
   * must share this directory too.
   */
  mediaDir: string | null;
  /**
   * S3-compatible object storage for attachments (MinIO, R2, AWS), shared by every gateway; null
   * keeps them in mediaDir. Uploads are still staged on local disk (under mediaDir) while hashed.
   */
  mediaS3: MediaS3Config | null;
  /** The largest file one upload may carry. */
  attachmentMaxBytes: number;
  /** Total size of the attachments posted in one room, and by one person across rooms. */
  roomStorageQuotaBytes: number;
  userStorageQuotaBytes: number;
  /**
   * The most pixels (width × height × frames) a picture may have. A few kilobytes of PNG can claim
   * 30,000 × 30,000 pixels; over this it is refused from its header, before anything is decoded.
   */
  imageMaxPixels: number;
  /** Pictures processed at once by one gateway's pixel worker process: each holds its pixels in memory. */
  imageJobs: number;
  /**
   * Worker threads reading QR codes in uploaded pictures, and how long one picture may take
   * before it is held unread (server/media/qr-decoder.ts).
   */
  qrScanWorkers: number;
  qrScanTimeoutMs: number;
  /** An upload no message carries after this long is removed, and its bytes deleted unless shared. */
  attachmentUnsentHours: number;
  /**
   * A held upload no reviewer decides on within this many days is rejected automatically (and so,
   * RECALL_RETENTION_DAYS later, removed with its bytes like any rejected one).
   */
  attachmentHeldDays: number;
  /**
   * A stored file that no row names is deleted once it is this old (a crash between keeping the
   * bytes and recording them leaves one; a younger file may belong to an upload still finishing).
   */
  mediaUnreferencedGraceMinutes: number;
  /** How often each gateway runs the media sweeps (server/jobs/media-lifecycle.ts); the listing of every stored file runs a 24th as often. */
  mediaSweepIntervalMinutes: number;
}

export interface MediaS3Config {
  bucket: string;
  /** Null: AWS's own endpoint for the region. */
  endpoint: string | null;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `<endpoint>/<bucket>/<key>` rather than `<bucket>.<endpoint>/<key>`, as MinIO and most self-hosted servers need. */
  forcePathStyle: boolean;
  /** Objects are kept as `<prefix>/<aa>/<bb>/<sha256>`. */
  prefix: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const LOG_FORMATS: readonly LogFormat[] = ['pretty', 'json'];

/**
 * `stdoutIsTTY` picks the log format when LOG_FORMAT is unset: lines for a person at a terminal,
 * JSON when the output goes to a file, a pipe or a log collector.
 */
export function loadConfig(env: Env = process.env, stdoutIsTTY: boolean = process.stdout.isTTY === true): Config {
  const problems: string[] = [];
  const read = <T>(name: string, parse: (raw: string) => T, fallback: T, options: { secret?: boolean } = {}): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    try {
      return parse(raw);
    } catch (err) {
      // A secret is not repeated into the start-up log, even a malformed one.
      problems.push(`${options.secret ? name : `${name}=${JSON.stringify(raw)}`}: ${(err as Error).message}`);
      return fallback;
    }
  };

  const config: Config = {
    port: read('PORT', integerIn(0, 65535), 3000),
    host: read('HOST', nonEmpty, '0.0.0.0'),
    dataDir: read('DATA_DIR', (raw) => (raw.startsWith('memory://') ? raw : path.resolve(raw)), path.resolve('data')),
    databaseUrl: read('DATABASE_URL', urlWithScheme(['postgres:', 'postgresql:']), null),
    redisUrl: read('REDIS_URL', urlWithScheme(['redis:', 'rediss:']), null),
    redisPrefix: read('REDIS_PREFIX', matching(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits and _.:- only'), 'quanzi'),
    logLevel: read('LOG_LEVEL', oneOf(LOG_LEVELS), 'info'),
    logFormat: read('LOG_FORMAT', oneOf(LOG_FORMATS), stdoutIsTTY ? 'pretty' : 'json'),
    metricsToken: read('METRICS_TOKEN', matching(/^[\x21-\x7e]{16,512}$/, 'must be 16 to 512 visible ASCII characters, no spaces'), null, { secret: true }),
    anonymousVoteKey: read('ANONYMOUS_VOTE_KEY', matching(/^[\x21-\x7e]{16,512}$/, 'must be 16 to 512 visible ASCII characters, no spaces'), null, { secret: true }),
    meetupReminderTickMs: read('MEETUP_REMINDER_TICK_MS', integerIn(50, 3_600_000), 30_000),
    raidShieldTickMs: read('RAID_SHIELD_TICK_MS', integerIn(50, 3_600_000), 15_000),
    meetupReminderLeaseMs: read('MEETUP_REMINDER_LEASE_MS', integerIn(100, 3_600_000), 60_000),
    meetupReminderPostDelayMs: read('MEETUP_REMINDER_POST_DELAY_MS', integerIn(0, 3_600_000), 0),
    trustProxy: read('TRUST_PROXY', booleanFlag, false),
    authRateLimitPerMinute: read('RATE_LIMIT_AUTH_PER_MINUTE', integerIn(1, 1_000_000_000), 30),
    passwordScryptLogN: read('PASSWORD_SCRYPT_LOG_N', integerIn(10, 20), 15),
    shutdownGraceMs: read('SHUTDOWN_GRACE_MS', integerIn(0, 600_000), 10_000),
    messageCommitWindowMs: read('MESSAGE_COMMIT_WINDOW_MS', integerIn(0, 100), 5),
    presenceOfflineGraceMs: read('PRESENCE_OFFLINE_GRACE_MS', integerIn(0, 600_000), 5_000),
    presenceHeartbeatMs: read('PRESENCE_HEARTBEAT_MS', integerIn(50, 600_000), 5_000),
    presenceTtlMs: read('PRESENCE_TTL_MS', integerIn(100, 3_600_000), 15_000),
    recallWindowSeconds: read('RECALL_WINDOW_SECONDS', integerIn(0, 7 * 86_400), 120),
    recallRetentionDays: read('RECALL_RETENTION_DAYS', integerIn(0, 3650), 7),
    editWindowSeconds: read('EDIT_WINDOW_SECONDS', integerIn(0, 30 * 86_400), 86_400),
    adminLimit: read('ADMIN_LIMIT', integerIn(0, 1000), 10),
    memberLimitDefault: read('MEMBER_LIMIT_DEFAULT', integerIn(2, 100_000), 500),
    memberLimitMax: read('MEMBER_LIMIT_MAX', integerIn(2, 100_000), 2000),
    reportHideThreshold: read('REPORT_HIDE_THRESHOLD', integerIn(1, 1000), 3),
    siteAdmins: read('SITE_ADMINS', usernameList, []),
    linkPreviews: read('LINK_PREVIEWS', booleanFlag, true),
    linkPreviewTimeoutMs: read('LINK_PREVIEW_TIMEOUT_MS', integerIn(100, 60_000), 4_000),
    linkPreviewMaxBytes: read('LINK_PREVIEW_MAX_BYTES', integerIn(4096, 16 * 1024 * 1024), 512 * 1024),
    linkPreviewAllowLoopback: read('LINK_PREVIEW_ALLOW_LOOPBACK', booleanFlag, false),
    botWebhookAllowLoopbackHttp: read('BOT_WEBHOOK_ALLOW_LOOPBACK_HTTP', booleanFlag, false),
    botDeliveryTickMs: read('BOT_DELIVERY_TICK_MS', integerIn(10, 600_000), 1_000),
    botDeliveryTimeoutMs: read('BOT_DELIVERY_TIMEOUT_MS', integerIn(100, 60_000), 5_000),
    botDeliveryRetryBaseMs: read('BOT_DELIVERY_RETRY_BASE_MS', integerIn(1, 3_600_000), 2_000),
    botDeliveryMaxAttempts: read('BOT_DELIVERY_MAX_ATTEMPTS', integerIn(1, 100), 6),
    botPauseAfterFailures: read('BOT_PAUSE_AFTER_FAILURES', integerIn(1, 10_000), 20),
    schedulerTickMs: read('SCHEDULER_TICK_MS', integerIn(10, 600_000), 5_000),
    scheduleMinIntervalSeconds: read('SCHEDULE_MIN_INTERVAL_SECONDS', integerIn(1, 86_400), 300),
    mediaDir: read('MEDIA_DIR', (raw) => path.resolve(nonEmpty(raw)), null),
    mediaS3: null,
    attachmentMaxBytes: read('ATTACHMENT_MAX_BYTES', integerIn(1, 64 * GIB), 256 * MIB),
    roomStorageQuotaBytes: read('ROOM_STORAGE_QUOTA_BYTES', integerIn(1, Number.MAX_SAFE_INTEGER), 10 * GIB),
    userStorageQuotaBytes: read('USER_STORAGE_QUOTA_BYTES', integerIn(1, Number.MAX_SAFE_INTEGER), 2 * GIB),
    imageMaxPixels: read('IMAGE_MAX_PIXELS', integerIn(1, 1_000_000_000), 100_000_000),
    imageJobs: read('IMAGE_JOBS', integerIn(1, 64), 2),
    qrScanWorkers: read('QR_SCAN_WORKERS', integerIn(1, 16), 1),
    qrScanTimeoutMs: read('QR_SCAN_TIMEOUT_MS', integerIn(1, 60_000), 2_000),
    attachmentUnsentHours: read('ATTACHMENT_UNSENT_HOURS', integerIn(1, 24 * 365), 24),
    attachmentHeldDays: read('ATTACHMENT_HELD_DAYS', integerIn(1, 3650), 14),
    mediaUnreferencedGraceMinutes: read('MEDIA_UNREFERENCED_GRACE_MINUTES', integerIn(1, 7 * 24 * 60), 60),
    mediaSweepIntervalMinutes: read('MEDIA_SWEEP_INTERVAL_MINUTES', integerIn(1, 24 * 60), 60),
  };
  config.mediaS3 = readMediaS3(env, read, problems);
  if (config.memberLimitDefault > config.memberLimitMax) {
    problems.push(`MEMBER_LIMIT_DEFAULT (${config.memberLimitDefault}) must not exceed MEMBER_LIMIT_MAX (${config.memberLimitMax})`);
  }

  // A TTL at or below the heartbeat would let live gateways expire between two beats.
  if (config.presenceTtlMs <= config.presenceHeartbeatMs) problems.push(`PRESENCE_TTL_MS must be longer than PRESENCE_HEARTBEAT_MS (${config.presenceHeartbeatMs})`);

  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return config;
}

type Read = <T>(name: string, parse: (raw: string) => T, fallback: T, options?: { secret?: boolean }) => T;

const MEDIA_S3_VARIABLES = ['MEDIA_S3_ENDPOINT', 'MEDIA_S3_REGION', 'MEDIA_S3_ACCESS_KEY_ID', 'MEDIA_S3_SECRET_ACCESS_KEY', 'MEDIA_S3_FORCE_PATH_STYLE', 'MEDIA_S3_PREFIX'];

/** MEDIA_S3_BUCKET switches object storage on; half a configuration is refused rather than guessed at. */
function readMediaS3(env: Env, read: Read, problems: string[]): MediaS3Config | null {
  const bucket = read('MEDIA_S3_BUCKET', matching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens'), null);
  const isSet = (name: string) => env[name] !== undefined && env[name] !== '';
  if (bucket === null) {
    const stray = MEDIA_S3_VARIABLES.filter(isSet);
    if (stray.length > 0 && !isSet('MEDIA_S3_BUCKET')) problems.push(`${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} set but MEDIA_S3_BUCKET is not: set it to store attachments in S3, or unset ${stray.length === 1 ? 'it' : 'them'}`);
    return null;
  }
  const endpoint = read('MEDIA_S3_ENDPOINT', urlWithScheme(['http:', 'https:']), null);
  const accessKeyId = read('MEDIA_S3_ACCESS_KEY_ID', nonEmpty, null);
  const secretAccessKey = read('MEDIA_S3_SECRET_ACCESS_KEY', nonEmpty, null, { secret: true });
  for (const [name, value] of [['MEDIA_S3_ACCESS_KEY_ID', accessKeyId], ['MEDIA_S3_SECRET_ACCESS_KEY', secretAccessKey]] as const) {
    if (value === null && !isSet(name)) problems.push(`${name} must be set when MEDIA_S3_BUCKET is`);
  }
  return {
    bucket,
    endpoint,
    region: read('MEDIA_S3_REGION', matching(/^[a-z0-9-]{1,64}$/, 'must be a region name such as us-east-1'), 'us-east-1'),
    accessKeyId: accessKeyId ?? '',
    secretAccessKey: secretAccessKey ?? '',
    forcePathStyle: read('MEDIA_S3_FORCE_PATH_STYLE', booleanFlag, endpoint !== null),
    prefix: read('MEDIA_S3_PREFIX', matching(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, 'letters, digits and _.- in /-separated parts, no leading or trailing /'), 'attachments'),
  };
}

function nonEmpty(raw: string): string {
  if (raw.trim() === '') throw new Error('must not be empty');
  return raw;
}

function usernameList(raw: string): string[] {
  const names = raw.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const invalid = names.filter((name) => !/^[a-z0-9_]{3,32}$/.test(name));
  if (invalid.length > 0) throw new Error(`not usernames (3–32 lowercase letters, digits, _): ${invalid.join(', ')}`);
  return [...new Set(names)];
}

function booleanFlag(raw: string): boolean {
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new Error('must be true or false');
}

function integerIn(min: number, max: number) {
  return (raw: string): number => {
    if (!/^\d+$/.test(raw)) throw new Error('must be a whole number');
    const value = Number(raw);
    if (value < min || value > max) throw new Error(`must be between ${min} and ${max}`);
    return value;
  };
}

function oneOf<T extends string>(allowed: readonly T[]) {
  return (raw: string): T => {
    if (!(allowed as readonly string[]).includes(raw)) throw new Error(`must be one of ${allowed.join(', ')}`);
    return raw as T;
  };
}

function matching(pattern: RegExp, hint: string) {
  return (raw: string): string => {
    if (!pattern.test(raw)) throw new Error(hint);
    return raw;
  };
}

function urlWithScheme(schemes: string[]) {
  return (raw: string): string => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error('is not a URL');
    }
    if (!schemes.includes(url.protocol)) throw new Error(`must start with ${schemes.map((s) => `${s}//`).join(' or ')}`);
    return raw;
  };
}
