// All campaigns, newest first, with status and (for those that started) progress.
import { Alert, Anchor, Button, Group, Loader, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, ApiError, type Campaign } from '../api';
import { useI18n } from '../i18n';
import { useLinkProps } from '../router';
import { CampaignProgressBar, StatusBadge } from './common';

const STARTED = new Set(['sending', 'paused', 'sent', 'cancelled', 'failed']);

function CampaignLink({ campaign }: { campaign: Campaign }) {
  const link = useLinkProps(`/campaigns/${campaign.id}`);
  return (
    <Anchor {...link} fw={500}>
      {campaign.name}
    </Anchor>
  );
}

export function Campaigns() {
  const { t } = useI18n();
  const newLink = useLinkProps('/campaigns/new');
  const [items, setItems] = useState<Campaign[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let stop = false;
    (async () => {
      const list = await api.campaigns();
      // The list leaves counters out; fetch them for the few that started.
      const withStats = await Promise.all(list.map((c) => (STARTED.has(c.status) ? api.campaign(c.id) : c)));
      if (!stop) setItems(withStats);
    })().catch((err) => setError(err instanceof ApiError ? err.message : String(err)));
    return () => {
      stop = true;
    };
  }, []);

  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={2}>{t('campaigns.title')}</Title>
        <Button component="a" {...newLink}>
          {t('campaigns.new')}
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {!items && !error && <Loader aria-label={t('common.loading')} />}
      {items && items.length === 0 && <Text c="dimmed">{t('campaigns.empty')}</Text>}
      {items && items.length > 0 && (
        <Table.ScrollContainer minWidth={340}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('campaigns.name')}</Table.Th>
                <Table.Th visibleFrom="sm">{t('campaigns.list')}</Table.Th>
                <Table.Th>{t('campaigns.status')}</Table.Th>
                <Table.Th>{t('campaigns.progress')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <CampaignLink campaign={c} />
                    <Text size="xs" c="dimmed" lineClamp={1}>
                      {c.subject}
                    </Text>
                  </Table.Td>
                  <Table.Td visibleFrom="sm">{c.list}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <StatusBadge status={c.status} />
                  </Table.Td>
                  <Table.Td>{c.stats ? <CampaignProgressBar stats={c.stats} label={`${t('campaigns.progress')}: ${c.name}`} /> : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}
