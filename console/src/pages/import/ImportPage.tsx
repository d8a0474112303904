// Import of a CSV: choose the file, see its first rows, map its columns, try a dry run, then run it
// and follow its progress; below, the kept reports of earlier imports.
import { Alert, Badge, Button, Card, FileInput, Group, Progress, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';
import { lv as importMessages } from '../../messages/import';
import { Figure } from '../common';
import { FIELDS, importApi, type ImportRecord, type Mapping, type Preview, type Report } from './api';

const POLL_MS = 1000;
const SHOWN_SKIPS = 50;
const STATUS_COLOURS = { queued: 'blue', running: 'teal', done: 'green', failed: 'red' } as const;

export function ImportPage() {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [csv, setCsv] = useState<string>();
  const [preview, setPreview] = useState<Preview>();
  const [mapping, setMapping] = useState<Mapping>({});
  const [list, setList] = useState('e-jaunumi');
  const [source, setSource] = useState('');
  const [dryRun, setDryRun] = useState<Report>();
  const [running, setRunning] = useState<ImportRecord>();
  const [history, setHistory] = useState<ImportRecord[]>();
  const [opened, setOpened] = useState<ImportRecord>();
  const [busy, setBusy] = useState<'preview' | 'dry' | 'run'>();
  const [error, setError] = useState<string>();

  const fail = (err: unknown) => setError(err instanceof ApiError ? err.message : String(err));
  const loadHistory = useCallback(() => importApi.list().then(setHistory, fail), []);
  useEffect(() => {
    void loadHistory();
  }, [loadHistory]);

  const choose = async (picked: File | null) => {
    setFile(picked);
    setPreview(undefined);
    setDryRun(undefined);
    setRunning(undefined);
    setError(undefined);
    if (!picked) return;
    setBusy('preview');
    try {
      const text = await picked.text();
      setCsv(text);
      const p = await importApi.preview(text);
      setPreview(p);
      setMapping(p.mapping);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(undefined);
    }
  };

  const options = () => ({ list, source, fileName: file?.name ?? 'import.csv', mapping });
  const tryIt = async () => {
    if (!csv) return;
    setBusy('dry');
    setError(undefined);
    try {
      setDryRun(await importApi.dryRun(csv, options()));
    } catch (err) {
      fail(err);
    } finally {
      setBusy(undefined);
    }
  };
  const run = async () => {
    if (!csv) return;
    setBusy('run');
    setError(undefined);
    try {
      setRunning(await importApi.start(csv, options()));
    } catch (err) {
      fail(err);
      setBusy(undefined);
    }
  };

  // The record is polled until the run ends; then the history shows it too.
  const live = running && (running.status === 'queued' || running.status === 'running');
  useEffect(() => {
    if (!running || !live) return;
    const timer = window.setInterval(() => {
      importApi.get(running.id).then((r) => {
        setRunning(r);
        if (r.status === 'done' || r.status === 'failed') {
          setBusy(undefined);
          void loadHistory();
        }
      }, fail);
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [running, live, loadHistory]);

  const columnChoices = [{ value: '', label: t('import.unmapped') }, ...(preview?.columns ?? []).map((c) => ({ value: c, label: c }))];
  return (
    <Stack>
      <Title order={2}>{t('import.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('import.intro')}
      </Text>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <FileInput label={t('import.file')} placeholder={t('import.filePlaceholder')} accept=".csv,text/csv" value={file} onChange={(f) => void choose(f)} clearable data-testid="import-file" />
          <TextInput label={t('import.list')} value={list} onChange={(e) => setList(e.currentTarget.value)} />
          <TextInput label={t('import.source')} value={source} onChange={(e) => setSource(e.currentTarget.value)} />
        </SimpleGrid>
      </Card>

      {preview && (
        <Card withBorder>
          <Stack>
            <Title order={3} size="h4">
              {t('import.preview')}
            </Title>
            <Table.ScrollContainer minWidth={480}>
              <Table striped withTableBorder aria-label={t('import.preview')}>
                <Table.Thead>
                  <Table.Tr>
                    {preview.columns.map((c, i) => (
                      <Table.Th key={i}>{c}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.rows.map((r, i) => (
                    <Table.Tr key={i}>
                      {preview.columns.map((_, j) => (
                        <Table.Td key={j}>{r[j] ?? ''}</Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Title order={3} size="h4">
              {t('import.mapping')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('import.mappingHint')}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 3, md: 5 }}>
              {FIELDS.map((field) => (
                <Select
                  key={field}
                  label={t(`import.field.${field}` as MessageKey)}
                  data={columnChoices}
                  value={mapping[field] ?? ''}
                  onChange={(v) => setMapping((m) => ({ ...m, [field]: v || undefined }))}
                  allowDeselect={false}
                  required={field === 'email' || field === 'consent_date'}
                  data-testid={`map-${field}`}
                />
              ))}
            </SimpleGrid>
            <Group>
              <Button variant="light" onClick={() => void tryIt()} loading={busy === 'dry'} disabled={Boolean(busy) || Boolean(live)}>
                {t('import.dryRun')}
              </Button>
              <Button onClick={() => void run()} loading={busy === 'run'} disabled={Boolean(busy) || Boolean(live)}>
                {t('import.run')}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}

      {dryRun && (
        <Card withBorder data-testid="dry-run-report">
          <Title order={3} size="h4" mb="sm">
            {t('import.dryRunTitle')}
          </Title>
          <ReportView report={dryRun} addedLabel="import.wouldAdd" />
        </Card>
      )}

      {running && (
        <Card withBorder data-testid="import-progress">
          <Stack gap="xs">
            <Group justify="space-between">
              <Title order={3} size="h4">
                {t('import.progress')}
              </Title>
              <Badge color={STATUS_COLOURS[running.status]} variant="light" data-status={running.status} aria-live="polite">
                {t(`import.status.${running.status}` as MessageKey)}
              </Badge>
            </Group>
            <Progress value={share(running)} size="lg" aria-label={t('import.progress')} animated={Boolean(live)} />
            <Text size="sm">{t('import.progressRows', { done: running.rows, total: Math.max(running.expectedRows, running.rows) })}</Text>
            {running.error && (
              <Alert color="red" role="alert">
                {running.error}
              </Alert>
            )}
            {running.status === 'done' && <ReportView report={{ ...running, skippedRows: running.skippedRows ?? [] }} addedLabel="import.added" />}
          </Stack>
        </Card>
      )}

      <Title order={3} size="h4">
        {t('import.history')}
      </Title>
      {history && history.length === 0 && <Text c="dimmed">{t('import.empty')}</Text>}
      {history && history.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped aria-label={t('import.history')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('import.when')}</Table.Th>
                <Table.Th>{t('import.who')}</Table.Th>
                <Table.Th>{t('import.fileName')}</Table.Th>
                <Table.Th>{t('import.list')}</Table.Th>
                <Table.Th>{t('import.status')}</Table.Th>
                <Table.Th ta="right">{t('import.added')}</Table.Th>
                <Table.Th ta="right">{t('import.skipped')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {history.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{new Date(r.createdAt).toLocaleString()}</Table.Td>
                  <Table.Td>{r.actor}</Table.Td>
                  <Table.Td>{r.fileName ?? '—'}</Table.Td>
                  <Table.Td>{r.list}</Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLOURS[r.status]} variant="light">
                      {t(`import.status.${r.status}` as MessageKey)}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">{r.added}</Table.Td>
                  <Table.Td ta="right">{r.skipped}</Table.Td>
                  <Table.Td>
                    <Button size="compact-sm" variant="subtle" onClick={() => importApi.get(r.id).then(setOpened, fail)}>
                      {t('import.open')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {opened && (
        <Card withBorder data-testid="import-report">
          <Title order={3} size="h4" mb="sm">
            {opened.fileName ?? opened.id}
          </Title>
          {opened.detailsRemoved && (
            <Text size="sm" c="dimmed" mb="sm">
              {t('import.detailsRemoved')}
            </Text>
          )}
          <ReportView report={{ ...opened, skippedRows: opened.skippedRows ?? [] }} addedLabel="import.added" />
        </Card>
      )}
    </Stack>
  );
}

function share(r: ImportRecord): number {
  if (r.status === 'done') return 100;
  const total = Math.max(r.expectedRows, r.rows);
  return total === 0 ? 0 : Math.round((r.rows / total) * 100);
}

function ReportView({ report, addedLabel }: { report: Report; addedLabel: MessageKey }) {
  const { t } = useI18n();
  const reason = (code: string) => (`import.reason.${code}` in importMessages ? t(`import.reason.${code}` as MessageKey) : code);
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 3 }}>
        {(
          [
            ['import.rows', report.rows],
            [addedLabel, report.added],
            ['import.skipped', report.skipped],
          ] as Array<[MessageKey, number]>
        ).map(([label, value]) => (
          <Figure key={label} label={t(label)} value={value} testId={label} />
        ))}
      </SimpleGrid>
      {Object.keys(report.reasons).length > 0 && (
        <Table aria-label={t('import.reason')}>
          <Table.Tbody>
            {Object.entries(report.reasons).map(([code, n]) => (
              <Table.Tr key={code} data-reason={code}>
                <Table.Td>{reason(code)}</Table.Td>
                <Table.Td ta="right">{n}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {report.skippedRows.length > 0 && (
        <>
          <Text fw={500}>{t('import.skippedRows')}</Text>
          <Table.ScrollContainer minWidth={360}>
            <Table striped aria-label={t('import.skippedRows')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('import.line')}</Table.Th>
                  <Table.Th>{t('import.address')}</Table.Th>
                  <Table.Th>{t('import.reason')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[...report.skippedRows]
                  .sort((a, b) => a.line - b.line)
                  .slice(0, SHOWN_SKIPS)
                  .map((r) => (
                  <Table.Tr key={r.line}>
                    <Table.Td>{r.line}</Table.Td>
                    <Table.Td>{r.email ?? '—'}</Table.Td>
                    <Table.Td>{reason(r.reason)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {report.skippedRows.length > SHOWN_SKIPS && <Text size="sm">{t('import.moreSkipped', { count: report.skipped - SHOWN_SKIPS })}</Text>}
        </>
      )}
    </Stack>
  );
}
