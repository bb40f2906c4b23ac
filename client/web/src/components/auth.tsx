/** Sign in and sign up. */
import { useState } from 'preact/hooks';
import type { TargetedEvent } from 'preact';
import { t } from '../i18n/index.ts';
import type { QuanziClient } from '../../../sdk/index.ts';
import { ErrorLine, useAction } from './common.tsx';
import { LanguageSwitch } from './language.tsx';

export function AuthScreen({ client, onSignedIn, notice }: { client: QuanziClient; onSignedIn: (token: string) => void; notice: string | null }) {
  const [mode, setMode] = useState<'signIn' | 'signUp'>('signIn');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const { busy, error, setError, run } = useAction();

  const submit = (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run(async () => {
      const auth =
        mode === 'signIn'
          ? await client.signIn({ username: username.trim(), password })
          : await client.signUp({ username: username.trim(), password, displayName: displayName.trim() || username.trim() });
      onSignedIn(auth.token);
    });
  };

  return (
    <main class="auth">
      <div class="auth-card">
        <div class="auth-head">
          <h1>
            {t('app.name')} {t('app.name') !== 'Quanzi' && <span class="muted">Quanzi</span>}
          </h1>
          <LanguageSwitch />
        </div>
        <p class="muted">{t('app.tagline')}</p>
        {notice && <p class="notice">{notice}</p>}
        <form onSubmit={submit} aria-label={mode === 'signIn' ? t('auth.signIn') : t('auth.signUp')}>
          <label>
            {t('auth.username')}
            <input
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellcheck={false}
              required
              // Sign-in accepts any case (the server lowercases); a new name must already be valid.
              pattern={mode === 'signUp' ? '[a-z0-9_]{3,32}' : undefined}
              data-invalid-text={t('auth.usernameInvalid')}
              value={username}
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
            {mode === 'signUp' && <small class="muted">{t('auth.usernameHint')}</small>}
          </label>
          {mode === 'signUp' && (
            <label>
              {t('auth.displayName')}
              <input name="displayName" autoComplete="nickname" maxLength={64} value={displayName} onInput={(e) => setDisplayName(e.currentTarget.value)} />
            </label>
          )}
          <label>
            {t('auth.password')}
            <input
              name="password"
              type="password"
              required
              minLength={mode === 'signUp' ? 8 : 1}
              autoComplete={mode === 'signIn' ? 'current-password' : 'new-password'}
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
            {mode === 'signUp' && <small class="muted">{t('auth.passwordHint')}</small>}
          </label>
          <ErrorLine error={error} />
          <button type="submit" class="primary" disabled={busy}>
            {mode === 'signIn' ? t('auth.signIn') : t('auth.signUp')}
          </button>
        </form>
        <button type="button" class="link" onClick={() => (setMode(mode === 'signIn' ? 'signUp' : 'signIn'), setError(null))}>
          {mode === 'signIn' ? t('auth.noAccount') : t('auth.haveAccount')}
        </button>
      </div>
    </main>
  );
}
