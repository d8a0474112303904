// The first page after sign-in. Marketers (and admins): active subscribers per list, sign-ups and
// unsubscribes per day over 30 or 90 days, the latest campaigns. DPOs (and admins): open and overdue
// data-subject requests and the mailbox review queue, with links to their pages.
import { LineChart } from '@mantine/charts';
import { Anchor, Card, Group, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, type Campaign, type DayActivity, type List, type RequestMetrics, type Role } from '../api';
import { useI18n } from '../i18n';
import { useLinkProps } from '../router';
import { Figure, StatusBadge } from './common';
import { formatDate } from './requests/parts';

function RecentCampaign({ campaign }: { campaign: Campaign }) {
  const { lang } = useI18n();
  const link = useLinkProps(`/campaigns/${campaign.id}`);
  const when = campaign.finishedAt ?? campaign.startedAt ?? campaign.createdAt;
  return (
    <Group justify="space-between" wrap="nowrap">
      <div>
        <Anchor {...link} lineClamp={1}>
          {campaign.name}
        </Anchor>
        <Text size="xs" c="dimmed">
          {campaign.list}
          {when ? ` · ${new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'lv-LV', { timeZone: 'Europe/Riga', dateStyle: 'medium' }).format(new Date(when))}` : ''}
        </Text>
      </div>
      <StatusBadge status={campaign.status} />
    </Group>
  );
}

function Activity() {
  const { t, lang } = useI18n();
  const [span, setSpan] = useState<30 | 90>(30);
  const [days, setDays] = useState<DayActivity[]>();
  useEffect(() => {
    api.activity(span).then(setDays, () => setDays([]));
  }, [span]);
  const label = (day: string) => new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'lv-LV', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
  const data = (days ?? []).map((d) => ({ ...d, label: label(d.day) }));
  const total = (key: 'signups' | 'confirmations' | 'unsubscribes') => (days ?? []).reduce((n, d) => n + d[key], 0);
  // Flat lines at zero say nothing a sentence would not say better.
  const quiet = days !== undefined && total('signups') + total('confirmations') + total('unsubscribes') === 0;
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4" id="activity-title">
            {t('dashboard.activity')}
          </Title>
          <SegmentedControl
            size="xs"
            aria-label={t('dashboard.window')}
            value={String(span)}
            onChange={(v) => setSpan(v === '90' ? 90 : 30)}
            data={[
              { value: '30', label: t('dashboard.days30') },
              { value: '90', label: t('dashboard.days90') },
            ]}
          />
        </Group>
        {quiet ? (
          <Text c="dimmed" data-testid="activity-quiet">
            {t('dashboard.quiet')}
          </Text>
        ) : (
          <div role="img" aria-labelledby="activity-title activity-totals" data-testid="activity-chart">
            <LineChart
              h={240}
              data={data}
              dataKey="label"
              curveType="linear"
              withDots={false}
              withLegend
              legendProps={{ verticalAlign: 'bottom' }}
              tickLine="x"
              yAxisProps={{ allowDecimals: false }}
              series={[
                { name: 'signups', label: t('dashboard.signups'), color: 'blue.6' },
                { name: 'confirmations', label: t('dashboard.confirmations'), color: 'teal.6' },
                { name: 'unsubscribes', label: t('dashboard.unsubscribes'), color: 'red.6' },
              ]}
            />
          </div>
        )}
        <Text size="sm" c="dimmed" id="activity-totals" data-testid="activity-totals">
          {days ? t('dashboard.totals', { signups: total('signups'), confirmations: total('confirmations'), unsubscribes: total('unsubscribes') }) : t('common.loading')}
        </Text>
      </Stack>
    </Card>
  );
}

function NearestDue({ due }: { due: NonNullable<RequestMetrics['nearestDue']> }) {
  const { t, lang } = useI18n();
  const link = useLinkProps(`/requests/${due.id}`);
  return (
    <Text size="sm" data-testid="dashboard.nearestDue">
      {t('dashboard.nearestDue')}: <Anchor {...link}>{due.number}</Anchor> ({formatDate(due.dueAt, lang)})
    </Text>
  );
}

function Privacy() {
  const { t } = useI18n();
  const requestsLink = useLinkProps('/requests');
  const mailboxLink = useLinkProps('/mailbox');
  const [requests, setRequests] = useState<RequestMetrics | null>();
  const [review, setReview] = useState<number | null>();
  useEffect(() => {
    api.requestMetrics().then(setRequests, () => setRequests(null));
    api.mailboxMetrics().then((m) => setReview(m.reviewSize), () => setReview(null));
  }, []);
  const show = (n: number | undefined | null) => (n === undefined ? '…' : n === null ? t('dashboard.unavailable') : n);
  return (
    <>
      <Title order={3} size="h4">
        {t('dashboard.privacy')}
      </Title>
      <SimpleGrid cols={{ base: 2, md: 5 }}>
        <Figure card label={t('dashboard.openRequests')} value={show(requests === undefined ? undefined : requests && requests.open)} testId="dashboard.openRequests" />
        <Figure card label={t('dashboard.awaitingVerification')} value={show(requests === undefined ? undefined : requests && requests.awaitingVerification)} />
        <Figure card label={t('dashboard.dueSoon')} value={show(requests === undefined ? undefined : requests && requests.dueWithin7Days)} />
        <Figure card label={t('dashboard.overdue')} value={show(requests === undefined ? undefined : requests && requests.overdue)} testId="dashboard.overdue" />
        <Figure card label={t('dashboard.reviewQueue')} value={show(review)} testId="dashboard.reviewQueue" />
      </SimpleGrid>
      {requests?.nearestDue && <NearestDue due={requests.nearestDue} />}
      <Group>
        <Anchor {...requestsLink}>{t('dashboard.toRequests')}</Anchor>
        <Anchor {...mailboxLink}>{t('dashboard.toMailbox')}</Anchor>
      </Group>
    </>
  );
}

export function Dashboard({ role }: { role: Role }) {
  const { t, lang } = useI18n();
  const [lists, setLists] = useState<List[]>([]);
  const [campaigns, setCampaigns] = useState<Campaign[]>([]);
  const marketing = role === 'marketer' || role === 'admin';
  const privacy = role === 'dpo' || role === 'admin';
  useEffect(() => {
    if (!marketing) return;
    api.lists().then(setLists, () => undefined);
    api.campaigns().then((items) => setCampaigns(items.slice(0, 5)), () => undefined);
  }, [marketing]);
  return (
    <Stack>
      <Title order={2}>{t('dashboard.title')}</Title>
      {privacy && <Privacy />}
      {marketing && (
        <>
          <Title order={3} size="h4">
            {t('dashboard.lists')}
          </Title>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
            {lists.map((l) => (
              <Figure card key={l.slug} label={l.name[lang] || l.slug} value={l.subscriptions.active} />
            ))}
          </SimpleGrid>
          <Activity />
          <Title order={3} size="h4">
            {t('dashboard.recent')}
          </Title>
          <Card withBorder>
            <Stack gap="xs">
              {campaigns.length === 0 ? <Text c="dimmed">{t('dashboard.none')}</Text> : campaigns.map((c) => <RecentCampaign key={c.id} campaign={c} />)}
            </Stack>
          </Card>
        </>
      )}
    </Stack>
  );
}
