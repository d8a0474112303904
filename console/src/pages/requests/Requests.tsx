// The requests desk: open, overdue and closed requests with their deadlines; overdue in red, due
// within 7 days marked, and the message each came from.
import { Alert, Anchor, Badge, Group, Loader, SegmentedControl, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ApiError } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { useLinkProps } from '../../router';
import { requestsApi, type DataSubjectRequest, type RequestFilter } from './api';
import { formatDate } from './parts';

const FILTERS: RequestFilter[] = ['open', 'overdue', 'closed'];

export function RequestStatusBadge({ status }: { status: DataSubjectRequest['status'] }) {
  const { t } = useI18n();
  const colour = { 'awaiting-verification': 'yellow', open: 'blue', done: 'green', rejected: 'gray' }[status];
  return (
    <Badge color={colour} variant="light" data-status={status} miw="max-content">
      {t(`requests.status.${status}` as MessageKey)}
    </Badge>
  );
}

/** The due date, red when overdue, marked when due within 7 days. */
export function DueDate({ request }: { request: DataSubjectRequest }) {
  const { t, lang } = useI18n();
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" style={{ whiteSpace: 'nowrap' }} c={request.overdue ? 'red' : undefined} fw={request.overdue ? 700 : undefined} data-overdue={request.overdue || undefined}>
        {formatDate(request.dueAt, lang)}
      </Text>
      {request.overdue && (
        <Badge color="red" size="xs" miw="max-content">
          {t('requests.overdue')}
        </Badge>
      )}
      {request.urgent && !request.overdue && (
        <Badge color="orange" size="xs" variant="light" miw="max-content" data-due-soon>
          {t('requests.dueSoon')}
        </Badge>
      )}
    </Group>
  );
}

function RequestLink({ request }: { request: DataSubjectRequest }) {
  const link = useLinkProps(`/requests/${request.id}`);
  return (
    <Anchor {...link} fw={500} style={{ whiteSpace: 'nowrap' }}>
      {request.number}
    </Anchor>
  );
}

function MessageLink({ id }: { id: string }) {
  const { t } = useI18n();
  const link = useLinkProps(`/mailbox/${id}`);
  return (
    <Anchor {...link} size="sm">
      {t('requests.openMessage')}
    </Anchor>
  );
}

export function Requests() {
  const { t, lang } = useI18n();
  const [filter, setFilter] = useState<RequestFilter>('open');
  const [items, setItems] = useState<DataSubjectRequest[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    setItems(undefined);
    setError(undefined);
    requestsApi.list(filter).then(setItems, (err: ApiError) => setError(err.message));
  }, [filter]);
  return (
    <>
      <Title order={2} mb="md">
        {t('requests.title')}
      </Title>
      <SegmentedControl
        mb="md"
        aria-label={t('requests.filter')}
        value={filter}
        onChange={(v) => setFilter(v as RequestFilter)}
        data={FILTERS.map((f) => ({ value: f, label: t(`requests.filter.${f}` as MessageKey) }))}
      />
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {!items && !error && <Loader aria-label={t('common.loading')} />}
      {items && items.length === 0 && <Text c="dimmed">{t('requests.empty')}</Text>}
      {items && items.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('requests.number')}</Table.Th>
                <Table.Th>{filter === 'closed' ? t('requests.closedAt') : t('requests.due')}</Table.Th>
                <Table.Th>{t('requests.type')}</Table.Th>
                <Table.Th>{t('requests.status')}</Table.Th>
                <Table.Th>{t('requests.received')}</Table.Th>
                <Table.Th>{t('requests.channel')}</Table.Th>
                <Table.Th>{t('requests.person')}</Table.Th>
                <Table.Th>{t('requests.message')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.id} data-number={r.number}>
                  <Table.Td>
                    <RequestLink request={r} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{filter === 'closed' ? formatDate(r.closedAt, lang) : <DueDate request={r} />}</Table.Td>
                  <Table.Td>{t(`requests.type.${r.type}` as MessageKey)}</Table.Td>
                  <Table.Td>
                    <RequestStatusBadge status={r.status} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(r.receivedAt, lang)}</Table.Td>
                  <Table.Td>{t(`requests.channel.${r.channel}` as MessageKey)}</Table.Td>
                  <Table.Td maw={240}>
                    <Text size="sm" truncate="end" title={r.email ?? undefined}>
                      {r.email ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>{r.inboundMessageId ? <MessageLink id={r.inboundMessageId} /> : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}
