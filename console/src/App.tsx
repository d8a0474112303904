// Who is signed in decides what is shown: the sign-in pages for nobody, the shell with the pages
// the role may see for staff. A 401 from any call ends up back at sign-in.
import { Center, Loader } from '@mantine/core';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { api, rememberCsrf, whenSessionEnds, type Me, type Role } from './api';
import { useI18n } from './i18n';
import { Login } from './pages/Login';
import { SetPassword } from './pages/SetPassword';
import { Shell, type NavItem } from './Shell';
import { useRouter } from './router';

// Each page is its own chunk, loaded on first visit: the sign-in page stays small, and CodeMirror and
// the charts arrive only with the pages that use them.
const AuditPage = lazy(() => import('./pages/audit/AuditPage').then((m) => ({ default: m.AuditPage })));
const CampaignEditor = lazy(() => import('./pages/CampaignEditor').then((m) => ({ default: m.CampaignEditor })));
const CampaignProgress = lazy(() => import('./pages/CampaignProgress').then((m) => ({ default: m.CampaignProgress })));
const Campaigns = lazy(() => import('./pages/Campaigns').then((m) => ({ default: m.Campaigns })));
const Dashboard = lazy(() => import('./pages/Dashboard').then((m) => ({ default: m.Dashboard })));
const ImportPage = lazy(() => import('./pages/import/ImportPage').then((m) => ({ default: m.ImportPage })));
const Lists = lazy(() => import('./pages/Lists').then((m) => ({ default: m.Lists })));
const MailboxReview = lazy(() => import('./pages/mailbox/MailboxReview').then((m) => ({ default: m.MailboxReview })));
const MessagePage = lazy(() => import('./pages/mailbox/MessagePage').then((m) => ({ default: m.MessagePage })));
const People = lazy(() => import('./pages/people/People').then((m) => ({ default: m.People })));
const Person = lazy(() => import('./pages/people/Person').then((m) => ({ default: m.Person })));
const PolicyPage = lazy(() => import('./pages/policy/PolicyPage').then((m) => ({ default: m.PolicyPage })));
const RequestPage = lazy(() => import('./pages/requests/RequestPage').then((m) => ({ default: m.RequestPage })));
const Requests = lazy(() => import('./pages/requests/Requests').then((m) => ({ default: m.Requests })));
const RetentionPage = lazy(() => import('./pages/retention/RetentionPage').then((m) => ({ default: m.RetentionPage })));
const Staff = lazy(() => import('./pages/Staff').then((m) => ({ default: m.Staff })));

const PUBLIC_PAGES = ['/login', '/set-password'];

/** What each role sees in the navigation (the server enforces the same on every route). */
export function navFor(role: Role): NavItem[] {
  const marketing: NavItem[] = [
    { to: '/', label: 'nav.dashboard' },
    { to: '/campaigns', label: 'nav.campaigns' },
    { to: '/lists', label: 'nav.lists' },
  ];
  // The data-protection officer's desk (personal data): never marketers.
  const dpo: NavItem[] = [
    { to: '/people', label: 'people.nav' },
    { to: '/requests', label: 'requests.nav' },
    { to: '/mailbox', label: 'mailbox.nav' },
    { to: '/policy', label: 'policy.nav' },
    { to: '/import', label: 'import.nav' },
    { to: '/audit', label: 'audit.nav' },
    { to: '/retention', label: 'retention.nav' },
  ];
  // Staff accounts: admins only.
  if (role === 'admin') return [...marketing, ...dpo, { to: '/staff', label: 'staff.nav' }];
  return role === 'marketer' ? marketing : [{ to: '/', label: 'nav.dashboard' }, ...dpo];
}

export function App() {
  const { path, navigate } = useRouter();
  const { t } = useI18n();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [sessionEnded, setSessionEnded] = useState(false);

  const signedIn = useCallback((who: Me) => {
    rememberCsrf(who.csrfToken);
    setSessionEnded(false);
    setMe(who);
    navigate('/', { replace: true });
  }, [navigate]);

  useEffect(() => {
    whenSessionEnds(() => {
      setSessionEnded(true);
      setMe(null);
      navigate('/login', { replace: true });
    });
    api.me().then(
      (who) => {
        rememberCsrf(who.csrfToken);
        setMe(who);
      },
      () => setMe(null),
    );
  }, [navigate]);

  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  // Nobody signed in: the sign-in page; signed in: never the sign-in page.
  useEffect(() => {
    if (me === null && !PUBLIC_PAGES.includes(path)) navigate('/login', { replace: true });
    if (me && path === '/login') navigate('/', { replace: true });
  }, [me, path, navigate]);

  if (path === '/set-password') return <SetPassword />;
  if (me === undefined) {
    return (
      <Center h="100vh">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (me === null) return <Login onSignedIn={signedIn} notice={sessionEnded ? t('error.sessionEnded') : undefined} />;
  if (path === '/login') return null;

  const signOut = async () => {
    await api.logout().catch(() => undefined);
    rememberCsrf(undefined);
    setMe(null);
    navigate('/login', { replace: true });
  };
  const nav = navFor(me.role);
  const allowed = (prefix: string) => nav.some((item) => item.to === prefix);
  let page;
  const campaign = /^\/campaigns\/([0-9a-f]{24})$/.exec(path);
  const requestPath = /^\/requests\/([0-9a-f]{24})$/.exec(path);
  const messagePath = /^\/mailbox\/([0-9a-f]{24})$/.exec(path);
  const person = /^\/people\/([0-9a-f]{24})$/.exec(path);
  if (path === '/') page = <Dashboard role={me.role} />;
  else if (path === '/campaigns' && allowed('/campaigns')) page = <Campaigns />;
  else if (path === '/campaigns/new' && allowed('/campaigns')) page = <CampaignEditor />;
  else if (campaign && allowed('/campaigns')) page = <CampaignRoute id={campaign[1]!} />;
  else if (path === '/lists' && allowed('/lists')) page = <Lists />;
  else if (path === '/requests' && allowed('/requests')) page = <Requests />;
  else if (requestPath && allowed('/requests')) page = <RequestPage id={requestPath[1]!} />;
  else if (path === '/mailbox' && allowed('/mailbox')) page = <MailboxReview />;
  else if (messagePath && allowed('/mailbox')) page = <MessagePage id={messagePath[1]!} />;
  else if (path === '/policy' && allowed('/policy')) page = <PolicyPage />;
  else if (path === '/import' && allowed('/import')) page = <ImportPage />;
  else if (path === '/audit' && allowed('/audit')) page = <AuditPage />;
  else if (path === '/retention' && allowed('/retention')) page = <RetentionPage />;
  else if (path === '/people' && allowed('/people')) page = <People />;
  else if (person && allowed('/people')) page = <Person key={person[1]} id={person[1]!} />;
  else if (path === '/staff' && allowed('/staff')) page = <Staff me={me} />;
  else page = <Dashboard role={me.role} />;
  return (
    <Shell me={me} nav={nav} onSignOut={signOut}>
      <Suspense fallback={<Loader aria-label={t('common.loading')} />}>{page}</Suspense>
    </Shell>
  );
}

/** A draft opens in the editor; anything that has started sending opens its progress. */
function CampaignRoute({ id }: { id: string }) {
  const [status, setStatus] = useState<string>();
  useEffect(() => {
    api.campaign(id).then((c) => setStatus(c.status), () => setStatus('missing'));
  }, [id]);
  if (!status) return <Loader />;
  if (status === 'draft') return <CampaignEditor id={id} onSent={() => setStatus('sending')} />;
  return <CampaignProgress id={id} />;
}
