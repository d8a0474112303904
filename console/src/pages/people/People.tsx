// People search for the DPO: by the whole address or a part of it, name, list and state; a table
// that pages on with "show more". The last search stays while the DPO opens a person and comes back.
import { Alert, Anchor, Badge, Button, Group, Loader, NativeSelect, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { useLinkProps } from '../../router';
import { peopleApi, type ListName, type PersonQuery, type PersonRow, type Suppression } from './api';
import { formatDate } from './format';

const STATES = ['pending', 'active', 'unsubscribed'] as const;

interface Form {
  address: string;
  match: 'contains' | 'exact';
  name: string;
  list: string;
  state: string;
}

// A word left by a page that sent the DPO back here (an erasure: the person is gone).
let flash: string | undefined;
export function leaveNotice(text: string, forget?: string): void {
  flash = text;
  if (remembered && forget) remembered = { ...remembered, rows: remembered.rows.filter((r) => r.id !== forget) };
}

// The last search, kept for the way back from a person's page.
let remembered: { form: Form; rows: PersonRow[]; next: string | null; lists: ListName[]; suppressed: Suppression[] } | undefined;

function queryOf(form: Form): PersonQuery {
  const address = form.address.trim();
  return {
    ...(address ? (form.match === 'exact' ? { email: address } : { address }) : {}),
    name: form.name.trim() || undefined,
    list: form.list || undefined,
    state: form.list ? form.state || undefined : undefined,
  };
}

export function People() {
  const { t, lang } = useI18n();
  const [form, setForm] = useState<Form>(remembered?.form ?? { address: '', match: 'contains', name: '', list: '', state: '' });
  const [rows, setRows] = useState<PersonRow[] | undefined>(remembered?.rows);
  const [next, setNext] = useState<string | null>(remembered?.next ?? null);
  const [lists, setLists] = useState<ListName[]>(remembered?.lists ?? []);
  const [suppressed, setSuppressed] = useState<Suppression[]>(remembered?.suppressed ?? []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  // Read on render, cleared once the page is on screen: a render React throws away (a page chunk
  // still loading) must not use the word up.
  const [notice, setNotice] = useState(() => flash);
  useEffect(() => {
    flash = undefined;
  }, []);

  useEffect(() => {
    if (lists.length === 0) peopleApi.lists().then(setLists, (err: ApiError) => setError(err.message));
    // Once per visit; the lists rarely change.
  }, []);

  useEffect(() => {
    remembered = rows ? { form, rows, next, lists, suppressed } : remembered;
  }, [form, rows, next, lists, suppressed]);

  const run = async (after?: string) => {
    // The server refuses a search that names nothing: say so here, in the DPO's language.
    if (Object.values(queryOf(form)).every((v) => v === undefined)) return setError(t('people.hint'));
    setBusy(true);
    setError(undefined);
    try {
      const result = await peopleApi.search({ ...queryOf(form), after });
      setRows(after ? [...(rows ?? []), ...result.items] : result.items);
      setNext(result.next);
      // Nobody by that whole address: perhaps they were erased or the address is suppressed.
      const exact = queryOf(form).email;
      setSuppressed(!after && exact && result.items.length === 0 ? await peopleApi.suppressionsOf(exact) : []);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const listName = (slug: string) => lists.find((l) => l.slug === slug)?.name[lang] || slug;

  return (
    <Stack>
      <Title order={2}>{t('people.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('people.intro')}
      </Text>
      {notice && (
        <Alert color="green" role="status" withCloseButton onClose={() => setNotice(undefined)} closeButtonLabel={t('common.close')}>
          {notice}
        </Alert>
      )}
      <form onSubmit={submit} aria-label={t('people.title')}>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Stack gap={4}>
              <TextInput label={t('people.address')} value={form.address} onChange={(e) => set({ address: e.currentTarget.value })} maxLength={254} autoComplete="off" />
              <SegmentedControl
                size="xs"
                aria-label={t('people.match')}
                value={form.match}
                onChange={(v) => set({ match: v as Form['match'] })}
                data={[
                  { value: 'contains', label: t('people.match.contains') },
                  { value: 'exact', label: t('people.match.exact') },
                ]}
              />
            </Stack>
            <TextInput label={t('people.name')} value={form.name} onChange={(e) => set({ name: e.currentTarget.value })} maxLength={200} autoComplete="off" />
            <NativeSelect
              label={t('people.list')}
              value={form.list}
              onChange={(e) => set({ list: e.currentTarget.value, state: e.currentTarget.value ? form.state : '' })}
              data={[{ value: '', label: t('people.list.any') }, ...lists.map((l) => ({ value: l.slug, label: l.name[lang] || l.slug }))]}
            />
            <NativeSelect
              label={t('people.state')}
              value={form.state}
              disabled={!form.list}
              onChange={(e) => set({ state: e.currentTarget.value })}
              data={[{ value: '', label: t('people.state.any') }, ...STATES.map((s) => ({ value: s, label: t(`people.state.${s}`) }))]}
            />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={busy && !rows?.length}>
              {t('people.search')}
            </Button>
          </Group>
        </Stack>
      </form>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {!rows && !busy && <Text c="dimmed">{t('people.hint')}</Text>}
      {!rows && busy && <Loader aria-label={t('common.loading')} />}
      {suppressed.map((s) => (
        <Alert key={s.id} color="orange" role="status">
          {t('people.suppressedAddress', { reason: t(`people.suppression.${s.reason}` as MessageKey), since: formatDate(s.since, lang) })}
        </Alert>
      ))}
      {rows && rows.length === 0 && <Text>{t('people.none')}</Text>}
      {rows && rows.length > 0 && (
        <>
          <Text size="sm" c="dimmed" role="status">
            {t('people.results', { count: rows.length + (next ? '+' : '') })}
          </Text>
          <Table.ScrollContainer minWidth={520}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('people.address')}</Table.Th>
                  <Table.Th>{t('people.name')}</Table.Th>
                  <Table.Th>{t('people.lists')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((p) => (
                  <PersonLine key={p.id} person={p} listName={listName} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {next && (
            <Group>
              <Button variant="light" onClick={() => void run(next)} loading={busy}>
                {t('people.more')}
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}

function PersonLine({ person, listName }: { person: PersonRow; listName: (slug: string) => string }) {
  const { t } = useI18n();
  const link = useLinkProps(`/people/${person.id}`);
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor {...link} fw={500}>
          {person.email}
        </Anchor>
        {person.restricted && (
          <Badge ml="xs" size="xs" color="orange" variant="light">
            {t('people.restricted')}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>{person.name}</Table.Td>
      <Table.Td>
        <Group gap={4}>
          {Object.entries(person.lists).map(([slug, state]) => (
            <Badge key={slug} size="sm" variant="light" color={STATE_COLOURS[state] ?? 'gray'} tt="none">
              {listName(slug)}: {t(`people.state.${state}` as MessageKey)}
            </Badge>
          ))}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

export const STATE_COLOURS: Record<string, string> = { active: 'green', pending: 'blue', unsubscribed: 'gray', lapsed: 'yellow' };
