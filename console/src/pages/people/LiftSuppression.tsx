// Lifting a wrong suppression (a forged or misread bounce or complaint), with the reason the ledger
// and the audit keep. An erasure tombstone has no such button: only the person's new consent lifts it.
import { Button, Group, Modal, Stack, Text, Textarea, Alert } from '@mantine/core';
import { useState } from 'react';
import { ApiError } from '../../api';
import { useI18n } from '../../i18n';
import { peopleApi, type Suppression } from './api';
import type { Notice } from './PersonActions';

export function LiftSuppression({ suppression, onDone }: { suppression: Suppression; onDone: (n: Notice) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const lift = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await peopleApi.liftSuppression(suppression.id, reason.trim());
      setOpen(false);
      onDone({ tone: 'ok', text: t('people.action.liftSuppression') });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="xs" variant="light" onClick={() => setOpen(true)}>
        {t('people.action.liftSuppression')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('people.action.liftSuppression')} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void lift();
          }}
        >
          <Stack>
            <Text size="sm">{t('people.action.liftSuppression.text')}</Text>
            <Textarea label={t('people.action.liftSuppression.reason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={2000} autosize minRows={2} />
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                {t('people.action.cancel')}
              </Button>
              <Button type="submit" loading={busy} disabled={reason.trim() === ''}>
                {t('people.action.liftSuppression')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
