// The audit log: filter by staff member, action, target and dates, page through newest first, and
// download the same selection as CSV (the server makes every cell safe for spreadsheets).
import { Alert, Anchor, Button, Card, Group, Loader, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError, request } from '../../api';
import { useI18n } from '../../i18n';

interface Entry {
  id: string;
  actor: string;
  role: string;
  action: string;
  target?: string;
  ip?: string;
  at: string;
  details?: unknown;
}
interface Page {
  items: Entry[];
  next: { before: string; beforeId: string } | null;
}
interface Filter {
  actor: string;
  action: string;
  target: string;
  from: string;
  to: string;
}

const EMPTY: Filter = { actor: '', action: '', target: '', from: '', to: '' };
const PAGE = 50;

/** The filter as the API's query: dates are whole local days, `to` inclusive. */
function queryOf(f: Filter): URLSearchParams {
  const q = new URLSearchParams();
  for (const key of ['actor', 'action', 'target'] as const) if (f[key].trim()) q.set(key, f[key].trim());
  if (f.from) q.set('from', new Date(`${f.from}T00:00:00`).toISOString());
  if (f.to) {
    const end = new Date(`${f.to}T00:00:00`);
    end.setDate(end.getDate() + 1);
    q.set('to', end.toISOString());
  }
  return q;
}

export function AuditPage() {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Filter>(EMPTY);
  const [filter, setFilter] = useState<Filter>(EMPTY);
  const [entries, setEntries] = useState<Entry[]>();
  const [next, setNext] = useState<Page['next']>(null);
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);

  const load = useCallback(async (f: Filter, cursor: Page['next'], append: boolean) => {
    setLoading(true);
    setError(undefined);
    const q = queryOf(f);
    q.set('limit', String(PAGE));
    if (cursor) {
      q.set('before', cursor.before);
      q.set('beforeId', cursor.beforeId);
    }
    try {
      const page = await request<Page>('GET', `/audit?${q}`);
      setEntries((old) => (append ? [...(old ?? []), ...page.items] : page.items));
      setNext(page.next);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load(filter, null, false);
  }, [filter, load]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFilter(draft);
  };
  const field = (key: keyof Filter) => ({ value: draft[key], onChange: (e: { currentTarget: { value: string } }) => setDraft({ ...draft, [key]: e.currentTarget.value }) });
  const csvHref = `/api/v1/admin/audit.csv?${queryOf(filter)}`;

  return (
    <Stack>
      <Title order={2}>{t('audit.title')}</Title>
      <Card withBorder component="form" onSubmit={submit} aria-label={t('audit.title')}>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 3, lg: 5 }}>
            <TextInput label={t('audit.actor')} {...field('actor')} />
            <TextInput label={t('audit.action')} {...field('action')} />
            <TextInput label={t('audit.target')} {...field('target')} />
            <TextInput type="date" label={t('audit.from')} {...field('from')} />
            <TextInput type="date" label={t('audit.to')} {...field('to')} />
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            {t('audit.rangeHint')}
          </Text>
          <Group>
            <Button type="submit">{t('audit.search')}</Button>
            <Button
              variant="default"
              onClick={() => {
                setDraft(EMPTY);
                setFilter(EMPTY);
              }}
            >
              {t('audit.reset')}
            </Button>
            <Anchor href={csvHref} download data-testid="audit-csv">
              {t('audit.download')}
            </Anchor>
          </Group>
        </Stack>
      </Card>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {!entries && loading && <Loader aria-label={t('common.loading')} />}
      {entries && entries.length === 0 && <Text c="dimmed">{t('audit.empty')}</Text>}
      {entries && entries.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped aria-label={t('audit.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('audit.at')}</Table.Th>
                <Table.Th>{t('audit.actor')}</Table.Th>
                <Table.Th>{t('audit.role')}</Table.Th>
                <Table.Th>{t('audit.action')}</Table.Th>
                <Table.Th>{t('audit.target')}</Table.Th>
                <Table.Th>{t('audit.ip')}</Table.Th>
                <Table.Th>{t('audit.details')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((e) => (
                <Table.Tr key={e.id} data-action={e.action}>
                  <Table.Td>{new Date(e.at).toLocaleString()}</Table.Td>
                  <Table.Td>{e.actor}</Table.Td>
                  <Table.Td>{e.role}</Table.Td>
                  <Table.Td>{e.action}</Table.Td>
                  <Table.Td>{e.target ?? ''}</Table.Td>
                  <Table.Td>{e.ip ?? ''}</Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace">
                      {detailsText(e.details)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {next && (
        <Group>
          <Button variant="light" loading={loading} onClick={() => void load(filter, next, true)}>
            {t('audit.more')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** Details as `key: value` pairs, which wrap in a narrow column where JSON would not. */
function detailsText(details: unknown): string {
  if (!details || typeof details !== 'object') return details === undefined || details === null ? '' : String(details);
  return Object.entries(details as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}
