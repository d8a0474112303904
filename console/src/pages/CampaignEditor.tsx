// A draft: name, list, subject, preheader and MJML, with a live preview rendered by the server from
// the unsaved source (shown in an iframe sandboxed without scripts), a test send, and the send
// behind a confirmation that names the list and how many people get it now.
import { Alert, Anchor, Box, Button, Card, Grid, Group, List as ListItems, Modal, NativeSelect, SegmentedControl, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { api, ApiError, type CampaignDraft, type List, type MjmlProblem } from '../api';
import { useI18n } from '../i18n';
import { useLinkProps, useRouter } from '../router';

const STARTER_MJML = `<mj-section>
  <mj-column>
    <mj-text font-size="20px" font-weight="bold">Labdien, {{name}}!</mj-text>
    <mj-text>Jaunumi no IMPRO CEĻOJUMI.</mj-text>
  </mj-column>
</mj-section>
`;

const EMPTY: CampaignDraft = { name: '', list: '', subject: '', preheader: '', mjml: STARTER_MJML };

export function CampaignEditor({ id, onSent }: { id?: string; onSent?: () => void }) {
  const { t, lang } = useI18n();
  const { navigate } = useRouter();
  const back = useLinkProps('/campaigns');
  const [draft, setDraft] = useState<CampaignDraft>(EMPTY);
  const [savedId, setSavedId] = useState(id);
  const [dirty, setDirty] = useState(!id);
  const [lists, setLists] = useState<List[]>([]);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [problems, setProblems] = useState<MjmlProblem[]>([]);
  const [busy, setBusy] = useState<'save' | 'test' | 'send'>();
  const [preview, setPreview] = useState<{ subject: string; html: string }>();
  const [previewWidth, setPreviewWidth] = useState<'desktop' | 'phone'>('desktop');
  const [testTo, setTestTo] = useState('');
  const [confirm, setConfirm] = useState<{ list: string; recipients: number }>();

  useEffect(() => {
    api.lists().then(
      (items) => {
        setLists(items);
        if (!id) setDraft((d) => (d.list ? d : { ...d, list: items[0]?.slug ?? '' }));
      },
      (err) => setError(err.message),
    );
    if (id) {
      api.campaign(id).then(
        (c) => setDraft({ name: c.name, list: c.list, subject: c.subject, preheader: c.preheader, mjml: c.mjml ?? '' }),
        (err) => setError(err.message),
      );
    }
  }, [id]);

  // The preview follows the source half a second after typing stops.
  const [source] = useDebouncedValue({ subject: draft.subject || '—', preheader: draft.preheader, mjml: draft.mjml }, 500);
  useEffect(() => {
    if (!source.mjml.trim()) return;
    let stale = false;
    api.previewSource(source).then(
      (p) => {
        if (stale) return;
        setPreview(p);
        setProblems([]);
      },
      (err: ApiError) => {
        if (stale) return;
        setProblems(err.mjmlProblems.length ? err.mjmlProblems : [{ line: 0, message: err.message }]);
      },
    );
    return () => {
      stale = true;
    };
  }, [source.subject, source.preheader, source.mjml]);

  const set = (field: keyof CampaignDraft) => (value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setDirty(true);
    setNotice(undefined);
  };

  const fail = (err: unknown) => {
    if (err instanceof ApiError && err.mjmlProblems.length) setProblems(err.mjmlProblems);
    setError(err instanceof ApiError ? err.message : String(err));
  };

  /** Saves when something changed; returns the campaign's id. */
  const save = async (): Promise<string> => {
    if (savedId && !dirty) return savedId;
    const campaign = savedId ? await api.updateCampaign(savedId, draft) : await api.createCampaign(draft);
    setDirty(false);
    if (!savedId) {
      setSavedId(campaign.id);
      window.history.replaceState(null, '', `/admin/campaigns/${campaign.id}`);
    }
    return campaign.id;
  };

  const act = async (what: 'save' | 'test' | 'send', action: () => Promise<void>) => {
    setBusy(what);
    setError(undefined);
    setNotice(undefined);
    try {
      await action();
    } catch (err) {
      fail(err);
    } finally {
      setBusy(undefined);
    }
  };

  const onSave = () => act('save', async () => {
    await save();
    setNotice(t('editor.saved'));
  });
  const onTest = () => act('test', async () => {
    const campaignId = await save();
    const to = testTo.split(/[\s,;]+/).filter(Boolean);
    const { results } = await api.sendTest(campaignId, to);
    setNotice(t('editor.testResult', { ok: results.filter((r) => r.status === 'sent').length, all: results.length }));
  });
  const onAskSend = () => act('send', async () => {
    const campaignId = await save();
    setConfirm(await api.audience(campaignId));
  });
  const onSend = () => act('send', async () => {
    await api.send(savedId!);
    setConfirm(undefined);
    if (onSent) onSent();
    else navigate(`/campaigns/${savedId}`, { replace: true });
  });

  const listName = (slug: string) => {
    const list = lists.find((l) => l.slug === slug);
    return list ? list.name[lang] || list.slug : slug;
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{savedId ? t('editor.editTitle', { name: draft.name }) : t('editor.newTitle')}</Title>
        <Anchor {...back} size="sm">
          {t('editor.back')}
        </Anchor>
      </Group>
      {error && (
        <Alert color="red" role="alert" withCloseButton closeButtonLabel={t('common.close')} onClose={() => setError(undefined)}>
          {error}
        </Alert>
      )}
      {notice && (
        <Alert color="teal" role="status">
          {notice}
        </Alert>
      )}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="sm">
            <TextInput label={t('editor.name')} required value={draft.name} onChange={(e) => set('name')(e.currentTarget.value)} maxLength={200} />
            <NativeSelect label={t('editor.list')} required value={draft.list} onChange={(e) => set('list')(e.currentTarget.value)} data={lists.map((l) => ({ value: l.slug, label: `${listName(l.slug)} (${l.subscriptions.active})` }))} />
            <TextInput label={t('editor.subject')} required value={draft.subject} onChange={(e) => set('subject')(e.currentTarget.value)} maxLength={300} />
            <TextInput label={t('editor.preheader')} value={draft.preheader} onChange={(e) => set('preheader')(e.currentTarget.value)} maxLength={300} />
            <Textarea
              label={t('editor.mjml')}
              description={t('editor.mjmlHelp')}
              required
              autosize
              minRows={12}
              maxRows={30}
              spellCheck={false}
              value={draft.mjml}
              onChange={(e) => set('mjml')(e.currentTarget.value)}
              error={problems.length > 0}
              styles={{ input: { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 13 } }}
            />
            {problems.length > 0 && (
              <Alert color="red" title={t('editor.mjmlErrors')} role="alert" data-testid="mjml-problems">
                <ListItems size="sm">
                  {problems.map((p, i) => (
                    <ListItems.Item key={i}>{p.line > 0 ? t('editor.line', { line: p.line, message: p.message }) : p.message}</ListItems.Item>
                  ))}
                </ListItems>
              </Alert>
            )}
            <Group>
              <Button onClick={onSave} loading={busy === 'save'} variant={dirty ? 'filled' : 'light'}>
                {t('editor.save')}
              </Button>
              <Button onClick={onAskSend} loading={busy === 'send'} color="orange" disabled={!draft.name || !draft.subject || !draft.list}>
                {t('editor.sendNow')}
              </Button>
            </Group>
            <Card withBorder>
              <Title order={3} size="h5" mb="xs">
                {t('editor.testTitle')}
              </Title>
              <Group align="end" wrap="wrap">
                <TextInput label={t('editor.testTo')} type="text" inputMode="email" value={testTo} onChange={(e) => setTestTo(e.currentTarget.value)} style={{ flex: '1 1 14rem' }} />
                <Button onClick={onTest} loading={busy === 'test'} variant="light" disabled={!testTo.trim() || !draft.name || !draft.subject}>
                  {t('editor.testSend')}
                </Button>
              </Group>
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="xs">
            <Group justify="space-between">
              <Title order={3} size="h4">
                {t('editor.preview')}
              </Title>
              <SegmentedControl
                size="xs"
                value={previewWidth}
                onChange={(v) => setPreviewWidth(v as 'desktop' | 'phone')}
                data={[
                  { value: 'desktop', label: t('editor.previewDesktop') },
                  { value: 'phone', label: t('editor.previewPhone') },
                ]}
              />
            </Group>
            <Card withBorder padding="xs" aria-label={t('editor.inbox')}>
              <Text size="xs" c="dimmed">
                {t('editor.inbox')}
              </Text>
              <Text fw={700} size="sm" lineClamp={1} data-testid="inbox-subject">
                {preview?.subject ?? draft.subject}
              </Text>
              <Text size="sm" c="dimmed" lineClamp={1}>
                {draft.preheader}
              </Text>
            </Card>
            <Box mx="auto" w={previewWidth === 'phone' ? 375 : '100%'} maw="100%">
              <iframe
                title={t('editor.previewTitle')}
                sandbox=""
                srcDoc={preview?.html ?? ''}
                style={{ width: '100%', height: 640, border: '1px solid var(--mantine-color-gray-4)', borderRadius: 8, background: '#fff' }}
              />
            </Box>
          </Stack>
        </Grid.Col>
      </Grid>
      <Modal opened={!!confirm} onClose={() => setConfirm(undefined)} title={t('send.title')} centered>
        {confirm && (
          <Stack>
            <Text>{t('send.body', { name: draft.name, list: listName(confirm.list), count: confirm.recipients })}</Text>
            <Text size="sm" c="dimmed">
              {t('send.bodyNote')}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirm(undefined)}>
                {t('send.cancel')}
              </Button>
              <Button color="orange" onClick={onSend} loading={busy === 'send'} disabled={confirm.recipients === 0}>
                {t('send.confirm', { count: confirm.recipients })}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
