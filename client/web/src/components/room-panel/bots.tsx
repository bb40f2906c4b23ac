/** 机器人: the room's bots, their tokens and outgoing webhook, and the incoming webhooks (docs/bots.md). */
import { useEffect, useState } from 'preact/hooks';
import type { TargetedEvent } from 'preact';
import type { Bot, BotDelivery, BotEventName, BotScope, BotToken } from '../../../../../shared/schemas.ts';
import { formatDateTime, t } from '../../i18n/index.ts';
import { ErrorLine, Section, useStore } from '../common.tsx';
import { confirmFirst } from '../dialog.tsx';
import { useLoader, type Run } from './actions.ts';
import { IncomingHooks } from './incoming-hooks.tsx';
import { OnceSecret } from './once-secret.tsx';

// Kept here rather than imported: the bundle takes only types from shared/schemas.ts.
const SCOPES: BotScope[] = ['messages:write', 'messages:read', 'announcements:write', 'events:receive'];
const EVENTS: BotEventName[] = ['message', 'mention', 'command', 'member.joined'];

export function BotsSection({ roomId, run }: { roomId: string; run: Run }) {
  const store = useStore();
  const rest = store.client.rest;
  const [bots, reload, error] = useLoader<Bot[]>(() => rest.roomBots(roomId));
  const [name, setName] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  // The incoming webhooks load with the section, not with the panel.
  const [shown, setShown] = useState(false);
  const create = (e: TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    void run(async () => {
      const bot = await rest.createBot({ name: name.trim(), roomId });
      setName('');
      setOpen(bot.id);
    }).then(reload);
  };
  return (
    <Section
      title={`${t('bots.title')}${bots ? ` (${bots.length})` : ''}`}
      onOpen={() => {
        reload();
        setShown(true);
      }}
    >
      <ErrorLine error={error} />
      <form class="row" onSubmit={create}>
        <input aria-label={t('bots.name')} placeholder={t('bots.name')} required maxLength={64} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit" class="primary small" disabled={!name.trim()}>
          {t('bots.create')}
        </button>
      </form>
      {bots?.length === 0 && <p class="muted small">{t('bots.none')}</p>}
      <ul class="plain-list bot-list">
        {(bots ?? []).map((bot) => {
          const mine = bot.ownerId === store.me?.id;
          return (
            <li key={bot.id} class="bot-item" data-bot-id={bot.id}>
              <div class="row spread bot-head">
                <span>
                  <strong>{bot.displayName}</strong> <span class="tag bot-tag">{t('chat.bot')}</span>
                  <span class="muted small"> @{bot.username}</span>
                  {bot.webhook.url && <span class={`tag${bot.webhook.status === 'paused' ? ' warn' : ''}`}>{t(`bots.status.${bot.webhook.status}`)}</span>}
                </span>
                <span class="row">
                  {mine && (
                    <button type="button" class="small" aria-expanded={open === bot.id} onClick={() => setOpen(open === bot.id ? null : bot.id)}>
                      {t('bots.manage')}
                    </button>
                  )}
                  <button
                    type="button"
                    class="small danger"
                    onClick={() => confirmFirst(t('bots.removeConfirm', { name: bot.displayName }), { confirmLabel: t('bots.remove'), danger: true }, () => run(() => rest.removeBotFromRoom(roomId, bot.id)).then(reload))}
                  >
                    {t('bots.remove')}
                  </button>
                </span>
              </div>
              {mine && open === bot.id && <BotManager bot={bot} run={run} onChanged={reload} />}
            </li>
          );
        })}
      </ul>
      {shown && <IncomingHooks roomId={roomId} run={run} />}
    </Section>
  );
}

