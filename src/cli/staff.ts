import { ADMIN_ROLES, type AdminRole } from '../domain/staff/admin-token';
import { parseOptions, type CliCommand } from './command';
import { withContainer } from './with-container';

// Operator actions in the audit trail carry this actor: whoever has a shell on the server.
const OPERATOR = { sub: 'cli', role: 'admin' };

export const staffCommand: CliCommand = {
  summary: 'staff add --email E --role marketer|dpo|admin [--name N] | staff link --email E: invite staff, print a one-time set-password link',
  help: `usage: npm run cli -- staff add --email E --role marketer|dpo|admin [--name N]
       npm run cli -- staff link --email E

add: creates a console account and prints (and mails) a one-time link to set its password.
link: a new link for an existing account (a forgotten password, an expired invitation).
Links are valid for STAFF_PASSWORD_LINK_TTL (24 h) and work once.

options:
  --email E   the staff member's address (required)
  --role R    marketer, dpo or admin (add)
  --name N    the name shown in the console (add)
  --help      this text`,
  async run(args) {
    const [action, ...rest] = args;
    const { values } = parseOptions(rest, {
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
    });
    if (!values.email) throw new Error('--email E is required');
    if (action === 'add') {
      if (!values.role || !ADMIN_ROLES.includes(values.role as AdminRole)) throw new Error(`--role must be one of ${ADMIN_ROLES.join(', ')}`);
      const { staff, link } = await withContainer((c) => c.staff.accounts.invite({ email: values.email!, role: values.role as AdminRole, name: values.name }, OPERATOR));
      report(`${staff.email} (${staff.role}) invited`, link);
      return;
    }
    if (action === 'link') {
      const { staff, link } = await withContainer(async (c) => {
        const found = (await c.staff.accounts.list()).find((s) => s.email === values.email!.trim().toLowerCase());
        if (!found) throw new Error(`no staff account for ${values.email}`);
        return c.staff.accounts.reissueLink(found.id, OPERATOR);
      });
      report(`new link for ${staff.email}`, link);
      return;
    }
    throw new Error('staff add --email E --role R [--name N], or staff link --email E');
  },
};

function report(what: string, link: { url: string; expiresAt: Date; mailed: boolean }) {
  console.log(`${what}; the link sets the password once, until ${link.expiresAt.toISOString()}${link.mailed ? ' (also mailed)' : ' (the mail could not be sent)'}:`);
  console.log(link.url);
}
