/**
 * A check-in bot: `/checkin [note]` counts today's check-ins, `/remind <when> <what>` echoes a
 * reminder and `/who` lists who checked in. It registers its own webhook and commands with its
 * token, verifies every delivery's signature, and answers synchronously.
 *
 *   QUANZI_URL=http://localhost:3000 QUANZI_BOT_TOKEN=qzb_… QUANZI_ROOM_ID=<room id> npx tsx examples/checkin-bot.ts
 *
 * The token needs the scopes messages:write and events:receive; the server must allow loopback
 * HTTP endpoints (BOT_WEBHOOK_ALLOW_LOOPBACK_HTTP=true) unless PUBLIC_URL is HTTPS. See docs/bots.md.
 */
import { createServer } from 'node:http';
import { createWebhookHandler, QuanziBot, type BotEventEnvelope } from '../client/sdk/bot.ts';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (!value) {
    console.error(`Set ${name} (see the comment at the top of examples/checkin-bot.ts)`);
    process.exit(1);
  }
  return value;
};
const baseUrl = env('QUANZI_URL', 'http://localhost:3000');
const token = env('QUANZI_BOT_TOKEN');
const roomId = env('QUANZI_ROOM_ID');
const port = Number(env('PORT', '8787'));
const publicUrl = env('PUBLIC_URL', `http://127.0.0.1:${port}/events`);

const bot = new QuanziBot({ baseUrl, token });
let signingSecret: string | undefined = process.env.QUANZI_SIGNING_SECRET;

const checkins = new Map<string, string[]>(); // day → names
const today = () => new Date().toISOString().slice(0, 10);

function onEvent(event: BotEventEnvelope) {
  if (event.event !== 'command' || !event.command || !event.message) return null;
  const who = event.message.sender?.displayName ?? 'Someone';
  switch (event.command.name) {
    case 'checkin': {
      const names = checkins.get(today()) ?? [];
      names.push(who);
      checkins.set(today(), names);
      return { text: `✅ ${who} checked in${event.command.args ? ` (${event.command.args})` : ''} — ${names.length} today` };
    }
    case 'who':
      return { text: `Checked in today: ${(checkins.get(today()) ?? []).join(', ') || 'nobody yet'}` };
    case 'remind':
      return { text: event.command.args ? `⏰ Noted: ${event.command.args}` : 'Usage: /remind Saturday 10:00 meetup at the park' };
    default:
      return null;
  }
}

const server = createServer(createWebhookHandler({ secret: () => signingSecret, onEvent }));
server.listen(port, '127.0.0.1', async () => {
  const me = await bot.me();
  const webhook = await bot.setWebhook(me.id, publicUrl, ['command'], { rotateSecret: !signingSecret });
  signingSecret = webhook.signingSecret ?? signingSecret;
  await bot.setCommands(roomId, me.id, [
    { command: 'checkin', description: 'Check in for today' },
    { command: 'who', description: 'Who checked in today' },
    { command: 'remind', description: 'Remind the room: /remind Saturday 10:00 meetup' },
  ]);
  console.log(`${me.displayName} is listening on ${publicUrl}; try /checkin in the room`);
});
