// Lists with their counts and the sign-up link that preselects each one; create a list, rename it,
// describe it, show or hide it on the sign-up page (the slug never changes: links carry it).
import { Alert, Anchor, Badge, Button, Checkbox, Group, Loader, Modal, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type List, type ListInput } from '../api';
import { useI18n } from '../i18n';
import { useAction } from '../useAction';
import { useDialog } from '../useDialog';

const EMPTY: ListInput = { slug: '', name: { lv: '', en: '' }, description: { lv: '', en: '' }, public: true };

export function Lists() {
  const { t, lang } = useI18n();
  const [items, setItems] = useState<List[]>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  // The list being edited: a new one (no slug yet) or an existing one.
  const editing = useDialog<{ list: ListInput; isNew: boolean }>();
  const load = useCallback(() => api.lists().then(setItems, (err: ApiError) => setError(err.message)), []);
  useEffect(() => {
    void load();
  }, [load]);
  const saved = (list: List, isNew: boolean) => {
    editing.close();
    setNotice(t(isNew ? 'lists.created' : 'lists.saved', { slug: list.slug }));
    void load();
  };
  const signupLink = (slug: string) => `${window.location.origin}/subscribe?list=${encodeURIComponent(slug)}`;
  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={2}>{t('lists.title')}</Title>
        <Button
          onClick={() => {
            setNotice(undefined);
            editing.open({ list: EMPTY, isNew: true });
          }}
        >
          {t('lists.new')}
        </Button>
      </Group>
      {notice && (
        <Alert color="green" role="status" mb="md" data-testid="lists-notice">
          {notice}
        </Alert>
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {!items && !error && <Loader aria-label={t('common.loading')} />}
      {items && items.length === 0 && <Text c="dimmed">{t('lists.empty')}</Text>}
      {items && items.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('lists.name')}</Table.Th>
                <Table.Th ta="right">{t('lists.active')}</Table.Th>
                <Table.Th ta="right">{t('lists.pending')}</Table.Th>
                <Table.Th ta="right">{t('lists.unsubscribed')}</Table.Th>
                <Table.Th>{t('lists.signupLink')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((l) => (
                <Table.Tr key={l.slug} data-slug={l.slug}>
                  <Table.Td>
                    <Text fw={500}>{l.name[lang] || l.slug}</Text>
                    {l.description[lang] && (
                      <Text size="xs" c="dimmed" lineClamp={2}>
                        {l.description[lang]}
                      </Text>
                    )}
                    <Text size="xs" c="dimmed">
                      {l.slug} · <Badge size="xs" variant="light" color={l.public ? 'teal' : 'gray'}>{t(l.public ? 'lists.public' : 'lists.hidden')}</Badge>
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{l.subscriptions.active}</Table.Td>
                  <Table.Td ta="right">{l.subscriptions.pending}</Table.Td>
                  <Table.Td ta="right">{l.subscriptions.unsubscribed}</Table.Td>
                  <Table.Td>
                    <Anchor href={signupLink(l.slug)} size="sm" target="_blank" rel="noopener">
                      /subscribe?list={l.slug}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={`${t('lists.edit')}: ${l.slug}`}
                      onClick={() => {
                        setNotice(undefined);
                        editing.open({ list: { slug: l.slug, name: l.name, description: l.description, public: l.public }, isNew: false });
                      }}
                    >
                      {t('lists.edit')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal
        opened={editing.opened}
        onClose={editing.close}
        title={editing.subject?.isNew ? t('lists.new') : t('lists.editTitle', { slug: editing.subject?.list.slug ?? '' })}
        size="lg"
        centered
      >
        {editing.subject && (
          <ListForm key={editing.subject.list.slug || 'new'} initial={editing.subject.list} isNew={editing.subject.isNew} onSaved={(l) => saved(l, editing.subject!.isNew)} onCancel={editing.close} />
        )}
      </Modal>
    </>
  );
}

function ListForm({ initial, isNew, onSaved, onCancel }: { initial: ListInput; isNew: boolean; onSaved: (l: List) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [list, setList] = useState<ListInput>(initial);
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const { slug, ...rest } = list;
      onSaved(isNew ? await api.createList(list) : await api.updateList(slug, rest));
    });
  };
  const text = (field: 'name' | 'description', lang: 'lv' | 'en') => ({
    value: list[field][lang],
    onChange: (e: { currentTarget: { value: string } }) => {
      const value = e.currentTarget.value;
      setList((l) => ({ ...l, [field]: { ...l[field], [lang]: value } }));
    },
  });
  return (
    <form onSubmit={submit}>
      <Stack>
        {isNew && (
          <TextInput
            label={t('lists.slug')}
            description={t('lists.slugHelp')}
            required
            pattern="[a-z0-9][a-z0-9\-]{0,62}"
            value={list.slug}
            onChange={(e) => {
              const slug = e.currentTarget.value;
              setList((l) => ({ ...l, slug }));
            }}
            autoComplete="off"
          />
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('lists.nameLv')} required maxLength={200} {...text('name', 'lv')} />
          <TextInput label={t('lists.nameEn')} required maxLength={200} {...text('name', 'en')} />
          <Textarea label={t('lists.descriptionLv')} maxLength={1000} autosize minRows={2} {...text('description', 'lv')} />
          <Textarea label={t('lists.descriptionEn')} maxLength={1000} autosize minRows={2} {...text('description', 'en')} />
        </SimpleGrid>
        <Checkbox
          label={t('lists.publicLabel')}
          checked={list.public}
          onChange={(e) => {
            const checked = e.currentTarget.checked;
            setList((l) => ({ ...l, public: checked }));
          }}
        />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('lists.cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {isNew ? t('lists.create') : t('lists.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
