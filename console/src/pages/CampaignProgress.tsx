// A campaign that left the draft stage: its counters, skip reasons, rate and time left, refreshed
// every two seconds while it is under way, with pause, resume and cancel; once it is over, the
// report of what came back (bounces, complaints, unsubscribes), without any open or click tracking.
import { Alert, Anchor, Button, Card, Group, List, Modal, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type Campaign, type CampaignReport } from '../api';
import { useI18n, type MessageKey } from '../i18n';
import { useLinkProps } from '../router';
import { doneShare, Figure, StatusBadge } from './common';

const LIVE = new Set(['scheduled', 'sending', 'paused']);
const POLL_MS = 2000;

export function CampaignProgress({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const back = useLinkProps('/campaigns');
  const [campaign, setCampaign] = useState<Campaign>();
  const [report, setReport] = useState<CampaignReport>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const [askCancel, setAskCancel] = useState(false);

  const load = useCallback(
    () =>
      Promise.all([api.campaign(id), api.report(id)]).then(
        ([c, r]) => {
          setCampaign(c);
          setReport(r);
        },
        (err: ApiError) => setError(err.message),
      ),
    [id],
  );
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
  const stats = report?.stats;
  const counters: Array<[MessageKey, number]> = [
    ['progress.queued', stats?.queued ?? campaign.stats?.queued ?? 0],
    ['progress.sent', stats?.sent ?? campaign.stats?.sent ?? 0],
    ['progress.skipped', stats?.skipped ?? campaign.stats?.skipped ?? 0],
    ['progress.failed', stats?.failed ?? campaign.stats?.failed ?? 0],
    ['report.ambiguous', stats?.ambiguous ?? 0],
    ['report.remaining', stats?.remaining ?? 0],
  ];
  const skipReasons = Object.entries(stats?.skipReasons ?? {}).filter(([, n]) => n > 0);
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
              <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }}>
                {counters.map(([label, value]) => (
                  <Figure key={label} label={t(label)} value={value} testId={label} />
                ))}
              </SimpleGrid>
              {campaign.status === 'sending' && report && (
                <SimpleGrid cols={2}>
                  <Figure label={t('report.rate')} value={report.ratePerMinute === null ? t('report.unknown') : t('report.ratePerMinute', { rate: report.ratePerMinute })} testId="report.rate" />
                  <Figure label={t('report.timeLeft')} value={timeLeft(report.secondsLeft, t)} testId="report.timeLeft" />
                </SimpleGrid>
              )}
              {skipReasons.length > 0 && (
                <div>
                  <Text size="sm" fw={500}>
                    {t('report.skipReasons')}
                  </Text>
                  <List size="sm" data-testid="skip-reasons">
                    {skipReasons.map(([reason, n]) => (
                      <List.Item key={reason}>
                        {SKIPS.has(reason) ? t(`report.skip.${reason}` as MessageKey) : reason}: {n}
                      </List.Item>
                    ))}
                  </List>
                </div>
              )}
            </>
          )}
        </Stack>
      </Card>
      {report && !live && <ReportCard report={report} />}
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

/** After the send: what came back, and what is deliberately not measured. */
function ReportCard({ report }: { report: CampaignReport }) {
  const { t, lang } = useI18n();
  const { feedback, unsubscribes } = report;
  const channels = Object.entries(unsubscribes.byChannel);
  return (
    <Card withBorder data-testid="campaign-report">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('report.title')}
        </Title>
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <Figure label={t('report.hardBounces')} value={feedback.hardBounces} testId="report.hardBounces" />
          <Figure label={t('report.softBounces')} value={feedback.softBounces} testId="report.softBounces" />
          <Figure label={t('report.complaints')} value={feedback.complaints} testId="report.complaints" />
          <Figure label={t('report.unsubscribes')} value={unsubscribes.people} testId="report.unsubscribes" />
        </SimpleGrid>
        {unsubscribes.people > 0 && (
          <>
            <Text size="sm">{t('report.unsubscribesPeople', { people: unsubscribes.people, events: unsubscribes.events })}</Text>
            <div>
              <Text size="sm" fw={500}>
                {t('report.byChannel')}
              </Text>
              <List size="sm">
                {channels.map(([channel, n]) => (
                  <List.Item key={channel}>
                    {CHANNELS.has(channel) ? t(`report.channel.${channel}` as MessageKey) : channel}: {n}
                  </List.Item>
                ))}
              </List>
            </div>
            {unsubscribes.effectDelay && (
              <Text size="sm" data-testid="report.effectDelay">
                {t('report.effectDelay', { median: duration(unsubscribes.effectDelay.medianMs, lang), max: duration(unsubscribes.effectDelay.maxMs, lang) })}
              </Text>
            )}
          </>
        )}
        <Alert color="blue" variant="light" data-testid="report.noTracking">
          {t('report.noTracking')}
        </Alert>
      </Stack>
    </Card>
  );
}

const SKIPS = new Set(['not-active', 'suppressed', 'restricted', 'unknown']);
const CHANNELS = new Set(['one-click', 'unsubscribe-page', 'mailbox', 'complaint', 'bounce', 'admin']);

function timeLeft(seconds: number | null, t: (key: MessageKey, vars?: Record<string, string | number>) => string): string {
  if (seconds === null) return t('report.unknown');
  if (seconds < 60) return t('report.seconds');
  return t('report.minutes', { minutes: Math.ceil(seconds / 60) });
}

function duration(ms: number, lang: string): string {
  const n = (value: number, digits: number) => new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'lv-LV', { maximumFractionDigits: digits }).format(value);
  if (ms < 1000) return `${n(ms, 0)} ms`;
  if (ms < 120_000) return `${n(ms / 1000, 1)} s`;
  return `${n(ms / 60_000, 0)} min`;
}

/** The agency's time, whatever the browser's zone: schedules are set and read in Riga time. */
function rigaTime(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'lv-LV', { timeZone: 'Europe/Riga', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
