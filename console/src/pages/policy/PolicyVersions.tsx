// Privacy-policy versions: the table (with active consents and the material flag) and the form
// that registers a new one.
import { Alert, Badge, Button, Card, Checkbox, Group, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { ApiError } from '../../api';
import { useI18n } from '../../i18n';
import { policyApi, type Coverage } from './policy-api';

export function PolicyVersions({ coverage, onChange }: { coverage: Coverage; onChange: () => Promise<void> }) {
  const { t, lang } = useI18n();
  const [error, setError] = useState<string>();
  const markMaterial = async (version: number) => {
    try {
      await policyApi.setMaterial(version, true);
      await onChange();
    } catch (err) {
      setError((err as ApiError).message);
    }
  };
  const date = (iso: string) => new Date(iso).toLocaleDateString(lang === 'lv' ? 'lv-LV' : 'en-GB', { timeZone: 'Europe/Riga' });
  return (
    <Stack component="section" aria-labelledby="versions-title">
      <Title order={3} id="versions-title">
        {t('policy.versions')}
      </Title>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={520}>
        <Table striped data-testid="policy-versions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('policy.version')}</Table.Th>
              <Table.Th>{t('policy.effective')}</Table.Th>
              <Table.Th ta="right">{t('policy.active')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...coverage.versions].reverse().map((v) => (
              <Table.Tr key={v.version} data-version={v.version}>
                <Table.Td>
                  <Group gap="xs">
                    <Text fw={500}>{v.version}</Text>
                    {coverage.current === v.version && (
                      <Badge size="sm" variant="light" color="teal">
                        {t('policy.inForce')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{date(v.effectiveAt)}</Table.Td>
                <Table.Td ta="right">{v.activeSubscribers}</Table.Td>
                <Table.Td>
                  {v.material ? (
                    <Badge color="orange" variant="light">
                      {t('policy.material')}
                    </Badge>
                  ) : (
                    <Button size="xs" variant="default" onClick={() => markMaterial(v.version)}>
                      {t('policy.markMaterial')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {coverage.unknownVersion > 0 && (
        <Text size="sm" c="dimmed">
          {t('policy.unknownVersion', { count: coverage.unknownVersion })}
        </Text>
      )}
      <RegisterVersion onRegistered={onChange} />
    </Stack>
  );
}

function RegisterVersion({ onRegistered }: { onRegistered: () => Promise<void> }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ text: '', consentLv: '', consentEn: '', summaryLv: '', summaryEn: '', effectiveAt: '', material: false });
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const set = (field: keyof typeof form) => (value: string | boolean) => setForm((f) => ({ ...f, [field]: value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const summary = form.summaryLv || form.summaryEn ? { lv: form.summaryLv, en: form.summaryEn } : undefined;
      const created = await policyApi.register({
        text: form.text,
        consentText: { lv: form.consentLv, en: form.consentEn },
        changeSummary: summary,
        // A date alone means the start of that day in Riga.
        effectiveAt: form.effectiveAt ? new Date(`${form.effectiveAt}T00:00:00`).toISOString() : undefined,
        material: form.material,
      });
      setMessage({ ok: true, text: t('policy.registered', { version: created.version }) });
      setForm({ text: '', consentLv: '', consentEn: '', summaryLv: '', summaryEn: '', effectiveAt: '', material: false });
      await onRegistered();
    } catch (err) {
      setMessage({ ok: false, text: (err as ApiError).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder component="form" onSubmit={submit} aria-labelledby="register-title">
      <Title order={4} id="register-title" mb="sm">
        {t('policy.register')}
      </Title>
      <Stack>
        {message && (
          <Alert color={message.ok ? 'teal' : 'red'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </Alert>
        )}
        <Textarea label={t('policy.text')} required autosize minRows={4} maxRows={12} value={form.text} onChange={(e) => set('text')(e.currentTarget.value)} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Textarea label={t('policy.consentLv')} description={t('policy.consentHint')} required autosize minRows={2} value={form.consentLv} onChange={(e) => set('consentLv')(e.currentTarget.value)} />
          <Textarea label={t('policy.consentEn')} description={t('policy.consentHint')} required autosize minRows={2} value={form.consentEn} onChange={(e) => set('consentEn')(e.currentTarget.value)} />
          <Textarea label={t('policy.summaryLv')} description={t('policy.summaryHint')} autosize minRows={2} value={form.summaryLv} onChange={(e) => set('summaryLv')(e.currentTarget.value)} />
          <Textarea label={t('policy.summaryEn')} description={t('policy.summaryHint')} autosize minRows={2} value={form.summaryEn} onChange={(e) => set('summaryEn')(e.currentTarget.value)} />
        </SimpleGrid>
        <TextInput type="date" label={t('policy.effectiveAt')} description={t('policy.effectiveHint')} value={form.effectiveAt} onChange={(e) => set('effectiveAt')(e.currentTarget.value)} maw={260} />
        <Checkbox label={t('policy.materialLabel')} description={t('policy.materialHint')} checked={form.material} onChange={(e) => set('material')(e.currentTarget.checked)} />
        <Group>
          <Button type="submit" loading={busy}>
            {t('policy.registerButton')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
