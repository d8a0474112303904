// A campaign that left the draft stage: its counters, refreshed every two seconds while it is under
// way, with pause, resume and cancel.
import { Alert, Anchor, Button, Card, Group, Modal, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type Campaign } from '../api';
import { useI18n, type MessageKey } from '../i18n';
import { useLinkProps } from '../router';
import { doneShare, Figure, StatusBadge } from './common';

const LIVE = new Set(['scheduled', 'sending', 'paused']);
const POLL_MS = 2000;

export function CampaignProgress({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const back = useLinkProps('/campaigns');
  const [campaign, setCampaign] = useState<Campaign>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const [askCancel, setAskCancel] = useState(false);

  const load = useCallback(() => api.campaign(id).then(setCampaign, (err: ApiError) => setError(err.message)), [id]);
  useEffect(() => {
    void load();
  }, [load]);
  const live = campaign ? LIVE.has(campaign.status) : true;
  useEffect(() => {
    if (!live) return;
    const timer = window.setInterval(() => void load(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [live, load]);

  const control = async (action: 'pause' | 'resume' | 'cancel') => {
    setBusy(action);
    setError(undefined);
    try {
      setCampaign(await api.control(id, action));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(undefined);
      setAskCancel(false);
    }
  };

  if (!campaign) return error ? <Alert color="red" role="alert">{error}</Alert> : null;
  const { percent, done, total } = doneShare(campaign.stats);
  const counters: Array<[MessageKey, number]> = [
    ['progress.queued', campaign.stats?.queued ?? 0],
    ['progress.sent', campaign.stats?.sent ?? 0],
    ['progress.skipped', campaign.stats?.skipped ?? 0],
    ['progress.failed', campaign.stats?.failed ?? 0],
  ];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{campaign.name}</Title>
        <Anchor {...back} size="sm">
          {t('editor.back')}
        </Anchor>
      </Group>
      <Group>
        <StatusBadge status={campaign.status} />
        <Text size="sm" c="dimmed">
          {campaign.list} · {campaign.subject}
        </Text>
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Card withBorder>
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={3} size="h4">
              {t('progress.title')}
            </Title>
            <Text size="sm" c="dimmed" aria-live="polite">
              {live ? t('progress.live') : campaign.status === 'sent' ? t('progress.done') : ''}
            </Text>
          </Group>
          {campaign.status === 'scheduled' && campaign.scheduledAt ? (
            // Nothing is counted before the start: say when it is, in the agency's time.
            <Text data-testid="scheduled-for">{t('progress.scheduledFor', { at: rigaTime(campaign.scheduledAt, lang) })}</Text>
          ) : (
            <>
              <Progress value={percent} size="lg" aria-label={t('progress.title')} animated={campaign.status === 'sending'} />
              <Text size="sm">
                {done}/{total} ({percent}%)
              </Text>
              <SimpleGrid cols={{ base: 2, sm: 4 }}>
                {counters.map(([label, value]) => (
                  <Figure key={label} label={label} value={value} />
                ))}
              </SimpleGrid>
            </>
          )}
        </Stack>
      </Card>
      {live && (
        <Group>
          {campaign.status === 'sending' && (
            <Button variant="light" onClick={() => control('pause')} loading={busy === 'pause'}>
              {t('progress.pause')}
            </Button>
          )}
          {campaign.status === 'paused' && (
            <Button onClick={() => control('resume')} loading={busy === 'resume'}>
              {t('progress.resume')}
            </Button>
          )}
          <Button color="red" variant="outline" onClick={() => setAskCancel(true)}>
            {t('progress.cancel')}
          </Button>
        </Group>
      )}
      <Modal opened={askCancel} onClose={() => setAskCancel(false)} title={t('progress.cancel')} centered>
        <Stack>
          <Text>{t('progress.cancelConfirm')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAskCancel(false)}>
              {t('send.cancel')}
            </Button>
            <Button color="red" onClick={() => control('cancel')} loading={busy === 'cancel'}>
              {t('progress.cancel')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

/** The agency's time, whatever the browser's zone: schedules are set and read in Riga time. */
function rigaTime(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'lv-LV', { timeZone: 'Europe/Riga', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
