// The one-time link `/admin/set-password#token=T`: the token stays in the fragment (never in a
// server log or a Referer) and is read here.
import { Alert, Anchor, Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { useI18n } from '../i18n';
import { AuthFrame } from './Login';

function tokenFromFragment(): string | undefined {
  return new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? undefined;
}

export function SetPassword() {
  const { t } = useI18n();
  const [token] = useState(tokenFromFragment);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password !== repeat) return setError(t('setPassword.mismatch'));
    setBusy(true);
    setError(undefined);
    try {
      await api.setPassword(token!, password);
      setDone(true);
      // The token is spent; keep it out of the address bar and history.
      window.history.replaceState(null, '', '/admin/set-password');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const toLogin = <Anchor href="/admin/login">{t('setPassword.toLogin')}</Anchor>;
  return (
    <AuthFrame title={t('setPassword.title')}>
      {!token ? (
        <Stack>
          <Alert color="red" role="alert">
            {t('setPassword.noToken')}
          </Alert>
          {toLogin}
        </Stack>
      ) : done ? (
        <Stack>
          <Alert color="teal" role="status">
            {t('setPassword.done')}
          </Alert>
          {toLogin}
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Text size="sm">{t('setPassword.help')}</Text>
            <PasswordInput visibilityToggleButtonProps={{ 'aria-label': t('login.showPassword') }} label={t('setPassword.password')} autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <PasswordInput visibilityToggleButtonProps={{ 'aria-label': t('login.showPassword') }} label={t('setPassword.repeat')} autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.currentTarget.value)} />
            <Button type="submit" loading={busy}>
              {t('setPassword.submit')}
            </Button>
          </Stack>
        </form>
      )}
    </AuthFrame>
  );
}
