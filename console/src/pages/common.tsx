// Small pieces the pages share: a campaign's status badge and its progress bar, a labelled figure.
import { Badge, Group, Progress, Text } from '@mantine/core';
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

/** A small label over a big number; the label key doubles as the test id. */
export function Figure({ label, value }: { label: MessageKey; value: number }) {
  const { t } = useI18n();
  return (
    <div>
      <Text size="xs" c="dimmed">
        {t(label)}
      </Text>
      <Text size="xl" fw={700} data-testid={label}>
        {value}
      </Text>
    </div>
  );
}
