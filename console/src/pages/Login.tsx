// Sign-in: email and password, then a TOTP code when the account has one, or enrolment with a QR
// code when the role needs a second factor and the account has none yet.
import { Alert, Anchor, Box, Button, Center, Code, Group, Image, Paper, PasswordInput, PinInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type Enrolment, type Me } from '../api';
import { useI18n } from '../i18n';
import { LanguageSwitch } from '../Shell';

type Step = 'password' | 'totp' | 'enrol';

export function AuthFrame({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={420} component="main">
        <Group justify="space-between" mb="lg" wrap="nowrap">
          <Title order={1} size="h3" style={{ flex: 1, minWidth: 0 }}>
            {title}
          </Title>
          <Box style={{ flexShrink: 0 }}>
            <LanguageSwitch />
          </Box>
        </Group>
        {children}
      </Paper>
    </Center>
  );
}

export function Login({ onSignedIn, notice }: { onSignedIn: (me: Me) => void; notice?: string }) {
  const { t } = useI18n();
  const [step, setStep] = useState<Step>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [enrolment, setEnrolment] = useState<Enrolment>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const submitPassword = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const result = await api.login(email, password);
      setPassword('');
      if (result.status === 'signed-in') onSignedIn(result.me);
      else setStep(result.status === 'totp-required' ? 'totp' : 'enrol');
    });
  };

  useEffect(() => {
    if (step === 'enrol' && !enrolment) void run(async () => setEnrolment(await api.enrol()));
  }, [step, enrolment]);

  const submitCode = (e?: FormEvent) => {
    e?.preventDefault();
    void run(async () => {
      const result = step === 'totp' ? await api.totp(code) : await api.confirmEnrolment(code);
      onSignedIn(result.me);
    }).finally(() => setCode(''));
  };

  const errorBox = error && (
    <Alert color="red" role="alert" mb="md">
      {error}
    </Alert>
  );

  if (step === 'password') {
    return (
      <AuthFrame title={t('login.title')}>
        {notice && !error && (
          <Alert color="yellow" role="status" mb="md">
            {notice}
          </Alert>
        )}
        {errorBox}
        <form onSubmit={submitPassword} noValidate>
          <Stack>
            <TextInput label={t('login.email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
            <PasswordInput visibilityToggleButtonProps={{ 'aria-label': t('login.showPassword') }} label={t('login.password')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <Button type="submit" loading={busy} fullWidth>
              {t('login.submit')}
            </Button>
          </Stack>
        </form>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame title={t(step === 'totp' ? 'login.totpTitle' : 'login.enrolTitle')}>
      {errorBox}
      <form onSubmit={submitCode}>
        <Stack>
          <Text size="sm">{t(step === 'totp' ? 'login.totpHelp' : 'login.enrolHelp')}</Text>
          {step === 'enrol' && enrolment && (
            <Stack align="center" gap="xs">
              <Image src={enrolment.qrCode} alt={t('login.enrolQr')} w={200} h={200} />
              <Text size="xs">
                {t('login.enrolSecret')}: <Code>{enrolment.secret}</Code>
              </Text>
            </Stack>
          )}
          <div>
            <Text component="label" htmlFor="totp-code" size="sm" fw={500}>
              {t('login.totpCode')}
            </Text>
            <PinInput id="totp-code" length={6} type="number" oneTimeCode value={code} onChange={setCode} onComplete={() => undefined} aria-label={t('login.totpCode')} />
          </div>
          <Button type="submit" loading={busy} disabled={code.length !== 6} fullWidth>
            {t('login.totpSubmit')}
          </Button>
          <Anchor component="button" type="button" size="sm" onClick={() => window.location.assign('/admin/login')}>
            {t('login.back')}
          </Anchor>
        </Stack>
      </form>
    </AuthFrame>
  );
}