function BotManager({ bot, run, onChanged }: { bot: Bot; run: Run; onChanged: () => void }) {
  const store = useStore();
  const rest = store.client.rest;
  const [tokens, reloadTokens, error] = useLoader<BotToken[]>(() => rest.botTokens(bot.id));
  useEffect(reloadTokens, [bot.id]);
  const [scopes, setScopes] = useState<BotScope[]>(['messages:write']);
  const [tokenName, setTokenName] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [url, setUrl] = useState(bot.webhook.url ?? '');
  const [events, setEvents] = useState<BotEventName[]>(bot.webhook.url ? bot.webhook.events : ['command', 'mention']);
  const [signing, setSigning] = useState<string | null>(null);
  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item));
  const issue = (work: () => Promise<{ secret: string }>) =>
    void run(async () => {
      setSecret((await work()).secret);
      setTokenName('');
    }).then(reloadTokens);
  const active = (tokens ?? []).filter((tk) => !tk.revokedAt);
  return (
    <div class="bot-manager">
      <ErrorLine error={error} />
      <fieldset>
        <legend>{t('bots.tokens')}</legend>
        {secret && <OnceSecret label={t('bots.tokenSecret')} value={secret} onDone={() => setSecret(null)} />}
        <div class="scope-list">
          {SCOPES.map((scope) => (
            <label key={scope} class="row small">
              <input type="checkbox" checked={scopes.includes(scope)} onChange={(e) => setScopes(toggle(scopes, scope, e.currentTarget.checked))} />
              {t(`bots.scope.${scope}`)} <code>{scope}</code>
            </label>
          ))}
        </div>
        <div class="row">
          <input aria-label={t('bots.tokenName')} placeholder={t('bots.tokenName')} maxLength={64} value={tokenName} onInput={(e) => setTokenName(e.currentTarget.value)} />
          <button type="button" class="primary small" disabled={scopes.length === 0} onClick={() => issue(() => rest.issueBotToken(bot.id, scopes, tokenName.trim() || undefined))}>
            {t('bots.issueToken')}
          </button>
        </div>
        {tokens && active.length === 0 && <p class="muted small">{t('bots.noTokens')}</p>}
        <ul class="plain-list">
          {active.map((tk) => (
            <li key={tk.id} class="small bot-token">
              <strong>{tk.name || '—'}</strong> <code>{tk.scopes.join(' ')}</code>
              <span class="muted">{tk.lastUsedAt ? t('bots.lastUsed', { time: formatDateTime(tk.lastUsedAt) }) : t('bots.neverUsed')}</span>
              <button type="button" class="small" onClick={() => confirmFirst(t('bots.rotateConfirm'), { confirmLabel: t('bots.rotate') }, () => issue(() => rest.rotateBotToken(bot.id, tk.id)))}>
                {t('bots.rotate')}
              </button>
              <button type="button" class="small danger" onClick={() => confirmFirst(t('bots.revokeConfirm'), { confirmLabel: t('panel.revoke'), danger: true }, () => run(() => rest.revokeBotToken(bot.id, tk.id)).then(reloadTokens))}>
                {t('panel.revoke')}
              </button>
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset>
        <legend>
          {t('bots.webhook')}{' '}
          {bot.webhook.url && <span class={`tag${bot.webhook.status === 'paused' ? ' warn' : ''}`}>{t(`bots.status.${bot.webhook.status}`)}</span>}
        </legend>
        {signing && <OnceSecret label={t('bots.signingSecret')} value={signing} onDone={() => setSigning(null)} />}
        {bot.webhook.status === 'paused' && (
          <p class="small warn-text">
            {t('bots.pausedSince', { time: bot.webhook.pausedAt ? formatDateTime(bot.webhook.pausedAt) : '—', failures: bot.webhook.consecutiveFailures })}{' '}
            <button type="button" class="small primary" onClick={() => void run(() => rest.resumeBotWebhook(bot.id)).then(onChanged)}>
              {t('bots.resume')}
            </button>
          </p>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              const answer = await rest.setBotWebhook(bot.id, { url: url.trim(), events });
              if (answer.signingSecret) setSigning(answer.signingSecret);
            }).then(onChanged);
          }}
        >
          <input type="url" aria-label={t('bots.webhookUrl')} placeholder="https://bot.example.com/events" required value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
          <div class="scope-list">
            {EVENTS.map((ev) => (
              <label key={ev} class="row small">
                <input type="checkbox" checked={events.includes(ev)} onChange={(e) => setEvents(toggle(events, ev, e.currentTarget.checked))} />
                <code>{ev}</code>
              </label>
            ))}
          </div>
          <div class="row">
            <button type="submit" class="small primary" disabled={!url.trim() || events.length === 0}>
              {t('bots.saveWebhook')}
            </button>
            {bot.webhook.url && (
              <button
                type="button"
                class="small"
                onClick={() =>
                  void run(async () => {
                    await rest.removeBotWebhook(bot.id);
                    setUrl('');
                  }).then(onChanged)
                }
              >
                {t('bots.removeWebhook')}
              </button>
            )}
          </div>
        </form>
        {bot.webhook.url && <Deliveries botId={bot.id} />}
      </fieldset>
    </div>
  );
}

/** The delivery log, on demand: the newest few, with their last attempt. */
function Deliveries({ botId }: { botId: string }) {
  const store = useStore();
  const [list, reload, error] = useLoader<BotDelivery[]>(() => store.client.rest.botDeliveries(botId, 10));
  return (
    <details class="deliveries" onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && reload()}>
      <summary class="small">{t('bots.deliveries')}</summary>
      <ErrorLine error={error} />
      {list?.length === 0 && <p class="muted small">{t('bots.noDeliveries')}</p>}
      <ol class="plain-list small">
        {(list ?? []).map((d) => {
          const last = d.log.at(-1);
          return (
            <li key={d.id}>
              <time class="muted">{formatDateTime(d.createdAt)}</time> <code>{d.event}</code> <span class={`tag${d.status === 'failed' ? ' warn' : ''}`}>{t(`bots.delivery.${d.status}`)}</span>
              {last && <span class="muted">{last.statusCode ?? last.error ?? ''} · {last.durationMs} ms</span>}
            </li>
          );
        })}
      </ol>
    </details>
  );
}
