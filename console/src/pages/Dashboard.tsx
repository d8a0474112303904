// The first page after sign-in: active subscribers per list and the latest campaigns.
import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, type Campaign, type List, type Role } from '../api';
import { useI18n } from '../i18n';
import { useLinkProps } from '../router';
import { StatusBadge } from './common';

function RecentCampaign({ campaign }: { campaign: Campaign }) {
  const link = useLinkProps(`/campaigns/${campaign.id}`);
  return (
    <Group justify="space-between" wrap="nowrap">
      <Anchor {...link} lineClamp={1}>
        {campaign.name}
      </Anchor>
      <StatusBadge status={campaign.status} />
    </Group>
  );
}

export function Dashboard({ role }: { role: Role }) {
  const { t, lang } = useI18n();
  const [lists, setLists] = useState<List[]>([]);
  const [campaigns, setCampaigns] = useState<Campaign[]>([]);
  const marketing = role === 'marketer' || role === 'admin';
  useEffect(() => {
    if (!marketing) return;
    api.lists().then(setLists, () => undefined);
    api.campaigns().then((items) => setCampaigns(items.slice(0, 5)), () => undefined);
  }, [marketing]);
  return (
    <Stack>
      <Title order={2}>{t('dashboard.title')}</Title>
      {marketing && (
        <>
          <Title order={3} size="h4">
            {t('dashboard.lists')}
          </Title>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
            {lists.map((l) => (
              <Card withBorder key={l.slug}>
                <Text size="sm" c="dimmed">
                  {l.name[lang] || l.slug}
                </Text>
                <Text size="xl" fw={700}>
                  {l.subscriptions.active}
                </Text>
              </Card>
            ))}
          </SimpleGrid>
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
