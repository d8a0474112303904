// Small pieces the pages share: a campaign's status badge, its progress bar, a labelled figure.
import { Badge, Card, Group, Progress, Text } from '@mantine/core';
import type { CampaignStats, CampaignStatus } from '../api';
import { useI18n, type MessageKey } from '../i18n';

const STATUS_COLOURS: Record<CampaignStatus, string> = {
  draft: 'gray',
  scheduled: 'blue',
  sending: 'teal',
  paused: 'yellow',
  sent: 'green',
  cancelled: 'dark',
  failed: 'red',
};

export function StatusBadge({ status }: { status: CampaignStatus }) {
  const { t } = useI18n();
  return (
    <Badge color={STATUS_COLOURS[status]} variant="light" data-status={status}>
      {t(`status.${status}` as MessageKey)}
    </Badge>
  );
}

/** Done = sent + skipped + failed out of what was queued. */
export function doneShare(stats?: CampaignStats): { done: number; total: number; percent: number } {
  if (!stats) return { done: 0, total: 0, percent: 0 };
  const done = stats.sent + stats.skipped + stats.failed;
  const total = Math.max(stats.queued, done);
  return { done, total, percent: total === 0 ? 0 : Math.round((done / total) * 100) };
}

export function CampaignProgressBar({ stats, label }: { stats?: CampaignStats; label: string }) {
  const { done, total, percent } = doneShare(stats);
  return (
    <Group gap="xs" wrap="nowrap">
      <Progress value={percent} w={80} aria-label={label} />
      <Text size="xs" c="dimmed">
        {done}/{total}
      </Text>
    </Group>
  );
}

/** A number with its label above it; in a bordered card on the dashboard. */
export function Figure({ label, value, testId, card }: { label: string; value: string | number; testId?: string; card?: boolean }) {
  const body = (
    <>
      <Text size={card ? 'sm' : 'xs'} c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
    </>
  );
  return card ? <Card withBorder>{body}</Card> : <div>{body}</div>;
}
