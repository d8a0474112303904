// Development only (called by src/dev.ts): a fresh var/ gets an admin account, and as long as
// nobody has set its password, each start prints a new one-time link for it.
import type { Container } from '../../container';
import { staffQueries } from '../../data/staff.queries';
import type { MailedLink } from './accounts';

export const DEV_ADMIN_EMAIL = 'admin@impro.lv';
const DEV_ACTOR = { sub: 'dev', role: 'admin' };

export async function devAdminLink(c: Pick<Container, 'models' | 'staff'>): Promise<MailedLink | undefined> {
  const existing = await staffQueries.ofEmail(c.models, DEV_ADMIN_EMAIL).lean();
  if (existing) return existing.status === 'invited' ? (await c.staff.accounts.reissueLink(String(existing._id), DEV_ACTOR)).link : undefined;
  // Somebody set up other accounts already: leave the staff alone.
  if (await staffQueries.any(c.models)) return undefined;
  return (await c.staff.accounts.invite({ email: DEV_ADMIN_EMAIL, role: 'admin', name: 'Admin' }, DEV_ACTOR)).link;
}
