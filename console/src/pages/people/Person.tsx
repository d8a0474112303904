// One person on one page: details, lists and states, suppressions with their evidence, the consent
// ledger as a timeline, requests and inbound mail; and the DPO's actions, each behind a modal that
// says what will happen. The server decides and audits; this page shows and asks.
import { Alert, Anchor, Badge, Blockquote, Card, Group, Loader, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ApiError } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { useLinkProps, useRouter } from '../../router';
import { PersonActions, type Notice } from './PersonActions';
import { peopleApi, type ConsentEvent, type LedgerStatus, type Person as PersonData } from './api';
import { formatDate, formatTime } from './format';
import { leaveNotice, STATE_COLOURS } from './People';
import { LiftSuppression } from './LiftSuppression';
import { eventNote } from './rectified-fields';

export function Person({ id }: { id: string }) {
  const { t } = useI18n();
  const { navigate } = useRouter();
  const back = useLinkProps('/people');
  const [person, setPerson] = useState<PersonData>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<Notice>();

  const load = useCallback(
    () =>
      peopleApi.person(id).then(
        (p) => {
          setPerson(p);
          setError(undefined);
        },
        (err: ApiError) => setError(err.message),
      ),
    [id],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const done = (n: Notice) => {
    if (n.gone) {
      leaveNotice(n.text, person?.id);
      navigate('/people');
      return;
    }
    setNotice(n);
    void load();
  };

  if (!person) {
    return error ? (
      <Alert color="red" role="alert">
        {error}
      </Alert>
    ) : (
      <Loader aria-label={t('common.loading')} />
    );
  }
  return (
    <Stack>
      <Anchor {...back} size="sm">
        ← {t('people.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2} style={{ overflowWrap: 'anywhere' }}>
            {person.email}
          </Title>
          <Text c="dimmed">{person.name || t('people.person.noName')}</Text>
        </div>
        {person.restricted && (
          <Badge color="orange" size="lg" variant="light">
            {t('people.restricted')}
          </Badge>
        )}
      </Group>
      {notice && (
        <Alert color={notice.tone === 'error' ? 'red' : 'green'} role={notice.tone === 'error' ? 'alert' : 'status'} withCloseButton onClose={() => setNotice(undefined)} closeButtonLabel={t('common.close')}>
          {notice.text}
        </Alert>
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <PersonActions person={person} onDone={done} />
      <Details person={person} />
      <Lists person={person} />
      <Suppressions person={person} onDone={done} />
      <History events={person.timeline} subscriberId={person.id} />
      <Requests person={person} />
      <Inbound person={person} />
    </Stack>
  );
}

function Section({ title, children }: { title: MessageKey; children: ReactNode }) {
  const { t } = useI18n();
  const headingId = `section-${title.replace(/\W/g, '-')}`;
  return (
    <Card withBorder component="section" aria-labelledby={headingId}>
      <Title order={3} size="h4" mb="sm" id={headingId}>
        {t(title)}
      </Title>
      {children}
    </Card>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" miw={150}>
        {label}
      </Text>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </Group>
  );
}

function Details({ person }: { person: PersonData }) {
  const { t, lang } = useI18n();
  return (
    <Section title="people.person.details">
      <Stack gap={6}>
        <Field label={t('people.name')}>{person.name || t('people.person.noName')}</Field>
        <Field label={t('people.person.language')}>{t(`people.person.language.${person.locale}`)}</Field>
        <Field label={t('people.person.restriction')}>{t(person.restricted ? 'people.person.restriction.on' : 'people.person.restriction.off')}</Field>
        <Field label={t('people.person.createdAt')}>{formatDate(person.createdAt, lang)}</Field>
      </Stack>
    </Section>
  );
}

function Lists({ person }: { person: PersonData }) {
  const { t, lang } = useI18n();
  return (
    <Section title="people.person.lists">
      {person.lists.length === 0 ? (
        <Text size="sm">{t('people.person.noLists')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('people.list')}</Table.Th>
                <Table.Th>{t('people.request.status')}</Table.Th>
                <Table.Th>{t('people.person.confirmedAt')}</Table.Th>
                <Table.Th>{t('people.person.policyVersion')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {person.lists.map((l) => (
                <Table.Tr key={l.list}>
                  <Table.Td>{l.name?.[lang] || l.list}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={STATE_COLOURS[l.status] ?? 'gray'} tt="none" data-list={l.list} data-state={l.status}>
                      {t(`people.state.${l.status}` as MessageKey)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{formatDate(l.status === 'unsubscribed' ? l.unsubscribedAt : l.confirmedAt, lang)}</Table.Td>
                  <Table.Td>{l.policyVersion ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  );
}

function Suppressions({ person, onDone }: { person: PersonData; onDone: (n: Notice) => void }) {
  const { t, lang } = useI18n();
  return (
    <Section title="people.person.suppressions">
      {person.suppressions.length === 0 ? (
        <Text size="sm">{t('people.person.noSuppressions')}</Text>
      ) : (
        <Stack gap="sm">
          {person.suppressions.map((s) => (
            <Card key={s.id} withBorder padding="sm">
              <Group justify="space-between" align="flex-start">
                <Stack gap={4}>
                  <Text fw={500}>
                    {t(`people.suppression.${s.reason}` as MessageKey)} {!s.active && <Badge size="xs" color="gray">{t('people.person.inactive')}</Badge>}
                  </Text>
                  <Field label={t('people.person.since')}>{formatDate(s.since, lang)}</Field>
                  {s.expiresAt && <Field label={t('people.person.expires')}>{formatDate(s.expiresAt, lang)}</Field>}
                  {s.detail && <Field label={t('people.event.note')}>{s.detail}</Field>}
                  {s.evidence && (
                    <Field label={t('people.person.evidence')}>
                      {[
                        s.evidence.status && t('people.person.evidence.status', { status: s.evidence.status }),
                        s.evidence.diagnostic,
                        s.evidence.matchedBy && t('people.person.evidence.matchedBy', { how: s.evidence.matchedBy }),
                        s.evidence.inboundMessageId && t('people.person.evidence.message', { id: s.evidence.inboundMessageId }),
                      ]
                        .filter(Boolean)
                        .join('; ')}
                    </Field>
                  )}
                </Stack>
                {s.reason !== 'erasure' && <LiftSuppression suppression={s} onDone={onDone} />}
              </Group>
            </Card>
          ))}
        </Stack>
      )}
    </Section>
  );
}

const CHANNELS = new Set(['web-form', 'api', 'one-click', 'unsubscribe-page', 'mailbox', 'bounce', 'complaint', 'admin', 'import', 'retention', 'reconciliation', 're-consent']);

/** The channel in words; a code the console does not know yet is shown as it is. */
function channelWords(t: (key: MessageKey) => string, channel: string): string {
  return CHANNELS.has(channel) ? t(`people.channel.${channel}` as MessageKey) : channel;
}

/** Whether the person's chain still verifies, and up to which daily anchor (issue: tamper-evident ledger). */
function LedgerCheck({ subscriberId }: { subscriberId: string }) {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState<LedgerStatus | null | undefined>(undefined);
  useEffect(() => {
    peopleApi.ledger(subscriberId).then(setStatus, () => setStatus(null));
  }, [subscriberId]);
  if (status === undefined) return <Text size="xs" c="dimmed">{t('people.ledger.checking')}</Text>;
  if (status === null) return null;
  if (status.broken) {
    return (
      <Alert color="red" role="alert" mb="sm" data-ledger="broken">
        {t('people.ledger.broken', { eventId: status.broken.eventId ?? `#${status.broken.seq ?? '?'}`, reason: status.broken.reason })}
      </Alert>
    );
  }
  return (
    <Badge mb="sm" color={status.verifiedUpTo ? 'green' : 'gray'} variant="light" data-ledger={status.verifiedUpTo ? 'anchored' : 'chained'} style={{ textTransform: 'none' }}>
      {status.verifiedUpTo ? t('people.ledger.verifiedUpTo', { date: formatDate(status.verifiedUpTo, lang) }) : t('people.ledger.notAnchored')}
    </Badge>
  );
}

function History({ events, subscriberId }: { events: ConsentEvent[]; subscriberId: string }) {
  const { t, lang } = useI18n();
  return (
    <Section title="people.person.timeline">
      <LedgerCheck subscriberId={subscriberId} />
      {events.length === 0 ? (
        <Text size="sm">{t('people.person.noTimeline')}</Text>
      ) : (
        <Timeline active={events.length - 1} bulletSize={14} lineWidth={2} aria-label={t('people.person.timeline')}>
          {events.map((e) => (
            <Timeline.Item key={e.id} data-event={e.type} title={`${t(`people.event.${e.type}` as MessageKey)}${e.list ? ` · ${e.list}` : ''}`}>
              <Text size="xs" c="dimmed" mb={4}>
                {formatTime(e.at, lang)} · {t('people.event.channel')}: {channelWords(t, e.channel)}
              </Text>
              <Stack gap={2}>
                {e.policyVersion !== undefined && <Field label={t('people.event.policy')}>{e.policyVersion}</Field>}
                {e.ip && <Field label={t('people.event.ip')}>{e.ip}</Field>}
                {e.userAgent && <Field label={t('people.event.userAgent')}>{e.userAgent}</Field>}
                {e.campaign && (
                  <Field label={t('people.event.campaign')}>
                    {e.campaign.name} („{e.campaign.subject}”)
                  </Field>
                )}
                {e.messageId && <Field label={t('people.event.message')}>{e.messageId}</Field>}
                {e.requestRef && <Field label={t('people.event.request')}>{e.requestRef}</Field>}
                {e.source && <Field label={t('people.event.source')}>{e.source}</Field>}
                {e.consentedAt && <Field label={t('people.event.consentedAt')}>{formatDate(e.consentedAt, lang)}</Field>}
                {e.actor && <Field label={t('people.event.actor')}>{e.actor}</Field>}
                {e.note && <Field label={t('people.event.note')}>{eventNote(e.note, t)}</Field>}
              </Stack>
              {e.consentText && (
                <Blockquote mt="xs" p="xs" cite={t('people.event.consentText')}>
                  {e.consentText}
                </Blockquote>
              )}
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Section>
  );
}

function Requests({ person }: { person: PersonData }) {
  const { t, lang } = useI18n();
  return (
    <Section title="people.person.requests">
      {person.requests.length === 0 ? (
        <Text size="sm">{t('people.person.noRequests')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('people.request.number')}</Table.Th>
                <Table.Th>{t('people.request.type')}</Table.Th>
                <Table.Th>{t('people.request.status')}</Table.Th>
                <Table.Th>{t('people.request.received')}</Table.Th>
                <Table.Th>{t('people.request.due')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {person.requests.map((r) => (
                <Table.Tr key={r.id} data-request={r.number}>
                  <Table.Td>{r.number}</Table.Td>
                  <Table.Td>{t(`people.request.type.${r.type}`)}</Table.Td>
                  <Table.Td>{t(`people.request.status.${r.status}`)}</Table.Td>
                  <Table.Td>{formatDate(r.receivedAt, lang)}</Table.Td>
                  <Table.Td c={r.overdue ? 'red' : undefined} fw={r.urgent ? 600 : undefined}>
                    {formatDate(r.dueAt, lang)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  );
}

function Inbound({ person }: { person: PersonData }) {
  const { t, lang } = useI18n();
  return (
    <Section title="people.person.inbound">
      {person.inbound.length === 0 ? (
        <Text size="sm">{t('people.person.noInbound')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('people.request.received')}</Table.Th>
                <Table.Th>{t('people.inbound.subject')}</Table.Th>
                <Table.Th>{t('people.inbound.kind')}</Table.Th>
                <Table.Th>{t('people.inbound.outcome')}</Table.Th>
                <Table.Th>{t('people.inbound.via')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {person.inbound.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>{formatTime(m.receivedAt, lang)}</Table.Td>
                  <Table.Td>{m.subject ?? '—'}</Table.Td>
                  <Table.Td>{m.kind ?? '—'}</Table.Td>
                  <Table.Td>{m.outcome}</Table.Td>
                  <Table.Td>{m.via.map((v) => t(`people.inbound.via.${v}`)).join(', ')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  );
}
