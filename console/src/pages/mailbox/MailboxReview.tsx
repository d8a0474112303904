// The review queue: what the mailbox poller did not act on, with the classifier's guess, confidence
// and deciding phrase, oldest first; above it the figures (queue size, oldest, messages per kind per day).
import { BarChart } from '@mantine/charts';
import { Alert, Anchor, Badge, Card, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ApiError } from '../../api';
import { useI18n, type MessageKey, type Translate } from '../../i18n';
import { useLinkProps } from '../../router';
import { formatDate } from '../requests/parts';
import { mailboxApi, type Guess, type MailboxMetrics, type QueueItem } from './api';

const CHART_KINDS = ['unsubscribe', 'access', 'rectification', 'erasure', 'restriction', 'withdrawal', 'bounce', 'complaint', 'auto-reply', 'other', 'unclassified'];
const KIND_COLOURS: Record<string, string> = {
  unsubscribe: 'teal.6',
  access: 'blue.6',
  rectification: 'cyan.6',
  erasure: 'grape.6',
  restriction: 'violet.6',
  withdrawal: 'indigo.6',
  bounce: 'orange.6',
  complaint: 'red.6',
  'auto-reply': 'gray.5',
  other: 'yellow.6',
  unclassified: 'dark.3',
};
const KNOWN_OUTCOMES = ['review', 'failed', 'kept', 'applied', 'ignored', 'received'];

export function kindLabel(t: Translate, kind: string | undefined | null): string {
  if (!kind) return t('mailbox.kind.unclassified');
  return [...CHART_KINDS, 'nothing'].includes(kind) ? t(`mailbox.kind.${kind}` as MessageKey) : kind;
}

export function OutcomeBadge({ outcome }: { outcome: string }) {
  const { t } = useI18n();
  const colour = outcome === 'failed' ? 'red' : outcome === 'review' ? 'orange' : outcome === 'kept' ? 'gray' : 'green';
  return (
    <Badge variant="light" color={colour} data-outcome={outcome} miw="max-content">
      {KNOWN_OUTCOMES.includes(outcome) ? t(`mailbox.outcome.${outcome}` as MessageKey) : outcome}
    </Badge>
  );
}

export function GuessText({ guess }: { guess: Guess | null }) {
  const { t } = useI18n();
  if (!guess) return <Text size="sm">—</Text>;
  return (
    <Stack gap={2}>
      <Text size="sm">
        {kindLabel(t, guess.kind)}
        {guess.confidence !== null && (
          <Text span size="xs" c="dimmed">
            {' '}
            · {t('mailbox.confidence')} {Math.round(guess.confidence * 100)}%
          </Text>
        )}
      </Text>
      {guess.evidence && (
        <Text size="xs" c="dimmed" lineClamp={2}>
          „{guess.evidence}”
        </Text>
      )}
    </Stack>
  );
}

function age(t: Translate, ms: number | null): string {
  if (ms === null) return t('mailbox.none');
  const hours = Math.floor(ms / 3_600_000);
  return hours < 48 ? t('mailbox.hours', { n: hours }) : t('mailbox.days', { n: Math.floor(hours / 24) });
}

function Figure({ label, value, testId }: { label: string; value: string | number; testId: string }) {
  return (
    <Card withBorder>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
    </Card>
  );
}

function Figures({ metrics }: { metrics: MailboxMetrics }) {
  const { t, lang } = useI18n();
  const kinds = CHART_KINDS.filter((k) => metrics.byDay.some((d) => (d.counts[k] ?? 0) > 0));
  const data = metrics.byDay.map((d) => ({
    day: new Intl.DateTimeFormat(lang === 'lv' ? 'lv-LV' : 'en-GB', { day: 'numeric', month: 'numeric', timeZone: 'UTC' }).format(new Date(`${d.day}T00:00:00Z`)),
    ...Object.fromEntries(kinds.map((k) => [k, d.counts[k] ?? 0])),
  }));
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Figure label={t('mailbox.reviewSize')} testId="mailbox.reviewSize" value={metrics.reviewSize} />
        <Figure label={t('mailbox.keptInInbox')} testId="mailbox.keptInInbox" value={metrics.keptInInbox} />
        <Figure label={t('mailbox.oldest')} testId="mailbox.oldest" value={age(t, metrics.oldestReviewAgeMs)} />
      </SimpleGrid>
      <Card withBorder>
        <Text size="sm" fw={600} mb="sm">
          {t('mailbox.perDay')}
        </Text>
        <BarChart
          h={220}
          data={data}
          dataKey="day"
          type="stacked"
          withLegend
          yAxisProps={{ allowDecimals: false }}
          aria-label={t('mailbox.perDay')}
          series={kinds.map((k) => ({ name: k, label: kindLabel(t, k), color: KIND_COLOURS[k] ?? 'gray.6' }))}
        />
      </Card>
    </Stack>
  );
}

function SubjectLink({ item }: { item: QueueItem }) {
  const { t } = useI18n();
  const link = useLinkProps(`/mailbox/${item.id}`);
  return (
    <Anchor {...link} size="sm" lineClamp={2}>
      {item.subject || t('mailbox.noSubject')}
    </Anchor>
  );
}

export function MailboxReview() {
  const { t, lang } = useI18n();
  const [items, setItems] = useState<QueueItem[]>();
  const [metrics, setMetrics] = useState<MailboxMetrics>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    mailboxApi.queue().then(setItems, (err: ApiError) => setError(err.message));
    mailboxApi.metrics().then(setMetrics, (err: ApiError) => setError(err.message));
  }, []);
  return (
    <Stack>
      <Title order={2}>{t('mailbox.title')}</Title>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {metrics && <Figures metrics={metrics} />}
      <Title order={3} size="h4">
        {t('mailbox.queue')}
      </Title>
      {!items && !error && <Loader aria-label={t('common.loading')} />}
      {items && items.length === 0 && <Text c="dimmed">{t('mailbox.empty')}</Text>}
      {items && items.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('mailbox.received')}</Table.Th>
                <Table.Th>{t('mailbox.from')}</Table.Th>
                <Table.Th>{t('mailbox.subject')}</Table.Th>
                <Table.Th>{t('mailbox.guess')}</Table.Th>
                <Table.Th>{t('mailbox.why')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={item.id} data-message={item.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(item.receivedAt, lang, true)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={1}>
                      {item.from ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <SubjectLink item={item} />
                  </Table.Td>
                  <Table.Td>
                    <GuessText guess={item.guess} />
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      <OutcomeBadge outcome={item.outcome} />
                      {(item.note || item.error) && (
                        <Text size="xs" c="dimmed" lineClamp={2}>
                          {item.error ?? item.note}
                        </Text>
                      )}
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
