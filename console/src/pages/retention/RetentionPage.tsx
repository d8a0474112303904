// The retention sweeps' last runs: when, which rule (what goes after how long), what each removed.
import { Alert, Badge, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ApiError, request } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { lv as retentionMessages } from '../../messages/retention';

interface Run {
  id: string;
  sweep: string;
  periodDays: number | null;
  startedAt: string;
  finishedAt: string;
  status: 'done' | 'failed';
  counts: Record<string, number>;
  error?: string;
}

export function RetentionPage() {
  const { t } = useI18n();
  const [runs, setRuns] = useState<Run[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    request<{ items: Run[] }>('GET', '/retention/runs?limit=50').then(
      (r) => setRuns(r.items),
      (err: ApiError) => setError(err.message),
    );
  }, []);
  const known = (key: string, fallback: string) => (key in retentionMessages ? t(key as MessageKey) : fallback);
  const removed = (counts: Record<string, number>) => {
    const parts = Object.entries(counts).filter(([, n]) => n > 0);
    return parts.length ? parts.map(([k, n]) => `${known(`retention.count.${k}`, k)}: ${n}`).join(', ') : t('retention.nothing');
  };
  return (
    <Stack>
      <Title order={2}>{t('retention.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('retention.intro')}
      </Text>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {!runs && !error && <Loader aria-label={t('common.loading')} />}
      {runs && runs.length === 0 && <Text c="dimmed">{t('retention.empty')}</Text>}
      {runs && runs.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped aria-label={t('retention.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('retention.when')}</Table.Th>
                <Table.Th>{t('retention.rule')}</Table.Th>
                <Table.Th>{t('retention.status')}</Table.Th>
                <Table.Th>{t('retention.removed')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.map((r) => (
                <Table.Tr key={r.id} data-sweep={r.sweep}>
                  <Table.Td>{new Date(r.startedAt).toLocaleString()}</Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {known(`retention.sweep.${r.sweep}`, r.sweep)}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {r.periodDays === null ? t('retention.ownExpiry') : t('retention.afterDays', { days: r.periodDays })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={r.status === 'done' ? 'green' : 'red'} variant="light">
                      {t(`retention.status.${r.status}` as MessageKey)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{r.status === 'failed' ? (r.error ?? '') : removed(r.counts)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
