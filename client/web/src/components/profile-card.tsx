/**
 * A person's profile card (名片): opened by tapping a name or an avatar in a message or the member
 * list. It shows only what the person chose to show (name, bio, avatar or initial, online when
 * they show it) and offers "Message" (into our DM room, or a message request when they take
 * DMs only from contacts) and "Block". `openProfileCard(id)` opens it from anywhere;
 * <ProfileCardHost /> (rendered once, by the shell) draws it.
 */
import { useEffect, useState } from 'preact/hooks';
import { reasonText, t } from '../i18n/index.ts';
import type { PublicProfile } from '../state/people.ts';
import type { SafetyReason, View, WireError } from '../state/store.ts';
import { thumbUrl } from '../media/attachment-view.ts';
import { Avatar, ErrorLine, toWireError, useStore } from './common.tsx';
import { DialogFrame } from './dialog.tsx';

let show: ((userId: string) => void) | null = null;

export function openProfileCard(userId: string): void {
  show?.(userId);
}

/** The person's avatar picture when they have one and media may load; their initial otherwise. */
export function ProfileAvatar({ profile, size = 64 }: { profile: Pick<PublicProfile, 'id' | 'displayName' | 'avatar'>; size?: number }) {
  const store = useStore();
  if (profile.avatar && store.mediaReady) {
    return <img class="avatar avatar-img" src={thumbUrl(profile.avatar)} alt="" width={size} height={size} style={{ width: `${size}px`, height: `${size}px` }} />;
  }
  return <Avatar name={profile.displayName} id={profile.id} size={size} />;
}

export function ProfileCardHost({ navigate }: { navigate: (view: View) => void }) {
  const [userId, setUserId] = useState<string | null>(null);
  useEffect(() => {
    show = setUserId;
    return () => {
      show = null;
    };
  }, []);
  if (!userId) return null;
  return <ProfileCard key={userId} userId={userId} onClose={() => setUserId(null)} navigate={navigate} />;
}

/** The reasons the safety rules gave, under the error line. */
export function SafetyReasons({ error }: { error: WireError | null }) {
  const reasons = (error?.details?.reasons as SafetyReason[] | undefined) ?? [];
  if (reasons.length === 0) return null;
  return (
    <ul class="reasons">
      {reasons.map((r) => (
        <li key={r.code} data-code={r.code}>
          {reasonText(r)}
        </li>
      ))}
    </ul>
  );
}

function ProfileCard({ userId, onClose, navigate }: { userId: string; onClose: () => void; navigate: (view: View) => void }) {
  const store = useStore();
  const people = store.people;
  const [profile, setProfile] = useState<PublicProfile | null>(people.profiles.get(userId) ?? null);
  const [error, setError] = useState<WireError | null>(null);
  const [writing, setWriting] = useState(false);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirmBlock, setConfirmBlock] = useState(false);
  useEffect(() => {
    people.profile(userId).then(setProfile, (e: unknown) => setError(toWireError(e)));
  }, [userId]);

  const isMe = userId === store.me?.id;
  const blocked = people.isBlocked(userId);
  const pending = store.dms.pendingTo(userId);
  const dmRoom = store.dms.roomWith(userId);
  const canMessage = !!profile && !isMe && profile.kind === 'user' && !profile.deleted;
  const peer = profile ? { id: profile.id, username: profile.username, displayName: profile.displayName } : null;

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(toWireError(e));
    } finally {
      setBusy(false);
    }
  };
  const message = () => {
    if (dmRoom) {
      onClose();
      navigate({ kind: 'room', roomId: dmRoom });
    } else setWriting(true);
  };
  const send = () =>
    act(async () => {
      if (!peer || !text.trim()) return;
      const outcome = await store.dms.send(peer, text.trim());
      setText('');
      setWriting(false);
      if (outcome.kind === 'sent') {
        onClose();
        navigate({ kind: 'room', roomId: outcome.roomId });
      }
    });

  return (
    <DialogFrame labelledBy="profile-card-name" onCancel={onClose} onSubmit={() => (writing ? void send() : undefined)}>
      <div class="profile-card" data-user-id={userId}>
        <div class="profile-card-head">
          {profile ? <ProfileAvatar profile={profile} /> : <span class="avatar" style={{ width: '64px', height: '64px' }} />}
          <div class="profile-card-names">
            <h3 id="profile-card-name">
              {profile ? (profile.deleted ? t('chat.deletedUser') : profile.displayName) : t('common.loading')}
              {profile?.online && <span class="dot" aria-label={t('people.online')} title={t('people.online')} />}
            </h3>
            {profile && !profile.deleted && <p class="muted small">@{profile.username}</p>}
            {profile?.kind === 'bot' && <span class="tag bot-tag">{t('chat.bot')}</span>}
          </div>
        </div>
        {profile && <p class="profile-bio">{profile.bio || <span class="muted">{t('people.noBio')}</span>}</p>}
        {blocked && <p class="notice">{t('people.youBlocked')}</p>}
        {pending && (
          <div class="notice dm-pending" role="status">
            <p>{t('dm.requestWaiting', { name: pending.recipient.displayName })}</p>
            <blockquote class="muted">{pending.text}</blockquote>
          </div>
        )}
        {writing && canMessage && !pending && (
          <label class="dm-compose">
            <span>{t('dm.firstMessage', { name: profile.displayName })}</span>
            <textarea
              maxLength={4000}
              rows={3}
              value={text}
              data-autofocus
              onInput={(e) => setText(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
                  e.preventDefault();
                  void send();
                }
              }}
            />
            <span class="muted small">{t('dm.requestHint')}</span>
          </label>
        )}
        <ErrorLine error={error} />
        <SafetyReasons error={error} />
        {confirmBlock && profile && (
          <div class="notice block-confirm" role="group" aria-labelledby="block-confirm-text">
            <p id="block-confirm-text">{t('people.blockConfirm', { name: profile.displayName })}</p>
            <div class="row">
              <button type="button" onClick={() => setConfirmBlock(false)}>
                {t('common.cancel')}
              </button>
              <button
                type="button"
                class="primary danger-fill"
                disabled={busy}
                onClick={() =>
                  void act(async () => {
                    await people.block({ id: profile.id, username: profile.username, displayName: profile.displayName });
                    setConfirmBlock(false);
                  })
                }
              >
                {t('people.block')}
              </button>
            </div>
          </div>
        )}
      </div>
      <div class="dialog-actions profile-actions">
        <button type="button" onClick={onClose}>
          {t('common.close')}
        </button>
        {isMe && (
          <button
            type="button"
            class="primary"
            onClick={() => {
              onClose();
              navigate({ kind: 'me' });
            }}
          >
            {t('people.editMine')}
          </button>
        )}
        {canMessage && !blocked &&
          (writing && !pending ? (
            <button type="submit" class="primary" disabled={busy || !text.trim()}>
              {t('dm.send')}
            </button>
          ) : (
            <button type="button" class="primary" onClick={message} disabled={!!pending && !dmRoom}>
              {t('dm.message')}
            </button>
          ))}
        {profile && !isMe && !profile.deleted &&
          (blocked ? (
            <button type="button" disabled={busy} onClick={() => void act(() => people.unblock(profile.id))}>
              {t('people.unblock')}
            </button>
          ) : (
            !confirmBlock && (
              <button type="button" class="danger" onClick={() => setConfirmBlock(true)}>
                {t('people.block')}
              </button>
            )
          ))}
      </div>
    </DialogFrame>
  );
}
