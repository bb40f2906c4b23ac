/**
 * 我: my profile as others see it (display name and bio, through the safety rules), who may
 * message me and whether I am shown online, and the people I blocked.
 */
import { useEffect, useState } from 'preact/hooks';
import type { DmsFrom } from '../../../../shared/people.ts';
import { formatDateTime, t, type MessageKey } from '../i18n/index.ts';
import type { View, WireError } from '../state/store.ts';
import { ErrorLine, toWireError, useStore } from './common.tsx';
import { ProfileAvatar, SafetyReasons, openProfileCard } from './profile-card.tsx';

const DMS_FROM: DmsFrom[] = ['anyone', 'room-members', 'contacts', 'nobody'];
const BIO_MAX = 280;

export function MeView({ navigate }: { navigate: (view: View) => void }) {
  const store = useStore();
  useEffect(() => {
    if (!store.me) return;
    void store.people.profile(store.me.id).catch(() => {});
    void store.people.loadPrivacy().catch(() => {});
    void store.people.load().catch(() => {});
  }, [store.me?.id]);
  return (
    <section class="chat me-view" aria-labelledby="me-title">
      <header class="chat-head">
        <button type="button" class="ghost back" onClick={() => navigate({ kind: 'home' })} aria-label={t('chat.back')}>
          ‹
        </button>
        <div class="chat-title">
          <h2 id="me-title">{t('people.mine')}</h2>
          {store.me && <p class="muted">@{store.me.username}</p>}
        </div>
      </header>
      <div class="me-body">
        <ProfileForm />
        <PrivacyForm />
        <BlockList />
      </div>
    </section>
  );
}

function ProfileForm() {
  const store = useStore();
  const mine = store.people.mine;
  const [name, setName] = useState(store.me?.displayName ?? '');
  const [bio, setBio] = useState(mine?.bio ?? '');
  const [error, setError] = useState<WireError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  // The account and the card arrive after the first render: fill the fields in once, unless already edited.
  useEffect(() => {
    if (store.me && name === '') setName(store.me.displayName);
  }, [store.me?.displayName]);
  useEffect(() => {
    if (mine && bio === '') setBio(mine.bio);
  }, [mine?.bio]);
  const field = typeof error?.details?.field === 'string' ? error.details.field : null;
  return (
    <form
      class="card me-section profile-form"
      aria-labelledby="profile-form-title"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        setSaved(false);
        const body = { ...(name.trim() !== store.me?.displayName ? { displayName: name.trim() } : {}), ...(bio !== (mine?.bio ?? '') ? { bio } : {}) };
        store.people
          .editProfile(body)
          .then(
            () => setSaved(true),
            (e: unknown) => setError(toWireError(e)),
          )
          .finally(() => setBusy(false));
      }}
    >
      <h3 id="profile-form-title">{t('people.profile')}</h3>
      <div class="profile-preview">
        {store.me && <ProfileAvatar profile={mine ?? { id: store.me.id, displayName: store.me.displayName, avatar: null }} size={48} />}
        <button type="button" class="link" onClick={() => store.me && openProfileCard(store.me.id)}>
          {t('people.seeCard')}
        </button>
      </div>
      <label>
        {t('auth.displayName')}
        <input name="displayName" required minLength={1} maxLength={64} value={name} aria-invalid={field?.includes('displayName') || undefined} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        {t('people.bio')}
        <textarea name="bio" maxLength={BIO_MAX} rows={3} value={bio} aria-invalid={field?.includes('bio') || undefined} onInput={(e) => setBio(e.currentTarget.value)} />
        <span class="muted small">
          {bio.length}/{BIO_MAX}
        </span>
      </label>
      <ErrorLine error={error} />
      <SafetyReasons error={error} />
      {saved && (
        <p class="notice" role="status">
          {t('people.saved')}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy || !name.trim()}>
        {t('panel.save')}
      </button>
    </form>
  );
}

function PrivacyForm() {
  const store = useStore();
  const privacy = store.people.privacy;
  const [error, setError] = useState<WireError | null>(null);
  const [saved, setSaved] = useState(false);
  const change = (next: Parameters<typeof store.people.setPrivacy>[0]) => {
    setError(null);
    setSaved(false);
    store.people.setPrivacy(next).then(
      () => setSaved(true),
      (e: unknown) => setError(toWireError(e)),
    );
  };
  return (
    <section class="card me-section privacy-form" aria-labelledby="privacy-title">
      <h3 id="privacy-title">{t('people.privacy')}</h3>
      {!privacy ? (
        <p class="muted">{t('common.loading')}</p>
      ) : (
        <>
          <fieldset>
            <legend>{t('people.dmsFrom')}</legend>
            {DMS_FROM.map((value) => (
              <label key={value} class="radio">
                <input type="radio" name="dmsFrom" value={value} checked={privacy.dmsFrom === value} onChange={() => change({ dmsFrom: value })} />
                <span>{t(`people.dmsFrom.${value}` as MessageKey)}</span>
              </label>
            ))}
          </fieldset>
          <label class="checkbox">
            <input type="checkbox" name="showPresence" checked={privacy.showPresence} onChange={(e) => change({ showPresence: e.currentTarget.checked })} />
            <span>{t('people.showPresence')}</span>
          </label>
        </>
      )}
      <ErrorLine error={error} />
      {saved && (
        <p class="notice" role="status">
          {t('people.saved')}
        </p>
      )}
    </section>
  );
}

function BlockList() {
  const store = useStore();
  const [error, setError] = useState<WireError | null>(null);
  const blocks = store.people.blocks;
  return (
    <section class="card me-section block-list" aria-labelledby="blocks-title">
      <h3 id="blocks-title">{t('people.blocked')}</h3>
      <p class="muted small">{t('people.blockedAbout')}</p>
      {blocks.length === 0 && <p class="muted">{t('people.blockedNone')}</p>}
      <ul class="plain-list">
        {blocks.map((b) => (
          <li key={b.id} data-user-id={b.id}>
            <span class="block-name">
              {b.displayName} <span class="muted small">@{b.username}</span>
              <span class="muted small"> · {formatDateTime(b.blockedAt)}</span>
            </span>
            <button type="button" class="small" onClick={() => store.people.unblock(b.id).catch((e: unknown) => setError(toWireError(e)))}>
              {t('people.unblock')}
            </button>
          </li>
        ))}
      </ul>
      <ErrorLine error={error} />
    </section>
  );
}
