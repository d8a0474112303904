// Active consents per policy version over time: one line per version, from the ledger's history.
import { LineChart } from '@mantine/charts';
import { Card, Text, Title } from '@mantine/core';
import { useI18n } from '../../i18n';
import type { Coverage, CoveragePoint } from './policy-api';

const COLOURS = ['gray.6', 'blue.6', 'teal.6', 'grape.6', 'orange.6', 'red.6'];

export function CoverageChart({ coverage, points }: { coverage: Coverage; points: CoveragePoint[] }) {
  const { t } = useI18n();
  const versions = coverage.versions.map((v) => String(v.version));
  const hasUnknown = points.some((p) => p.byVersion.unknown);
  const keys = hasUnknown ? [...versions, 'unknown'] : versions;
  const data = points.map((p) => ({ day: p.day.slice(5), ...Object.fromEntries(keys.map((k) => [k, p.byVersion[k] ?? 0])) }));
  const empty = points.every((p) => Object.keys(p.byVersion).length === 0);
  return (
    <Card withBorder component="section" aria-labelledby="coverage-title" data-testid="coverage">
      <Title order={3} id="coverage-title">
        {t('policy.coverage')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('policy.coverageHint')}
      </Text>
      {empty ? (
        <Text c="dimmed">{t('policy.coverageEmpty')}</Text>
      ) : (
        <LineChart
          h={260}
          data={data}
          dataKey="day"
          withLegend
          curveType="stepAfter"
          withDots={false}
          yAxisProps={{ allowDecimals: false }}
          series={keys.map((k, i) => ({ name: k, label: k === 'unknown' ? t('policy.unknownVersion', { count: '' }).replace(/[:\s]+$/, '') : t('policy.series', { version: k }), color: COLOURS[i % COLOURS.length]! }))}
        />
      )}
    </Card>
  );
}
