// The DPO's actions on one person, each confirmed in a modal that says what will happen: rectify
// name and language, restrict or lift (the art. 18(3) notice goes first), start a request on their
// behalf, export (a verified access request) and erase (verified by link, or at once on a checked
// paper letter, with the reason).
import { Alert, Button, Group, Modal, NativeSelect, SegmentedControl, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useI18n, type MessageKey } from '../../i18n';
import { useAction } from '../../useAction';
import { peopleApi, type Person, type RequestType } from './api';
import { rectifiedFields } from './rectified-fields';

export interface Notice {
  tone: 'ok' | 'error';
  text: string;
  /** The person no longer exists (erased): back to the search. */
  gone?: boolean;
}

type Dialog = 'rectify' | 'restrict' | 'lift' | 'request' | 'export' | 'erase';
const REQUEST_TYPES: RequestType[] = ['access', 'rectification', 'erasure', 'restriction', 'withdrawal'];
const CHANNELS = ['admin', 'letter'] as const;

export function PersonActions({ person, onDone }: { person: Person; onDone: (n: Notice) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<Dialog>();
  const close = () => setOpen(undefined);
  const finish = (n: Notice) => {
    close();
    onDone(n);
  };
  const buttons: Array<[Dialog, MessageKey, string?]> = [
    ['rectify', 'people.action.rectify'],
    person.restricted ? ['lift', 'people.action.lift', 'orange'] : ['restrict', 'people.action.restrict', 'orange'],
    ['request', 'people.action.request'],
    ['export', 'people.action.export'],
    ['erase', 'people.action.erase', 'red'],
  ];
  return (
    <>
      <Group gap="xs" aria-label={t('people.person.actions')} role="group">
        {buttons.map(([dialog, label, colour]) => (
          <Button key={dialog} variant="light" color={colour} size="sm" onClick={() => setOpen(dialog)}>
            {t(label)}
          </Button>
        ))}
      </Group>
      {open === 'rectify' && <Rectify person={person} onClose={close} onDone={finish} />}
      {open === 'restrict' && (
        <Confirm title="people.action.restrict" text={t('people.action.restrict.text')} action="people.action.restrict.confirm" colour="orange" onClose={close} run={async () => {
          await peopleApi.restrict(person.id);
          finish({ tone: 'ok', text: t('people.person.restriction.on') });
        }} />
      )}
      {open === 'lift' && (
        <Confirm title="people.action.lift" text={t('people.action.lift.text', { email: person.email })} action="people.action.lift.confirm" colour="orange" onClose={close} run={async () => {
          await peopleApi.lift(person.id);
          finish({ tone: 'ok', text: t('people.person.restriction.off') });
        }} />
      )}
      {open === 'request' && <StartRequest person={person} onClose={close} onDone={finish} />}
      {open === 'export' && (
        <Confirm title="people.action.export" text={t('people.action.export.text', { email: person.email })} action="people.action.export.confirm" onClose={close} run={async () => {
          const request = await peopleApi.createRequest({ type: 'access', email: person.email, channel: 'admin' });
          finish({ tone: 'ok', text: t('people.action.request.done', { number: request.number }) });
        }} />
      )}
      {open === 'erase' && <Erase person={person} onClose={close} onDone={finish} />}
    </>
  );
}

/** A modal holding one form: its fields, the server's error if the action failed, its buttons. */
export function Dialog({ title, onClose, onSubmit, error, buttons, children }: { title: MessageKey; onClose: () => void; onSubmit: () => void; error?: string; buttons: ReactNode; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <Modal opened onClose={onClose} title={t(title)} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <Stack>
          {children}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          {buttons}
        </Stack>
      </form>
    </Modal>
  );
}

export function Buttons({ busy, action, colour, onClose, disabled }: { busy: boolean; action: MessageKey; colour?: string; onClose: () => void; disabled?: boolean }) {
  const { t } = useI18n();
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onClose}>
        {t('people.action.cancel')}
      </Button>
      <Button type="submit" color={colour} loading={busy} disabled={disabled}>
        {t(action)}
      </Button>
    </Group>
  );
}

export function Confirm({ title, text, action, colour, onClose, run }: { title: MessageKey; text: string; action: MessageKey; colour?: string; onClose: () => void; run: () => Promise<void> }) {
  const act = useAction();
  return (
    <Dialog title={title} onClose={onClose} onSubmit={() => void act.run(run)} error={act.error} buttons={<Buttons busy={act.busy} action={action} colour={colour} onClose={onClose} />}>
      <Text size="sm">{text}</Text>
    </Dialog>
  );
}

