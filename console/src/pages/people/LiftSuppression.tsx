// Lifting a wrong suppression (a forged or misread bounce or complaint), with the reason the ledger
// and the audit keep. An erasure tombstone has no such button: only the person's new consent lifts it.
import { Button, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../../i18n';
import { peopleApi, type Suppression } from './api';
import { useAction } from '../../useAction';
import { Buttons, Dialog, type Notice } from './PersonActions';

export function LiftSuppression({ suppression, onDone }: { suppression: Suppression; onDone: (n: Notice) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const act = useAction();
  const close = () => setOpen(false);
  const lift = () =>
    act.run(async () => {
      await peopleApi.liftSuppression(suppression.id, reason.trim());
      close();
      onDone({ tone: 'ok', text: t('people.action.liftSuppression') });
    });
  return (
    <>
      <Button size="xs" variant="light" onClick={() => setOpen(true)}>
        {t('people.action.liftSuppression')}
      </Button>
      {open && (
        <Dialog
          title="people.action.liftSuppression"
          onClose={close}
          onSubmit={() => void lift()}
          error={act.error}
          buttons={<Buttons busy={act.busy} action="people.action.liftSuppression" onClose={close} disabled={reason.trim() === ''} />}
        >
          <Text size="sm">{t('people.action.liftSuppression.text')}</Text>
          <Textarea label={t('people.action.liftSuppression.reason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={2000} autosize minRows={2} />
        </Dialog>
      )}
    </>
  );
}
