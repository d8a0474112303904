// Lists with their counts and the sign-up link that preselects each one.
import { Alert, Anchor, Badge, Loader, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, ApiError, type List } from '../api';
import { useI18n } from '../i18n';

export function Lists() {
  const { t, lang } = useI18n();
  const [items, setItems] = useState<List[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.lists().then(setItems, (err: ApiError) => setError(err.message));
  }, []);
  const signupLink = (slug: string) => `${window.location.origin}/subscribe?list=${encodeURIComponent(slug)}`;
  return (
    <>
      <Title order={2} mb="md">
        {t('lists.title')}
      </Title>
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
                <Table.Th>{t('campaigns.name')}</Table.Th>
                <Table.Th ta="right">{t('lists.active')}</Table.Th>
                <Table.Th ta="right">{t('lists.pending')}</Table.Th>
                <Table.Th ta="right">{t('lists.unsubscribed')}</Table.Th>
                <Table.Th>{t('lists.signupLink')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((l) => (
                <Table.Tr key={l.slug}>
                  <Table.Td>
                    <Text fw={500}>{l.name[lang] || l.slug}</Text>
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
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}
