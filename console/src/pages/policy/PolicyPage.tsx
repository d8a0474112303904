// The DPO's policy desk: versions (register, mark material), the consent-coverage chart, and the
// re-consent campaigns with their progress. Reloads everything after each change.
import { Alert, Loader, Stack, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { ApiError } from '../../api';
import { useI18n } from '../../i18n';
import { CoverageChart } from './CoverageChart';
import { policyApi, type Coverage, type CoveragePoint, type ReConsentCampaign } from './policy-api';
import { PolicyVersions } from './PolicyVersions';
import { ReConsentPanel } from './ReConsentPanel';

export interface PolicyData {
  coverage: Coverage;
  history: CoveragePoint[];
  campaigns: ReConsentCampaign[];
}

export function PolicyPage() {
  const { t } = useI18n();
  const [data, setData] = useState<PolicyData>();
  const [error, setError] = useState<string>();
  const reload = useCallback(async () => {
    try {
      const [coverage, history, campaigns] = await Promise.all([policyApi.coverage(), policyApi.history(90), policyApi.reConsents()]);
      setData({ coverage, history, campaigns });
      setError(undefined);
    } catch (err) {
      setError((err as ApiError).message);
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <Stack gap="xl">
      <Title order={2}>{t('policy.title')}</Title>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {!data && !error && <Loader aria-label={t('common.loading')} />}
      {data && (
        <>
          <ReConsentPanel data={data} onChange={reload} />
          <CoverageChart coverage={data.coverage} points={data.history} />
          <PolicyVersions coverage={data.coverage} onChange={reload} />
        </>
      )}
    </Stack>
  );
}
