// The frame around every signed-in page: a header with the language switch and sign-out, and a
// navbar (a drawer on phones) with only what the role may see.
import { AppShell, Burger, Button, Group, NavLink, SegmentedControl, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import type { Me } from './api';
import { LANGUAGES, useI18n, type Language, type MessageKey } from './i18n';
import { useLinkProps, useRouter } from './router';

export interface NavItem {
  to: string;
  label: MessageKey;
}

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('lang.switch')}
      value={lang}
      onChange={(v) => setLang(v as Language)}
      data={LANGUAGES.map((l) => ({ value: l, label: l.toUpperCase() }))}
    />
  );
}

function NavEntry({ item, active, onPick }: { item: NavItem; active: boolean; onPick: () => void }) {
  const { t } = useI18n();
  const link = useLinkProps(item.to);
  return (
    <NavLink
      component="a"
      href={link.href}
      label={t(item.label)}
      active={active}
      aria-current={active ? 'page' : undefined}
      onClick={(e) => {
        link.onClick(e);
        onPick();
      }}
    />
  );
}

export function Shell({ me, nav, onSignOut, children }: { me: Me; nav: NavItem[]; onSignOut: () => void; children: ReactNode }) {
  const { t } = useI18n();
  const { path } = useRouter();
  const [opened, { toggle, close }] = useDisclosure();
  const activeOf = (to: string) => (to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`));
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <Title order={1} size="h4">
              e-Jaunumi
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LanguageSwitch />
            <Button variant="subtle" size="xs" onClick={onSignOut}>
              {t('nav.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label={t('nav.menu')}>
        <AppShell.Section grow>
          {nav.map((item) => (
            <NavEntry key={item.to} item={item} active={activeOf(item.to)} onPick={close} />
          ))}
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed">
            {t('nav.signedInAs', { email: me.email, role: t(`role.${me.role}` as MessageKey) })}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
