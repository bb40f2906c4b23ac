/**
 * One message in the timeline. Everything a user wrote is rendered as text nodes (Preact escapes
 * them); mentions and links are split out into elements by hand, never via innerHTML.
 */
import type { ComponentChildren } from 'preact';
import type { LinkPreview, Member, Message, ReactionCount } from '../../../../shared/schemas.ts';
import { errorText, formatDateTime, formatTime, reasonText, t } from '../i18n/index.ts';
import { systemText } from '../i18n/system.ts';
import type { PendingMessage, SafetyReason } from '../state/store.ts';
import { Avatar } from './common.tsx';
import { AttachmentStatus, MessageAttachments, attachmentSummary } from './attachments.tsx';
import { attachmentsOf } from '../media/attachment-view.ts';
import { EditableText, EditedMark, ForwardedFrom, MessageMenu } from './message-menu.tsx';
import { CommunityCard, isCommunityCard } from './community/community-card.tsx';
import { openProfileCard } from './profile-card.tsx';
import { QUICK_REACTIONS } from '../state/emoji.ts';
import { openEmojiPicker } from './emoji-picker.tsx';
import { useMessagePress, type MessageActions } from './message-sheet.tsx';
export type { MessageActions } from './message-sheet.tsx';


// The server's mention syntax (server/domain/mentions.ts) and plain http(s) links.
const TOKEN = /(?<![A-Za-z0-9_.%+-])@(所有人|all|[A-Za-z0-9_]{3,32})(?![A-Za-z0-9_])|https?:\/\/[^\s<>"'，。！？、）)\]]+/giu;

/** Text with @mentions highlighted and http(s) links clickable; everything else stays text. */
export function RichText({ text, members, myUsername }: { text: string; members: Member[] | null; myUsername: string | null }) {
  const parts: ComponentChildren[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const start = match.index ?? 0;
    if (start > last) parts.push(text.slice(last, start));
    const token = match[0];
    if (token.startsWith('@')) {
      const name = match[1]!.toLowerCase();
      const isAll = name === 'all' || name === '所有人';
      const member = members?.find((m) => m.user.username === name);
      const mine = isAll || name === myUsername;
      parts.push(
        <span class={mine ? 'mention mention-me' : 'mention'} title={member?.user.displayName}>
          {token}
        </span>,
      );
    } else {
      parts.push(
        <a href={token} target="_blank" rel="noopener noreferrer nofollow ugc">
          {token}
        </a>,
      );
    }
    last = start + token.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <span class="text">{parts}</span>;
}

/**
 * A link's card: the site it really leads to (the host after redirects, so a look-alike shows as
 * what it is), the page's title as the link, and its description. The page's picture is not
 * loaded: it would tell another site who is reading (the page's CSP allows no outside images).
 */
function PreviewCard({ preview }: { preview: LinkPreview }) {
  let host = '';
  try {
    host = new URL(preview.finalUrl).hostname;
  } catch {
    host = '';
  }
  return (
    <div class="link-preview">
      <span class="link-preview-site">{preview.siteName ? `${preview.siteName} · ${host}` : host}</span>
      <a class="link-preview-title" href={preview.url} target="_blank" rel="noopener noreferrer nofollow ugc">
        {preview.title}
      </a>
      {preview.description && <span class="link-preview-description">{preview.description}</span>}
    </div>
  );
}

/** Who took a message back: its sender (撤回), or an owner or admin who removed it. */
function recallText(message: Message, mine: boolean, name: string): string {
  const byStaff = message.recalledBy != null && message.recalledBy !== message.sender?.id;
  if (byStaff) return mine ? t('chat.recalledMineByAdmin') : t('chat.recalledByAdmin');
  return mine ? t('chat.recalledMine') : t('chat.recalled', { name });
}

export function MessageItem(props: {
  message: Message;
  replyTarget: Message | null;
  mine: boolean;
  canModerate: boolean;
  pinned: boolean;
  hidden: boolean;
  reactions: ReactionCount[];
  previews: LinkPreview[];
  members: Member[] | null;
  myUsername: string | null;
  /** Display names for the ids in system messages. */
  nameOf: (userId: string) => string | undefined;
  actions: MessageActions;
}) {
  const { message, mine, actions } = props;
  const press = useMessagePress(message.seq);
  if (message.kind === 'system') {
    return (
      <li class="system-message" data-seq={message.seq} data-event={String(message.data?.event ?? '')}>
        <span>{systemText(message, props.nameOf)}</span>
      </li>
    );
  }
  // A deleted account's messages stay; the server's "deleted user" is said in the reader's language.
  const name = message.sender?.deleted ? t('chat.deletedUser') : (message.sender?.displayName ?? t('chat.system'));
  if (message.recalledAt) {
    return (
      <li class="system-message recalled" data-seq={message.seq}>
        <span>{recallText(message, mine, name)}</span>
      </li>
    );
  }
  // 接龙, polls, meetups and challenges: their card in place of the bubble (components/community/).
  const card = !props.hidden && isCommunityCard(message);
  return (
    <li class={mine ? 'message mine' : 'message'} data-seq={message.seq} tabIndex={-1} aria-label={`${name} ${formatTime(message.createdAt)}`} {...press}>
      <SenderButton message={message} label={t('people.openCard', { name })} avatar>
        <Avatar name={name} id={message.sender?.id ?? 'system'} />
      </SenderButton>
      <div class="bubble-wrap">
        <div class="meta">
          <SenderButton message={message} label={t('people.openCard', { name })}>
            <span class="sender">{name}</span>
          </SenderButton>
          {message.sender?.kind === 'bot' && <span class="tag bot-tag">{t('chat.bot')}</span>}
          <time dateTime={message.createdAt} title={formatDateTime(message.createdAt)}>
            {formatTime(message.createdAt)}
          </time>
          <EditedMark message={message} />
          {props.pinned && <span class="tag pin-tag">📌 {t('chat.pinned')}</span>}
        </div>
        {message.replyTo !== null && <ReplyQuote seq={message.replyTo} target={props.replyTarget} />}
        {card && <CommunityCard message={message} staff={props.canModerate} />}
        {!card && !props.hidden && <CheckinNoteLine message={message} />}
        {!card && <ForwardedFrom message={message} />}
        {!card && (
          <EditableText message={message}>
            {(props.hidden || message.text !== '' || attachmentsOf(message).length === 0) && (
              <div class="bubble">
                {props.hidden ? <em class="muted">{t('chat.hidden')}</em> : <RichText text={message.text} members={props.members} myUsername={props.myUsername} />}
              </div>
            )}
          </EditableText>
        )}
        {!props.hidden && <MessageAttachments attachments={attachmentsOf(message)} />}
        {!props.hidden && props.previews.map((preview) => <PreviewCard key={preview.url} preview={preview} />)}
        {props.reactions.length > 0 && (
          <div class="reactions">
            {props.reactions.map((r) => (
              <button type="button" key={r.emoji} class={r.mine ? 'reaction mine' : 'reaction'} aria-pressed={r.mine} onClick={() => actions.react(message, r.emoji)}>
                {r.emoji} {r.count}
              </button>
            ))}
          </div>
        )}
        <div class="actions" role="toolbar" aria-label={t('chat.messageActions')}>
          <button type="button" class="ghost small" onClick={() => actions.reply(message)}>
            {t('chat.reply')}
          </button>
          <details class="react-picker">
            <summary class="ghost small" aria-label={t('chat.react')}>
              🙂+
            </summary>
            <div class="react-options">
              {QUICK_REACTIONS.map((emoji) => (
                <button
                  type="button"
                  key={emoji}
                  class="ghost"
                  onClick={(e) => {
                    (e.currentTarget.closest('details') as HTMLDetailsElement).open = false;
                    actions.react(message, emoji);
                  }}
                >
                  {emoji}
                </button>
              ))}
              <button
                type="button"
                class="ghost react-more"
                aria-label={t('emoji.more')}
                title={t('emoji.more')}
                onClick={(e) => {
                  const details = e.currentTarget.closest('details') as HTMLDetailsElement;
                  details.open = false;
                  const summary = details.querySelector('summary');
                  openEmojiPicker({ onPick: (emoji) => actions.react(message, emoji), anchor: summary, returnFocus: () => summary });
                }}
              >
                +
              </button>
            </div>
          </details>
          {(mine || props.canModerate) && (
            <button type="button" class="ghost small" onClick={() => actions.recall(message)}>
              {t('chat.recall')}
            </button>
          )}
          {props.canModerate && (
            <button type="button" class="ghost small" onClick={() => actions.pin(message)}>
              {props.pinned ? t('chat.unpin') : t('chat.pin')}
            </button>
          )}
          {!mine && (
            <button type="button" class="ghost small" onClick={() => actions.report(message)}>
              {t('chat.report')}
            </button>
          )}
          <MessageMenu message={message} canModerate={props.canModerate} />
        </div>
      </div>
    </li>
  );
}

/** The sender's name or avatar, opening their profile card (a deleted account has none). */
function SenderButton({ message, label, avatar = false, children }: { message: Message; label: string; avatar?: boolean; children: ComponentChildren }) {
  const sender = message.sender;
  if (!sender || sender.deleted) return <>{children}</>;
  return (
    <button type="button" class={avatar ? 'sender-button avatar-button' : 'sender-button'} aria-label={avatar ? label : undefined} onClick={() => openProfileCard(sender.id)}>
      {children}
    </button>
  );
}

function ReplyQuote({ seq, target }: { seq: number; target: Message | null }) {
  const jump = () => document.querySelector(`[data-seq="${seq}"]`)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  return (
    <button type="button" class="reply-quote" onClick={jump}>
      {target ? (
        <>
          <strong>{target.sender?.displayName ?? t('chat.system')}</strong>: <span>{target.recalledAt ? '…' : target.text.slice(0, 140) || attachmentSummary(attachmentsOf(target))}</span>
        </>
      ) : (
        <span class="muted">↩ {t('chat.unknownReply')}</span>
      )}
    </button>
  );
}

/** A message of mine not (yet) stored: sending, failed, held for review or blocked, with the reason. */
export function PendingItem({ pending, name, myId, onRetry, onDiscard }: { pending: PendingMessage; name: string; myId: string; onRetry: () => void; onDiscard: () => void }) {
  const label = { sending: t('chat.sending'), failed: t('chat.failed'), held: t('chat.held'), blocked: t('chat.blocked') }[pending.status];
  const reasons = (pending.error?.details?.reasons as SafetyReason[] | undefined) ?? [];
  return (
    <li class={`message mine pending status-${pending.status}`} data-client-msg-id={pending.clientMsgId}>
      <Avatar name={name} id={myId} />
      <div class="bubble-wrap">
        {(pending.text !== '' || pending.attachments.length === 0) && (
          <div class="bubble">
            <span class="text">{pending.text}</span>
          </div>
        )}
        <MessageAttachments attachments={pending.attachments} />
        {pending.attachments.map((a) => (
          <AttachmentStatus key={a.id} attachment={a} />
        ))}
        <div class="pending-status" role={pending.status === 'sending' ? undefined : 'status'}>
          <span class="pending-label">{label}</span>
          {pending.error && (
            // The codes stay out of sight (a member reads sentences, in their language); they are in
            // data-code and the tooltip for whoever helps them.
            <span class="send-error" data-code={pending.error.code} title={pending.error.code}>
              {' '}
              {errorText(pending.error)}
              {reasons.length > 0 && (
                <ul class="reasons">
                  {reasons.map((r) => (
                    <li key={r.code} data-code={r.code} title={r.code}>
                      {reasonText(r)}
                    </li>
                  ))}
                </ul>
              )}
            </span>
          )}
          {pending.status === 'failed' && (
            <button type="button" class="link" onClick={onRetry}>
              {t('chat.retry')}
            </button>
          )}
          {pending.status !== 'sending' && (
            <button type="button" class="link" onClick={onDiscard}>
              {t('chat.discard')}
            </button>
          )}
        </div>
      </div>
    </li>
  );
}

/** A photo check-in's message (its data a check-in note): which challenge it checks in, above the words and photos. */
function CheckinNoteLine({ message }: { message: Message }) {
  const data = message.data as { event?: string; title?: string; streak?: number } | null;
  if (message.kind !== 'text' || data?.event !== 'checkin' || message.recalledAt) return null;
  return <p class="checkin-note">🔥 {t('checkins.note', { title: data.title ?? '', streak: data.streak ?? 1 })}</p>;
}
