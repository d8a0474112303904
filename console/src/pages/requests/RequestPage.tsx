// One request: its details, its history, and what the DPO can do with it while it is open (extend,
// reject, complete, resend the verification link, retry a failed export). The server decides
// whether an action is allowed; a refusal is shown as it comes.
import { Alert, Anchor, Button, Card, Group, Loader, Select, SimpleGrid, Stack, Text, Textarea, Timeline, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { ApiError } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { useLinkProps } from '../../router';
import { isOpen, requestsApi, type DataSubjectRequest } from './api';
import { Field, formatDate } from './parts';
import { DueDate, RequestStatusBadge } from './Requests';


/** A small form: its fields, one submit button, busy while the call runs. */
function ActionCard({ title, hint, submit, colour, onSubmit, children }: { title: string; hint?: string; submit: string; colour?: string; onSubmit: () => Promise<void>; children?: ReactNode }) {
  const [busy, setBusy] = useState(false);
  const run = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await onSubmit();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder component="form" onSubmit={run} aria-label={title}>
      <Stack gap="xs">
        <Text fw={600}>{title}</Text>
        {hint && (
          <Text size="xs" c="dimmed">
            {hint}
          </Text>
        )}
        {children}
        <Group>
          <Button type="submit" loading={busy} color={colour}>
            {submit}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

// History entries the catalogue names; any other (a failed mail, say) is shown as the server wrote it.
const NAMED_ACTIONS = new Set(['received', 'verification-sent', 'verified', 'extended', 'rejected', 'completed', 'exported', 'erased', 'rectified', 'restricted', 'withdrawn', 'retried', 'fulfilment-failed']);

function actionLabel(t: (k: MessageKey) => string, action: string): string {
  return NAMED_ACTIONS.has(action) ? t(`requests.action.${action}` as MessageKey) : action;
}

export function RequestPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const back = useLinkProps('/requests');
  const [request, setRequest] = useState<DataSubjectRequest>();
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [extendReason, setExtendReason] = useState('');
  const [months, setMonths] = useState<string | null>('2');
  const [rejectReason, setRejectReason] = useState('');
  const [completeNote, setCompleteNote] = useState('');

  useEffect(() => {
    requestsApi.get(id).then(setRequest, (err: ApiError) => setError(err.message));
  }, [id]);

  const act = useCallback(async (call: () => Promise<DataSubjectRequest>) => {
    setError(undefined);
    setSaved(false);
    try {
      setRequest(await call());
      setSaved(true);
    } catch (err) {
      setError((err as ApiError).message);
    }
  }, []);

  const message = useLinkProps(request?.inboundMessageId ? `/mailbox/${request.inboundMessageId}` : '/mailbox');
  if (!request) return error ? <Alert color="red" role="alert">{error}</Alert> : <Loader aria-label={t('common.loading')} />;
  const open = isOpen(request);
  return (
    <Stack>
      <Anchor {...back} size="sm">
        ← {t('requests.back')}
      </Anchor>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{request.number}</Title>
        <RequestStatusBadge status={request.status} />
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {saved && !error && (
        <Alert color="green" role="status">
          {t('requests.done')}
        </Alert>
      )}
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
          <Field label={t('requests.type')}>{t(`requests.type.${request.type}` as MessageKey)}</Field>
          <Field label={t('requests.channel')}>{t(`requests.channel.${request.channel}` as MessageKey)}</Field>
          <Field label={t('requests.person')}>{request.email ?? '—'}</Field>
          <Field label={t('requests.received')}>{formatDate(request.receivedAt, lang, true)}</Field>
          <Field label={t('requests.due')}>{open ? <DueDate request={request} /> : formatDate(request.dueAt, lang)}</Field>
          {request.verifiedAt && <Field label={t('requests.verifiedAt')}>{formatDate(request.verifiedAt, lang, true)}</Field>}
          {request.closedAt && <Field label={t('requests.closedAt')}>{formatDate(request.closedAt, lang, true)}</Field>}
          {request.inboundMessageId && (
            <Field label={t('requests.message')}>
              <Anchor {...message}>{t('requests.openMessage')}</Anchor>
            </Field>
          )}
        </SimpleGrid>
        {request.extendedMonths > 0 && (
          <Text size="sm" mt="sm">
            {t('requests.extended', { months: request.extendedMonths, reason: request.extensionReason ?? '' })}
          </Text>
        )}
        {request.rejectionReason && (
          <Text size="sm" mt="sm">
            {t('requests.rejectionReason')}: {request.rejectionReason}
          </Text>
        )}
        {request.note && (
          <Text size="sm" mt="sm">
            {t('requests.note')}: {request.note}
          </Text>
        )}
      </Card>

      {open && (
        <>
          <Title order={3} size="h4">
            {t('requests.actions')}
          </Title>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <ActionCard title={t('requests.complete')} submit={t('requests.complete')} colour="green" onSubmit={() => act(() => requestsApi.complete(id, completeNote.trim()))}>
              <Textarea label={t('requests.complete.note')} value={completeNote} onChange={(e) => setCompleteNote(e.currentTarget.value)} autosize minRows={2} maxLength={2000} />
            </ActionCard>
            <ActionCard title={t('requests.reject')} hint={t('requests.reject.hint')} submit={t('requests.reject')} colour="red" onSubmit={() => act(() => requestsApi.reject(id, rejectReason))}>
              <Textarea label={t('requests.reason')} required value={rejectReason} onChange={(e) => setRejectReason(e.currentTarget.value)} autosize minRows={2} maxLength={2000} />
            </ActionCard>
            <ActionCard title={t('requests.extend')} hint={t('requests.extend.hint')} submit={t('requests.extend')} onSubmit={() => act(() => requestsApi.extend(id, extendReason, Number(months ?? '2')))}>
              <Select
                label={t('requests.extend.months')}
                value={months}
                onChange={setMonths}
                allowDeselect={false}
                data={[
                  { value: '1', label: t('requests.extend.month1') },
                  { value: '2', label: t('requests.extend.month2') },
                ]}
              />
              <Textarea label={t('requests.reason')} required value={extendReason} onChange={(e) => setExtendReason(e.currentTarget.value)} autosize minRows={2} maxLength={2000} />
            </ActionCard>
            {(request.status === 'awaiting-verification' || request.verifiedAt) && (
            <Card withBorder>
              <Stack gap="xs" align="flex-start">
                {request.status === 'awaiting-verification' && (
                  <Button variant="light" onClick={() => act(() => requestsApi.resendVerification(id))}>
                    {t('requests.resend')}
                  </Button>
                )}
                {request.verifiedAt && (
                  <Button variant="light" onClick={() => act(() => requestsApi.retry(id))}>
                    {t('requests.retry')}
                  </Button>
                )}
              </Stack>
            </Card>
            )}
          </SimpleGrid>
        </>
      )}

      <Title order={3} size="h4">
        {t('requests.history')}
      </Title>
      <Timeline bulletSize={14} lineWidth={2} aria-label={t('requests.history')}>
        {request.actions.map((a, i) => (
          <Timeline.Item key={i} title={actionLabel(t, a.action)} data-action={a.action}>
            <Text size="xs" c="dimmed">
              {formatDate(a.at, lang, true)} · {a.actor}
            </Text>
            {a.note && <Text size="sm">{a.note}</Text>}
          </Timeline.Item>
        ))}
      </Timeline>
    </Stack>
  );
}
