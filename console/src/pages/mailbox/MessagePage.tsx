// One inbound message, read safely: the server sends plain text only (HTML turned into text there),
// shown here as text, so nothing the sender wrote can run or fetch anything. Then one click applies a
// kind, which runs what the poller would have done, in the DPO's name.
import { Alert, Anchor, Button, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ApiError } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { useLinkProps } from '../../router';
import { Field, formatDate } from '../requests/parts';
import { mailboxApi, REVIEW_KINDS, type Decision, type InboundMessage, type ReviewKind } from './api';
import { GuessText, kindLabel, OutcomeBadge } from './MailboxReview';

const DECIDABLE = ['review', 'failed', 'kept'];


const WHY: Record<string, MessageKey | undefined> = { kept: 'mailbox.whyKept', review: 'mailbox.whyReview', failed: 'mailbox.whyFailed' };

export function MessagePage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const back = useLinkProps('/mailbox');
  const [message, setMessage] = useState<InboundMessage>();
  const [decision, setDecision] = useState<Decision>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<ReviewKind>();

  const load = () => mailboxApi.message(id).then(setMessage, (err: ApiError) => setError(err.message));
  useEffect(() => {
    load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  const decide = async (kind: ReviewKind) => {
    setBusy(kind);
    setError(undefined);
    try {
      setDecision(await mailboxApi.decide(id, kind));
      await load();
    } catch (err) {
      setError((err as ApiError).message);
    } finally {
      setBusy(undefined);
    }
  };

  if (!message) return error ? <Alert color="red" role="alert">{error}</Alert> : <Loader aria-label={t('common.loading')} />;
  const decidable = DECIDABLE.includes(message.outcome) && !message.decision;
  return (
    <Stack>
      <Anchor {...back} size="sm">
        ← {t('mailbox.back')}
      </Anchor>
      <Group justify="space-between" wrap="wrap">
        <Title order={2} style={{ overflowWrap: 'anywhere' }}>
          {message.subject || t('mailbox.noSubject')}
        </Title>
        <OutcomeBadge outcome={message.outcome} />
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {decision?.outcome === 'review' && (
        <Alert color="orange" role="status">
          {t('mailbox.refused', { note: decision.note ?? '' })}
        </Alert>
      )}
      {message.decision && (
        <Alert color="green" role="status">
          {t('mailbox.decided', { kind: kindLabel(t, message.decision.kind), who: message.decision.actor })}
        </Alert>
      )}
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <Field label={t('mailbox.from')}>{message.from ?? '—'}</Field>
          <Field label={t('mailbox.to')}>{message.to ?? '—'}</Field>
          <Field label={t('mailbox.received')}>{formatDate(message.receivedAt, lang, true)}</Field>
          <Field label={t('mailbox.guess')}>
            <GuessText guess={message.guess} />
          </Field>
          {(message.note || message.error) && (
            <Field label={t('mailbox.why')}>
              {/* The poller's note is a technical line in English: the reason in words first, the note beneath. */}
              {WHY[message.outcome] && <Text size="sm">{t(WHY[message.outcome]!)}</Text>}
              <Text size="xs" c="dimmed">
                {message.error ?? message.note}
              </Text>
            </Field>
          )}
        </SimpleGrid>
      </Card>

      <Card withBorder>
        <Text fw={600} mb={4}>
          {t('mailbox.text')}
        </Text>
        <Text size="xs" c="dimmed" mb="sm">
          {t('mailbox.textNote')}
        </Text>
        {message.rawKept ? (
          <Text component="pre" size="sm" ff="monospace" data-testid="mailbox.text" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0 }}>
            {message.text ?? ''}
          </Text>
        ) : (
          <Text c="dimmed">{t('mailbox.noRaw')}</Text>
        )}
      </Card>

      {decidable && (
        <Card withBorder component="section" aria-label={t('mailbox.apply')}>
          <Text fw={600}>{t('mailbox.apply')}</Text>
          <Text size="xs" c="dimmed" mb="sm">
            {t('mailbox.apply.hint')}
          </Text>
          <Group gap="xs">
            {REVIEW_KINDS.filter((k) => k === 'nothing' || message.rawKept).map((kind) => (
              <Button key={kind} variant={kind === 'nothing' ? 'default' : 'light'} loading={busy === kind} disabled={busy !== undefined && busy !== kind} onClick={() => decide(kind)}>
                {kindLabel(t, kind)}
              </Button>
            ))}
          </Group>
        </Card>
      )}
    </Stack>
  );
}
