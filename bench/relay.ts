/**
 * The baseline every figure is compared with: a plain Socket.IO 4 server that relays a room
 * message to the room (`socket.to(room).emit`) — no auth, no persistence, no filters.
 * With REDIS_URL, two or more of these form the scaled baseline over @socket.io/redis-adapter.
 *
 *   PORT=4100 HOST=127.0.0.1 [REDIS_URL=redis://127.0.0.1:6379] node --import tsx bench/relay.ts
 *
 * Clients name their rooms in the handshake (`auth: { rooms: [...] }`) since there is no
 * membership to look up; they send the same `message:send` payload Quanzi takes.
 * `GET /v1/rooms/:id/messages` answers a fixed page of 50 messages: the HTTP + JSON floor for W6.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';

const port = Number(process.env.PORT ?? 4100);
const host = process.env.HOST ?? '127.0.0.1';
const redisUrl = process.env.REDIS_URL || null;

const floorPage = buildFloorPage();

const httpServer = createServer((req, res) => {
  const url = req.url ?? '/';
  if (url === '/readyz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  } else if (req.method === 'GET' && /^\/v1\/rooms\/[^/]+\/messages(\?|$)/.test(url)) {
    // Serialized per request, as a server that read the page from storage would.
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(floorPage));
  } else {
    res.writeHead(404).end();
  }
});

const io = new Server(httpServer, { transports: ['websocket'], serveClient: false });

const redisClients: Redis[] = [];
if (redisUrl) {
  const pub = new Redis(redisUrl);
  const sub = pub.duplicate();
  redisClients.push(pub, sub);
  io.adapter(createAdapter(pub, sub));
}

io.on('connection', (socket) => {
  const rooms: unknown = socket.handshake.auth?.rooms;
  if (Array.isArray(rooms)) socket.join(rooms.filter((r): r is string => typeof r === 'string'));

  socket.on('message:send', (body: { roomId?: unknown; text?: unknown; clientMsgId?: unknown }, ack?: (reply: unknown) => void) => {
    if (typeof body?.roomId !== 'string' || typeof body.text !== 'string') {
      ack?.({ ok: false, error: { code: 'VALIDATION', message: 'roomId and text are required' } });
      return;
    }
    socket.to(body.roomId).emit('message', { roomId: body.roomId, text: body.text, clientMsgId: body.clientMsgId });
    ack?.({ ok: true });
  });
});

httpServer.listen(port, host, () => {
  process.stdout.write(`relay listening on http://${host}:${port}${redisUrl ? ' (redis adapter)' : ''}\n`);
});

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  io.close(() => {
    for (const client of redisClients) client.disconnect();
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

function buildFloorPage() {
  const roomId = randomUUID();
  const sender = { id: randomUUID(), displayName: 'Bench Member', kind: 'user' };
  const createdAt = new Date().toISOString();
  const messages = Array.from({ length: 50 }, (_, i) => ({
    id: randomUUID(),
    roomId,
    seq: 951 + i,
    sender,
    kind: 'text',
    text: `did anyone catch the last episode? number ${i} was my favourite`,
    replyTo: null,
    clientMsgId: `floor-${i}`,
    createdAt,
  }));
  return { messages, hasMore: true };
}
