import { loadConfig } from '../config';
import { ADMIN_ROLES, issueAdminToken, type AdminRole } from '../domain/staff/admin-token';
import { normalizeEmail } from '../domain/email-address';
import { parseOptions, type CliCommand } from './command';

export const adminTokenCommand: CliCommand = {
  summary: 'admin-token --role marketer|dpo|admin --sub EMAIL [--ttl 8h]: print an admin API token (at most ADMIN_JWT_MAX_TTL)',
  help: `usage: npm run cli -- admin-token --role marketer|dpo|admin --sub EMAIL [--ttl 8h]

Prints a Bearer token for scripts that call /api/v1/admin.

options:
  --role ROLE   marketer, dpo or admin (required)
  --sub EMAIL   who the token speaks for; recorded in the audit trail (required)
  --ttl TIME    lifetime such as 30m, 8h or 7d (default 8h)
  --help        this text`,
  async run(args) {
    const { values } = parseOptions(args, {
      role: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string', default: '8h' },
    });
    if (!values.role || !ADMIN_ROLES.includes(values.role as AdminRole)) throw new Error(`--role must be one of ${ADMIN_ROLES.join(', ')}`);
    if (!values.sub) throw new Error('--sub EMAIL is required');
    if (!/^\d+[smhd]$/.test(values.ttl!)) throw new Error('--ttl must look like 30m, 8h or 7d');
    const config = loadConfig();
    // A ttl beyond ADMIN_JWT_MAX_TTL is refused by issueAdminToken; the CLI prints its message.
    console.log(issueAdminToken(config.adminJwt, { sub: normalizeEmail(values.sub), role: values.role as AdminRole }, values.ttl!));
  },
};
