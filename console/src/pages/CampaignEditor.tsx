// A draft: name and list, then each language's version (Latvian always, English optionally, a tab
// each) with subject, preheader and MJML in a code editor, a live preview of the version in view
// rendered by the server from the unsaved source (in an iframe sandboxed without scripts), merge
// field help, a warning when `{{name}}` lacks a fallback for people without a name, a test send of
// either or both versions, and sending now or at a Riga time behind a confirmation that names the
// list and how many people get it. Saved drafts can be duplicated or deleted.
import { Alert, Anchor, Box, Button, Card, Code, Grid, Group, List as ListItems, Modal, NativeSelect, SegmentedControl, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import { api, ApiError, type CampaignDraft, type CampaignLang, type CampaignVersion, type List, type MjmlProblem, type NamelessCount } from '../api';
import { useI18n } from '../i18n';
import { useLinkProps, useRouter } from '../router';
import { MjmlEditor, type MjmlEditorHandle } from './MjmlEditor';

const STARTER_MJML = `<mj-section>
  <mj-column>
    <mj-text font-size="20px" font-weight="bold">Labdien, {{name}}!</mj-text>
    <mj-text>Jaunumi no IMPRO CEĻOJUMI.</mj-text>
  </mj-column>
</mj-section>
`;
const STARTER_MJML_EN = `<mj-section>
  <mj-column>
    <mj-text font-size="20px" font-weight="bold">Hello {{name|friend}}!</mj-text>
    <mj-text>News from IMPRO CEĻOJUMI.</mj-text>
  </mj-column>
</mj-section>
`;

const EMPTY: CampaignDraft = { name: '', list: '', subject: '', preheader: '', mjml: STARTER_MJML, en: null };
// What each merge field does, and the field written as it is inserted.
const MERGE_FIELDS = [
  ['{{name}}', 'editor.field.name'],
  ['{{name.vocative}}', 'editor.field.vocative'],
  ['{{name|draugs}}', 'editor.field.fallback'],
  ['{{unsubscribeUrl}}', 'editor.field.unsubscribe'],
  ['{{preferencesUrl}}', 'editor.field.preferences'],
] as const;
const RIGA = 'Europe/Riga';

type Preview = { subject: string; html: string; nameWithoutFallback: boolean };
type Confirm = { list: string; recipients: number; at?: string };

export function CampaignEditor(props: { id?: string; onSent?: () => void }) {
  // Another campaign (a duplicate just made) is a fresh editor, not this one's state with a new id.
  return <Editor key={props.id ?? 'new'} {...props} />;
}

function Editor({ id, onSent }: { id?: string; onSent?: () => void }) {
  const { t, lang } = useI18n();
  const { navigate } = useRouter();
  const back = useLinkProps('/campaigns');
  const editor = useRef<MjmlEditorHandle>(null);
  const [draft, setDraft] = useState<CampaignDraft>(EMPTY);
  const [tab, setTab] = useState<CampaignLang>('lv');
  const [savedId, setSavedId] = useState(id);
  const [dirty, setDirty] = useState(!id);
  const [lists, setLists] = useState<List[]>([]);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [problems, setProblems] = useState<MjmlProblem[]>([]);
  const [busy, setBusy] = useState<'save' | 'test' | 'send' | 'duplicate' | 'delete'>();
  const [preview, setPreview] = useState<Preview>();
  const [previewWidth, setPreviewWidth] = useState<'desktop' | 'phone'>('desktop');
  const [nameless, setNameless] = useState<NamelessCount>();
  const [testTo, setTestTo] = useState('');
  const [testLangs, setTestLangs] = useState<'both' | CampaignLang>('both');
  const [confirm, setConfirm] = useState<Confirm>();
  const [scheduling, setScheduling] = useState<{ date: string; time: string }>();
  const [askDelete, setAskDelete] = useState(false);

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
        (c) =>
          setDraft({
            name: c.name,
            list: c.list,
            subject: c.subject,
            preheader: c.preheader,
            mjml: c.mjml ?? '',
            en: c.en ? { subject: c.en.subject, preheader: c.en.preheader, mjml: c.en.mjml ?? '' } : null,
          }),
        (err) => setError(err.message),
      );
    }
  }, [id]);

  // How many people of the list have no name: the warning below needs it when a name lacks a fallback.
  useEffect(() => {
    if (!draft.list) return;
    let stale = false;
    api.nameless(draft.list).then((n) => !stale && setNameless(n), () => !stale && setNameless(undefined));
    return () => {
      stale = true;
    };
  }, [draft.list]);

  const version: CampaignVersion | null = tab === 'en' ? draft.en : draft;

  // The preview follows the version in view half a second after typing stops.
  const [source] = useDebouncedValue({ lang: tab, subject: version?.subject || '—', preheader: version?.preheader ?? '', mjml: version?.mjml ?? '' }, 500);
  useEffect(() => {
    if (!source.mjml.trim()) {
      setPreview(undefined);
      return;
    }
    let stale = false;
    api.previewSource({ subject: source.subject, preheader: source.preheader, mjml: source.mjml }, source.lang).then(
      (p) => {
        if (stale) return;
        setPreview(p);
        setProblems((all) => all.filter((x) => (x.lang ?? 'lv') !== source.lang));
      },
      (err: ApiError) => {
        if (stale) return;
        const found = err.mjmlProblems.length ? err.mjmlProblems : [{ line: 0, message: err.message }];
        setProblems((all) => [...all.filter((x) => (x.lang ?? 'lv') !== source.lang), ...found.map((p) => ({ ...p, lang: source.lang }))]);
      },
    );
    return () => {
      stale = true;
    };
  }, [source.lang, source.subject, source.preheader, source.mjml]);

  const touched = () => {
    setDirty(true);
    setNotice(undefined);
  };
  const setField = (field: 'name' | 'list') => (value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    touched();
  };
  const setVersionField = (field: keyof CampaignVersion) => (value: string) => {
    setDraft((d) => (tab === 'en' ? { ...d, en: { ...(d.en ?? { subject: '', preheader: '', mjml: '' }), [field]: value } } : { ...d, [field]: value }));
    touched();
  };
  const addEnglish = () => {
    setDraft((d) => ({ ...d, en: { subject: '', preheader: '', mjml: STARTER_MJML_EN } }));
    touched();
  };
  const removeEnglish = () => {
    setDraft((d) => ({ ...d, en: null }));
    setProblems((all) => all.filter((p) => p.lang !== 'en'));
    touched();
  };

  const fail = (err: unknown) => {
    if (err instanceof ApiError && err.mjmlProblems.length) {
      setProblems(err.mjmlProblems);
      // Show the version the problems are in.
      setTab(err.mjmlProblems[0]!.lang === 'en' ? 'en' : 'lv');
    }
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

  const act = async (what: NonNullable<typeof busy>, action: () => Promise<void>) => {
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
    const { results } = await api.sendTest(campaignId, to, draft.en && testLangs !== 'both' ? [testLangs] : undefined);
    setNotice(t('editor.testResult', { ok: results.filter((r) => r.status === 'sent').length, all: results.length }));
  });
  const onAskSend = () => act('send', async () => {
    const campaignId = await save();
    setConfirm(await api.audience(campaignId));
  });
  const onAskSchedule = () => {
    setError(undefined);
    setScheduling({ date: rigaDate(Date.now() + 86_400_000), time: '10:00' });
  };
  const onScheduleChosen = () => act('send', async () => {
    const at = `${scheduling!.date}T${scheduling!.time}`;
    const campaignId = await save();
    const audience = await api.audience(campaignId);
    setScheduling(undefined);
    setConfirm({ ...audience, at });
  });
  const onSend = () => act('send', async () => {
    await api.send(savedId!, confirm?.at);
    setConfirm(undefined);
    if (onSent) onSent();
    else navigate(`/campaigns/${savedId}`, { replace: true });
  });
  const onDuplicate = () => act('duplicate', async () => {
    const campaignId = await save();
    const copy = await api.duplicateCampaign(campaignId, t('editor.copyName', { name: draft.name }).slice(0, 200));
    navigate(`/campaigns/${copy.id}`);
  });
  const onDelete = () => act('delete', async () => {
    await api.deleteCampaign(savedId!);
    setAskDelete(false);
    navigate('/campaigns', { replace: true });
  });

  const listName = (slug: string) => {
    const list = lists.find((l) => l.slug === slug);
    return list ? list.name[lang] || list.slug : slug;
  };
  const tabProblems = problems.filter((p) => (p.lang ?? 'lv') === tab);
  const warnNameless = !!preview?.nameWithoutFallback && !!nameless && nameless.nameless > 0;
  const suffix = tab === 'en' ? t('editor.inEnglish') : '';

  const versionFields = (v: CampaignVersion) => (
    <Stack gap="sm" pt="sm">
      <TextInput label={t('editor.subject') + suffix} required value={v.subject} onChange={(e) => setVersionField('subject')(e.currentTarget.value)} maxLength={300} />
      <TextInput label={t('editor.preheader') + suffix} value={v.preheader} onChange={(e) => setVersionField('preheader')(e.currentTarget.value)} maxLength={300} />
      <MjmlEditor
        ref={editor}
        label={t('editor.mjml') + suffix}
        description={t('editor.mjmlHelp')}
        hint={t('editor.keyboardHint')}
        value={v.mjml}
        onChange={setVersionField('mjml')}
        problems={tabProblems}
      />
    </Stack>
  );

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
            <TextInput label={t('editor.name')} required value={draft.name} onChange={(e) => setField('name')(e.currentTarget.value)} maxLength={200} />
            <NativeSelect label={t('editor.list')} required value={draft.list} onChange={(e) => setField('list')(e.currentTarget.value)} data={lists.map((l) => ({ value: l.slug, label: `${listName(l.slug)} (${l.subscriptions.active})` }))} />
            <Tabs value={tab} onChange={(v) => setTab(v === 'en' ? 'en' : 'lv')} keepMounted={false}>
              <Tabs.List aria-label={t('editor.versions')}>
                <Tabs.Tab value="lv">{t('editor.tabLv')}</Tabs.Tab>
                <Tabs.Tab value="en">{draft.en ? t('editor.tabEn') : t('editor.tabEnNone')}</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="lv">{versionFields(draft)}</Tabs.Panel>
              <Tabs.Panel value="en">
                {draft.en ? (
                  <Stack gap="xs">
                    {versionFields(draft.en)}
                    <Group>
                      <Button variant="subtle" color="red" size="xs" onClick={removeEnglish}>
                        {t('editor.removeEnglish')}
                      </Button>
                    </Group>
                  </Stack>
                ) : (
                  <Stack gap="xs" pt="sm" align="flex-start">
                    <Text size="sm">{t('editor.noEnglish')}</Text>
                    <Button variant="light" onClick={addEnglish}>
                      {t('editor.addEnglish')}
                    </Button>
                  </Stack>
                )}
              </Tabs.Panel>
            </Tabs>
            {tabProblems.length > 0 && (
              <Alert color="red" title={t('editor.mjmlErrors')} role="alert" data-testid="mjml-problems">
                <ListItems size="sm">
                  {tabProblems.map((p, i) => (
                    <ListItems.Item key={i}>{p.line > 0 ? t('editor.line', { line: p.line, message: p.message }) : p.message}</ListItems.Item>
                  ))}
                </ListItems>
              </Alert>
            )}
            {warnNameless && (
              <Alert color="yellow" data-testid="nameless-warning">
                {t(nameless!.complete ? 'editor.namelessWarning' : 'editor.namelessWarningPartial', { count: nameless!.nameless, checked: nameless!.checked, list: listName(nameless!.list) })}
              </Alert>
            )}
            {version && (
              <Card withBorder padding="sm">
                <Title order={3} size="h5" mb={4}>
                  {t('editor.fieldsTitle')}
                </Title>
                <Stack gap={4}>
                  {MERGE_FIELDS.map(([field, help]) => (
                    <Group key={field} gap="xs" wrap="nowrap" align="flex-start">
                      <Button size="compact-xs" variant="light" style={{ flexShrink: 0 }} onClick={() => editor.current?.insert(field)} aria-label={t('editor.insertField', { field })}>
                        {t('editor.insert')}
                      </Button>
                      <Text size="sm">
                        <Code>{field}</Code> {t(help)}
                      </Text>
                    </Group>
                  ))}
                </Stack>
              </Card>
            )}
            <Group>
              <Button onClick={onSave} loading={busy === 'save'} variant={dirty ? 'filled' : 'light'}>
                {t('editor.save')}
              </Button>
              <Button onClick={onAskSend} loading={busy === 'send' && !scheduling} color="orange" disabled={!draft.name || !draft.subject || !draft.list}>
                {t('editor.sendNow')}
              </Button>
              <Button onClick={onAskSchedule} variant="light" color="orange" disabled={!draft.name || !draft.subject || !draft.list}>
                {t('editor.schedule')}
              </Button>
            </Group>
            {savedId && (
              <Group>
                <Button variant="default" size="xs" onClick={onDuplicate} loading={busy === 'duplicate'}>
                  {t('editor.duplicate')}
                </Button>
                <Button variant="subtle" color="red" size="xs" onClick={() => setAskDelete(true)}>
                  {t('editor.delete')}
                </Button>
              </Group>
            )}
            <Card withBorder>
              <Title order={3} size="h5" mb="xs">
                {t('editor.testTitle')}
              </Title>
              <Stack gap="xs">
                <Group align="end" wrap="wrap">
                  <TextInput label={t('editor.testTo')} type="text" inputMode="email" value={testTo} onChange={(e) => setTestTo(e.currentTarget.value)} style={{ flex: '1 1 14rem' }} />
                  <Button onClick={onTest} loading={busy === 'test'} variant="light" disabled={!testTo.trim() || !draft.name || !draft.subject}>
                    {t('editor.testSend')}
                  </Button>
                </Group>
                {draft.en && (
                  <SegmentedControl
                    size="xs"
                    value={testLangs}
                    onChange={(v) => setTestLangs(v as typeof testLangs)}
                    aria-label={t('editor.testVersions')}
                    data={[
                      { value: 'both', label: t('editor.testBoth') },
                      { value: 'lv', label: t('editor.tabLv') },
                      { value: 'en', label: t('editor.tabEn') },
                    ]}
                  />
                )}
              </Stack>
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="xs">
            <Group justify="space-between">
              <Title order={3} size="h4">
                {t('editor.preview')} · {tab === 'en' ? t('editor.tabEn') : t('editor.tabLv')}
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
                {preview?.subject ?? version?.subject ?? ''}
              </Text>
              <Text size="sm" c="dimmed" lineClamp={1}>
                {version?.preheader ?? ''}
              </Text>
            </Card>
            <Box mx="auto" w={previewWidth === 'phone' ? 375 : '100%'} maw="100%">
              <iframe
                title={t('editor.previewTitle')}
                sandbox=""
                srcDoc={version ? (preview?.html ?? '') : ''}
                style={{ width: '100%', height: 640, border: '1px solid var(--mantine-color-gray-4)', borderRadius: 8, background: '#fff' }}
              />
            </Box>
          </Stack>
        </Grid.Col>
      </Grid>
      <Modal opened={!!scheduling} onClose={() => setScheduling(undefined)} title={t('schedule.title')} centered>
        {scheduling && (
          <Stack>
            <Text size="sm">{t('schedule.body')}</Text>
            <Group grow>
              <TextInput type="date" label={t('schedule.date')} required value={scheduling.date} min={rigaDate(Date.now())} onChange={(e) => setScheduling({ ...scheduling, date: e.currentTarget.value })} />
              <TextInput type="time" label={t('schedule.time')} required value={scheduling.time} onChange={(e) => setScheduling({ ...scheduling, time: e.currentTarget.value })} />
            </Group>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setScheduling(undefined)}>
                {t('send.cancel')}
              </Button>
              <Button color="orange" onClick={onScheduleChosen} loading={busy === 'send'} disabled={!scheduling.date || !scheduling.time}>
                {t('schedule.next')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <Modal opened={!!confirm} onClose={() => setConfirm(undefined)} title={confirm?.at ? t('schedule.confirmTitle') : t('send.title')} centered>
        {confirm && (
          <Stack>
            <Text data-testid="send-summary">
              {confirm.at
                ? t('schedule.confirmBody', { name: draft.name, list: listName(confirm.list), count: confirm.recipients, at: rigaWallTime(confirm.at, lang) })
                : t('send.body', { name: draft.name, list: listName(confirm.list), count: confirm.recipients })}
            </Text>
            {draft.en && <Text size="sm">{t('send.versions')}</Text>}
            <Text size="sm" c="dimmed">
              {confirm.at ? t('schedule.note') : t('send.bodyNote')}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirm(undefined)}>
                {t('send.cancel')}
              </Button>
              <Button color="orange" onClick={onSend} loading={busy === 'send'} disabled={confirm.recipients === 0}>
                {confirm.at ? t('schedule.confirm') : t('send.confirm', { count: confirm.recipients })}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <Modal opened={askDelete} onClose={() => setAskDelete(false)} title={t('editor.deleteTitle')} centered>
        <Stack>
          <Text>{t('editor.deleteBody', { name: draft.name })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAskDelete(false)}>
              {t('send.cancel')}
            </Button>
            <Button color="red" onClick={onDelete} loading={busy === 'delete'}>
              {t('editor.deleteConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

/** Today's (or another instant's) date in Riga as YYYY-MM-DD, whatever the browser's zone. */
function rigaDate(instant: number): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: RIGA, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
}

/** A Riga wall-clock time as the marketer typed it ("2026-03-10T10:00"), written out in words. */
function rigaWallTime(at: string, lang: 'lv' | 'en'): string {
  const [date, time] = at.split('T') as [string, string];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // Noon UTC of that day is the same calendar day in Riga: only the date is formatted from it.
  const day = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'lv-LV', { timeZone: RIGA, dateStyle: 'long' }).format(new Date(Date.UTC(y, m - 1, d, 12)));
  return `${day}, ${time}`;
}