function Rectify({ person, onClose, onDone }: { person: Person; onClose: () => void; onDone: (n: Notice) => void }) {
  const { t } = useI18n();
  const act = useAction();
  const [name, setName] = useState(person.name);
  const [locale, setLocale] = useState(person.locale);
  const submit = () =>
    act.run(async () => {
      const changes = { ...(name !== person.name ? { name } : {}), ...(locale !== person.locale ? { locale } : {}) };
      if (Object.keys(changes).length === 0) return onDone({ tone: 'ok', text: t('people.action.rectify.nothing') });
      const { changed } = await peopleApi.rectify(person.id, changes);
      onDone({ tone: 'ok', text: changed.length ? t('people.action.rectify.done', { fields: rectifiedFields(changed, t) }) : t('people.action.rectify.nothing') });
    });
  return (
    <Dialog title="people.action.rectify" onClose={onClose} onSubmit={() => void submit()} error={act.error} buttons={<Buttons busy={act.busy} action="people.action.rectify.save" onClose={onClose} />}>
      <TextInput label={t('people.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={200} data-autofocus />
      <NativeSelect
        label={t('people.person.language')}
        value={locale}
        onChange={(e) => setLocale(e.currentTarget.value as Person['locale'])}
        data={[
          { value: 'lv', label: t('people.person.language.lv') },
          { value: 'en', label: t('people.person.language.en') },
        ]}
      />
    </Dialog>
  );
}

function StartRequest({ person, onClose, onDone }: { person: Person; onClose: () => void; onDone: (n: Notice) => void }) {
  const { t } = useI18n();
  const act = useAction();
  const [type, setType] = useState<RequestType>('access');
  const [channel, setChannel] = useState<(typeof CHANNELS)[number]>('admin');
  const [receivedAt, setReceivedAt] = useState('');
  const [note, setNote] = useState('');
  const submit = () =>
    act.run(async () => {
      const request = await peopleApi.createRequest({ type, email: person.email, channel, receivedAt: receivedAt || undefined, note: note.trim() || undefined });
      onDone({ tone: 'ok', text: t('people.action.request.done', { number: request.number }) });
    });
  return (
    <Dialog title="people.action.request" onClose={onClose} onSubmit={() => void submit()} error={act.error} buttons={<Buttons busy={act.busy} action="people.action.request.create" onClose={onClose} />}>
      <Text size="sm">{t('people.action.request.text')}</Text>
      <NativeSelect label={t('people.request.type')} value={type} onChange={(e) => setType(e.currentTarget.value as RequestType)} data={REQUEST_TYPES.map((r) => ({ value: r, label: t(`people.request.type.${r}`) }))} />
      <NativeSelect
        label={t('people.request.channel')}
        value={channel}
        onChange={(e) => setChannel(e.currentTarget.value as (typeof CHANNELS)[number])}
        data={CHANNELS.map((c) => ({ value: c, label: t(`people.request.channel.${c}`) }))}
      />
      <TextInput type="date" label={t('people.request.receivedAt')} value={receivedAt} onChange={(e) => setReceivedAt(e.currentTarget.value)} />
      <Textarea label={t('people.request.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={2000} autosize minRows={2} />
    </Dialog>
  );
}

function Erase({ person, onClose, onDone }: { person: Person; onClose: () => void; onDone: (n: Notice) => void }) {
  const { t } = useI18n();
  const act = useAction();
  const [mode, setMode] = useState<'verified' | 'letter'>('verified');
  const [reason, setReason] = useState('');
  const [receivedAt, setReceivedAt] = useState('');
  const submit = () =>
    act.run(async () => {
      if (mode === 'verified') {
        const request = await peopleApi.createRequest({ type: 'erasure', email: person.email, channel: 'admin' });
        return onDone({ tone: 'ok', text: t('people.action.request.done', { number: request.number }) });
      }
      const request = await peopleApi.eraseOnLetter(person.id, { reason: reason.trim(), receivedAt: receivedAt || undefined });
      onDone({ tone: 'ok', text: t('people.action.erase.done', { number: request.number }), gone: true });
    });
  return (
    <Dialog
      title="people.action.erase"
      onClose={onClose}
      onSubmit={() => void submit()}
      error={act.error}
      buttons={
        <Buttons
          busy={act.busy}
          action={mode === 'verified' ? 'people.action.erase.sendLink' : 'people.action.erase.confirm'}
          colour="red"
          onClose={onClose}
          disabled={mode === 'letter' && reason.trim() === ''}
        />
      }
    >
      <Stack gap={4}>
        <Text size="sm" fw={500} id="erase-mode">
          {t('people.action.erase.mode')}
        </Text>
        <SegmentedControl
          fullWidth
          orientation="vertical"
          aria-labelledby="erase-mode"
          value={mode}
          onChange={(v) => setMode(v as 'verified' | 'letter')}
          data={[
            { value: 'verified', label: t('people.action.erase.mode.verified') },
            { value: 'letter', label: t('people.action.erase.mode.letter') },
          ]}
        />
      </Stack>
      {mode === 'verified' ? (
        <Text size="sm">{t('people.action.erase.verified.text', { email: person.email })}</Text>
      ) : (
        <>
          <Alert color="red" variant="light">
            {t('people.action.erase.letter.text')}
          </Alert>
          <Textarea label={t('people.action.erase.reason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={2000} autosize minRows={2} />
          <TextInput type="date" label={t('people.request.receivedAt')} value={receivedAt} onChange={(e) => setReceivedAt(e.currentTarget.value)} />
        </>
      )}
    </Dialog>
  );
}
