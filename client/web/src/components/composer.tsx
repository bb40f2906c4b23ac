/**
 * The composer: text with @mention suggestions (keyboard and IME safe), the reply being written,
 * the speaking rules that apply now, and the files on their way (composer-uploads.tsx).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TargetedKeyboardEvent } from 'preact';
import type { Member, Message, Room } from '../../../../shared/schemas.ts';
import { formatDateTime, t } from '../i18n/index.ts';
import { attachmentsOf } from '../media/attachment-view.ts';
import { attachmentSummary } from './attachments.tsx';
import { openEmojiPicker } from './emoji-picker.tsx';
import { useStore } from './common.tsx';
import { AttachButton, UploadTray, type Uploads } from './composer-uploads.tsx';
import { CreateMenu } from './community/create-menu.tsx';

interface Suggestion {
  username: string;
  label: string;
}

export function Composer(props: { roomId: string; room: Room; role: string; members: Member[] | null; replyTo: Message | null; onCancelReply: () => void; uploads: Uploads }) {
  const store = useStore();
  const input = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState('');
  const [mention, setMention] = useState<{ query: string; start: number } | null>(null);
  const [choice, setChoice] = useState(0);
  const staff = props.role === 'owner' || props.role === 'admin';
  const myMember = props.members?.find((m) => m.user.id === store.me?.id);
  const mutedUntil = myMember?.mutedUntil && new Date(myMember.mutedUntil).getTime() > Date.now() ? myMember.mutedUntil : null;
  // Muted, or everyone muted and I am not staff: nothing I write could be sent, so nothing can be written.
  const silenced = Boolean(mutedUntil) || (props.room.muteAll && !staff);

  useEffect(() => {
    setText('');
    setMention(null);
  }, [props.roomId]);

  const suggestions: Suggestion[] = mention
    ? [
        ...(staff ? [{ username: 'all', label: t('chat.mentionAll') }] : []),
        ...(props.members ?? []).filter((m) => m.user.id !== store.me?.id).map((m) => ({ username: m.user.username, label: m.nickname ?? m.user.displayName })),
      ]
        .filter((s) => s.username.startsWith(mention.query.toLowerCase()) || s.label.toLowerCase().includes(mention.query.toLowerCase()))
        .slice(0, 8)
    : [];

  const updateMention = (value: string, caret: number) => {
    const before = value.slice(0, caret);
    const match = /(?:^|[^A-Za-z0-9_.%+-])@([A-Za-z0-9_]{0,32})$/.exec(before);
    if (match) {
      setMention({ query: match[1]!, start: caret - match[1]!.length - 1 });
      setChoice(0);
    } else setMention(null);
  };

  const pick = (s: Suggestion) => {
    if (!mention) return;
    const el = input.current!;
    const caret = el.selectionStart ?? text.length;
    const next = `${text.slice(0, mention.start)}@${s.username} ${text.slice(caret)}`;
    setText(next);
    setMention(null);
    const at = mention.start + s.username.length + 2;
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(at, at);
    });
  };

  // An emoji from the picker goes where the caret was (over the selection, if any).
  const insertEmoji = (anchor: HTMLElement) => {
    const el = input.current;
    if (!el) return;
    const from = el.selectionStart ?? el.value.length;
    const to = el.selectionEnd ?? from;
    openEmojiPicker({
      anchor,
      returnFocus: () => input.current,
      onPick: (emoji) => {
        const value = el.value;
        setText(value.slice(0, from) + emoji + value.slice(to));
        const at = from + emoji.length;
        requestAnimationFrame(() => {
          el.focus();
          el.setSelectionRange(at, at);
        });
      },
    });
  };

  // Slow mode: how long until I may send again, counted down each second.
  const slowUntil = !staff && props.room.slowModeSeconds > 0 ? (store.lastSentAt.get(props.roomId) ?? 0) + props.room.slowModeSeconds * 1000 : 0;
  const [now, setNow] = useState(Date.now());
  const waitSeconds = Math.max(0, Math.ceil((slowUntil - now) / 1000));
  useEffect(() => {
    if (slowUntil <= Date.now()) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [slowUntil]);

  const uploads = props.uploads;
  // Text, attachments or both; not while a file is still on its way (it would be left behind).
  const canSend = waitSeconds === 0 && !uploads.uploading && (text.trim() !== '' || uploads.ready > 0);
  const send = () => {
    const value = text.trim();
    if (!canSend) return;
    store.send(props.roomId, value, props.replyTo?.seq ?? null, uploads.take());
    setText('');
    setMention(null);
    props.onCancelReply();
  };

  const onKeyDown = (event: TargetedKeyboardEvent<HTMLTextAreaElement>) => {
    // An IME composing Chinese uses Enter to confirm a candidate: that must not send.
    if (event.isComposing || event.keyCode === 229) return;
    if (mention && suggestions.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setChoice((choice + (event.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        pick(suggestions[choice] ?? suggestions[0]!);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setMention(null);
        return;
      }
    }
    if (event.key === 'Escape' && props.replyTo) props.onCancelReply();
    // ↑ in an empty box edits my last message (message-edits.ts), as Telegram and Discord do.
    const last = event.key === 'ArrowUp' && text === '' && !props.replyTo ? store.edits.lastEditable(props.roomId) : null;
    if (last) {
      event.preventDefault();
      store.edits.start(last);
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      send();
    }
  };

  const notice = mutedUntil
    ? new Date(mutedUntil).getFullYear() >= 9999
      ? t('chat.mutedForever')
      : t('chat.muted', { until: formatDateTime(mutedUntil) })
    : props.room.muteAll && !staff
      ? t('chat.muteAllOn')
      : waitSeconds > 0
        ? t('chat.slowModeWait', { seconds: waitSeconds })
        : props.room.slowModeSeconds > 0 && !staff
          ? t('chat.slowMode', { seconds: props.room.slowModeSeconds })
          : null;

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {notice && <p class="composer-notice">{notice}</p>}
      {props.replyTo && (
        <div class="replying">
          <span>
            {t('chat.replyingTo', { name: props.replyTo.sender?.displayName ?? t('chat.system') })}: <span class="muted">{props.replyTo.text.slice(0, 80) || attachmentSummary(attachmentsOf(props.replyTo))}</span>
          </span>
          <button type="button" class="ghost small" onClick={props.onCancelReply} aria-label={t('chat.cancelReply')}>
            ✕
          </button>
        </div>
      )}
      {mention && suggestions.length > 0 && (
        <ul class="mention-list" role="listbox" id="mention-list" aria-label="@">
          {suggestions.map((s, i) => (
            <li
              key={s.username}
              role="option"
              id={`mention-${i}`}
              aria-selected={i === choice}
              class={i === choice ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(s);
              }}
            >
              <strong>{s.label}</strong> <span class="muted">@{s.username}</span>
            </li>
          ))}
        </ul>
      )}
      <UploadTray uploads={uploads} />
      <div class="composer-row">
        <AttachButton uploads={uploads} disabled={silenced} />
        {props.room.kind !== 'dm' && <CreateMenu roomId={props.roomId} staff={staff} disabled={silenced} />}
        <button type="button" class="ghost composer-emoji" aria-label={t('emoji.insert')} title={t('emoji.insert')} disabled={silenced} onClick={(e) => insertEmoji(e.currentTarget)}>
          🙂
        </button>
        <textarea
          id="composer-input"
          ref={input}
          rows={1}
          maxLength={4000}
          placeholder={t('chat.placeholder')}
          aria-label={t('chat.placeholder')}
          aria-autocomplete="list"
          aria-controls={mention ? 'mention-list' : undefined}
          aria-activedescendant={mention && suggestions.length > 0 ? `mention-${choice}` : undefined}
          value={text}
          disabled={silenced}
          onInput={(e) => {
            const el = e.currentTarget;
            setText(el.value);
            updateMention(el.value, el.selectionStart ?? el.value.length);
            if (el.value) store.typingNotices.typing(props.roomId);
            else store.typingNotices.stop();
          }}
          onKeyDown={onKeyDown}
          onPaste={(e) => {
            // A screenshot or a copied file: attach it; pasted text stays text.
            const files = e.clipboardData?.files;
            if (files && files.length > 0) {
              e.preventDefault();
              uploads.add(files);
            }
          }}
          onBlur={() => setTimeout(() => setMention(null), 150)}
        />
        <button type="submit" class="primary" disabled={!canSend} title={uploads.uploading ? t('media.waitUploads') : undefined}>
          {t('chat.send')}
        </button>
      </div>
    </form>
  );
}
