// Staff accounts for admins: invite (the server mails the one-time link), change a role,
// deactivate, reset the second factor, send a new password link. Every change goes through a
// confirmation; the server refuses what would leave no active admin and says why.
import { Alert, Badge, Button, Card, Group, Loader, Menu, Modal, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type Role, type StaffMember, type StaffWithLink } from '../api';
import { useI18n, type MessageKey } from '../i18n';
import { useAction } from '../useAction';
import { useDialog } from '../useDialog';

const ROLES: Role[] = ['marketer', 'dpo', 'admin'];
type Action = 'role' | 'deactivate' | 'totp' | 'link';
const STATUS_COLOURS: Record<StaffMember['status'], string> = { invited: 'blue', active: 'green', deactivated: 'gray' };

export function Staff({ me }: { me: { email: string } }) {
  const { t, lang } = useI18n();
  const [items, setItems] = useState<StaffMember[]>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const pending = useDialog<{ member: StaffMember; action: Action }>();
  const [newRole, setNewRole] = useState<Role>('marketer');
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => api.staff().then(setItems, (err: ApiError) => setError(err.message)), []);
  useEffect(() => {
    void load();
  }, [load]);

  const when = (iso: string | null) =>
    iso ? new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'lv-LV', { timeZone: 'Europe/Riga', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : t('staff.never');
  const linkNotice = (s: StaffWithLink, mailed: MessageKey) => (s.linkMailed ? t(mailed, { email: s.email, until: when(s.linkExpiresAt) }) : t('staff.notMailed', { email: s.email }));

  const ask = (member: StaffMember, action: Action) => {
    setError(undefined);
    setNotice(undefined);
    setNewRole(member.role === 'marketer' ? 'dpo' : 'marketer');
    pending.open({ member, action });
  };

  const confirm = async () => {
    if (!pending.subject) return;
    const { member, action } = pending.subject;
    setBusy(true);
    try {
      if (action === 'role') await api.changeStaffRole(member.id, newRole);
      if (action === 'deactivate') await api.deactivateStaff(member.id);
      if (action === 'totp') await api.resetStaffTotp(member.id);
      if (action === 'link') setNotice(linkNotice(await api.resendStaffLink(member.id), 'staff.linkMailed'));
      else setNotice(t('staff.done', { email: member.email }));
      await load();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
      pending.close();
    }
  };

  return (
    <Stack>
      <Title order={2}>{t('staff.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('staff.intro')}
      </Text>
      <InviteForm
        onInvited={(s) => {
          setError(undefined);
          setNotice(linkNotice(s, 'staff.invited'));
          void load();
        }}
      />
      {notice && (
        <Alert color="green" role="status" data-testid="staff-notice">
          {notice}
        </Alert>
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {!items && !error && <Loader aria-label={t('common.loading')} />}
      {items && (
        <Table.ScrollContainer minWidth={720}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('staff.email')}</Table.Th>
                <Table.Th>{t('staff.role')}</Table.Th>
                <Table.Th>{t('staff.status')}</Table.Th>
                <Table.Th>{t('staff.totp')}</Table.Th>
                <Table.Th>{t('staff.lastLogin')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((s) => {
                const self = s.email === me.email;
                return (
                  <Table.Tr key={s.id} data-email={s.email}>
                    <Table.Td>
                      <Text fw={500}>{s.email}</Text>
                      <Text size="xs" c="dimmed">
                        {s.name}
                        {self ? ` (${t('staff.you')})` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td data-testid="staff-role">{t(`role.${s.role}` as MessageKey)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={STATUS_COLOURS[s.status]} data-testid="staff-status">
                        {t(`staff.status.${s.status}` as MessageKey)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{t(s.totpEnabled ? 'staff.totpOn' : 'staff.totpOff')}</Table.Td>
                    <Table.Td>{when(s.lastLoginAt)}</Table.Td>
                    <Table.Td>
                      {s.status !== 'deactivated' && (
                        <Menu position="bottom-end" withinPortal>
                          <Menu.Target>
                            <Button size="xs" variant="default" aria-label={t('staff.actions', { email: s.email })}>
                              …
                            </Button>
                          </Menu.Target>
                          <Menu.Dropdown>
                            {!self && <Menu.Item onClick={() => ask(s, 'role')}>{t('staff.changeRole')}</Menu.Item>}
                            <Menu.Item onClick={() => ask(s, 'link')}>{t('staff.resendLink')}</Menu.Item>
                            {s.totpEnabled && <Menu.Item onClick={() => ask(s, 'totp')}>{t('staff.resetTotp')}</Menu.Item>}
                            {!self && (
                              <Menu.Item color="red" onClick={() => ask(s, 'deactivate')}>
                                {t('staff.deactivate')}
                              </Menu.Item>
                            )}
                          </Menu.Dropdown>
                        </Menu>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal opened={pending.opened} onClose={pending.close} title={pending.subject ? t(TITLES[pending.subject.action], { email: pending.subject.member.email }) : ''} centered>
        {pending.subject && (
          <Stack>
            {pending.subject.action === 'role' && (
              <Select
                label={t('staff.newRole')}
                data={ROLES.filter((r) => r !== pending.subject!.member.role).map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))}
                value={newRole}
                onChange={(v) => v && setNewRole(v as Role)}
                allowDeselect={false}
                comboboxProps={{ withinPortal: false }}
              />
            )}
            <Text>{t(TEXTS[pending.subject.action], { email: pending.subject.member.email, role: t(`role.${newRole}` as MessageKey) })}</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={pending.close}>
                {t('staff.cancel')}
              </Button>
              <Button color={pending.subject.action === 'deactivate' ? 'red' : undefined} onClick={confirm} loading={busy}>
                {t('staff.confirm')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

const TITLES: Record<Action, MessageKey> = { role: 'staff.confirmRole', deactivate: 'staff.confirmDeactivate', totp: 'staff.confirmTotp', link: 'staff.confirmLink' };
const TEXTS: Record<Action, MessageKey> = { role: 'staff.confirmRoleText', deactivate: 'staff.confirmDeactivateText', totp: 'staff.confirmTotpText', link: 'staff.confirmLinkText' };

function InviteForm({ onInvited }: { onInvited: (s: StaffWithLink) => void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('marketer');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      onInvited(await api.inviteStaff({ email: email.trim(), role, ...(name.trim() ? { name: name.trim() } : {}) }));
      setEmail('');
      setName('');
    });
  };
  return (
    <Card withBorder component="form" onSubmit={submit} aria-labelledby="invite-title">
      <Stack gap="sm">
        <Title order={3} size="h4" id="invite-title">
          {t('staff.invite')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label={t('staff.email')} type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} autoComplete="off" />
          <TextInput label={t('staff.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} autoComplete="off" />
          <Select
            label={t('staff.role')}
            data={ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))}
            value={role}
            onChange={(v) => v && setRole(v as Role)}
            allowDeselect={false}
          />
        </SimpleGrid>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy}>
            {t('staff.inviteButton')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
