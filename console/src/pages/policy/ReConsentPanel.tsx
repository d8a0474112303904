// Re-consent campaigns: start one for the material version in force (behind a confirmation naming
// how many people it mails), follow each one's progress, send its one reminder.
import { Alert, Badge, Button, Card, Group, Modal, NumberInput, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { ApiError } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { policyApi, type ReConsentCampaign, type ReConsentStatus } from './policy-api';
import type { PolicyData } from './PolicyPage';

const STATUS_COLOURS: Record<ReConsentStatus, string> = { sending: 'blue', open: 'yellow', closed: 'gray' };

export function ReConsentPanel({ data, onChange }: { data: PolicyData; onChange: () => Promise<void> }) {
  const { t } = useI18n();
  const { coverage, campaigns } = data;
  const current = coverage.versions.find((v) => v.version === coverage.current);
  const candidate = current?.material && !campaigns.some((c) => c.policyVersion === current.version) ? current : undefined;
  // Everyone whose active consent names an older version, or none (counted once per version).
  const audience = candidate ? coverage.versions.filter((v) => v.version < candidate.version).reduce((n, v) => n + v.activeSubscribers, coverage.unknownVersion) : 0;
  const [days, setDays] = useState<number>(30);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
      setError(undefined);
      await onChange();
    } catch (err) {
      setError((err as ApiError).message);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  return (
    <Stack component="section" aria-labelledby="reconsent-title">
      <Title order={3} id="reconsent-title">
        {t('policy.reConsent')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('policy.reConsentHint')}
      </Text>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {candidate ? (
        <Card withBorder>
          <Group align="flex-end">
            <Text fw={500}>
              {t('policy.startFor')} {candidate.version}
            </Text>
            <NumberInput label={t('policy.deadlineDays')} min={7} max={180} value={days} onChange={(v) => setDays(typeof v === 'number' ? v : 30)} w={160} />
            <Button onClick={() => setConfirming(true)}>{t('policy.start')}</Button>
          </Group>
        </Card>
      ) : (
        campaigns.length === 0 && <Text c="dimmed">{t('policy.noMaterial')}</Text>
      )}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('policy.start')} centered>
        <Text mb="md">{t('policy.startConfirm', { count: audience, days })}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setConfirming(false)}>
            {t('policy.cancel')}
          </Button>
          <Button loading={busy} onClick={() => candidate && run(() => policyApi.startReConsent(candidate.version, days))}>
            {t('policy.startYes')}
          </Button>
        </Group>
      </Modal>
      {campaigns.map((c) => (
        <CampaignCard key={c.id} campaign={c} busy={busy} onRemind={() => run(() => policyApi.remind(c.id))} />
      ))}
    </Stack>
  );
}

function CampaignCard({ campaign, busy, onRemind }: { campaign: ReConsentCampaign; busy: boolean; onRemind: () => void }) {
  const { t, lang } = useI18n();
  const { progress: p } = campaign;
  const date = (iso: string) => new Date(iso).toLocaleDateString(lang === 'lv' ? 'lv-LV' : 'en-GB', { timeZone: 'Europe/Riga' });
  const total = Math.max(1, p.confirmed + p.waiting + p.lapsed);
  const share = (n: number) => (n / total) * 100;
  const figures: Array<[MessageKey, number, string]> = [
    ['policy.asked', p.asked, 'asked'],
    ['policy.confirmed', p.confirmed, 'confirmed'],
    ['policy.waiting', p.waiting, 'waiting'],
    ['policy.lapsed', p.lapsed, 'lapsed'],
  ];
  return (
    <Card withBorder data-testid="reconsent-campaign" data-status={campaign.status}>
      <Group justify="space-between" mb="xs">
        <Title order={4}>{t('policy.campaign', { version: campaign.policyVersion })}</Title>
        <Badge color={STATUS_COLOURS[campaign.status]} variant="light">
          {t(`policy.status.${campaign.status}` as MessageKey)}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('policy.deadline', { date: date(campaign.deadline) })}
        {campaign.reminderAt ? ` · ${t('policy.remindedAt', { date: date(campaign.reminderAt) })}` : ''}
      </Text>
      <Progress.Root size="lg" aria-label={t('policy.progressLabel')} mb="sm">
        <Progress.Section value={share(p.confirmed)} color="teal" />
        <Progress.Section value={share(p.waiting)} color="yellow" />
        <Progress.Section value={share(p.lapsed)} color="red" />
      </Progress.Root>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        {figures.map(([label, value, key]) => (
          <div key={key} data-figure={key}>
            <Text size="xs" c="dimmed">
              {t(label)}
            </Text>
            <Text fw={600} size="lg">
              {value}
            </Text>
          </div>
        ))}
      </SimpleGrid>
      {campaign.status === 'open' && !campaign.reminderAt && (
        <Group mt="md">
          <Button variant="default" loading={busy} onClick={onRemind}>
            {t('policy.remind')}
          </Button>
        </Group>
      )}
    </Card>
  );
}
