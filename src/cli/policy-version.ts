import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { parseOptions, type CliCommand } from './command';
import { withContainer } from './with-container';

export const policyVersionCommand: CliCommand = {
  summary: 'policy-version FILE.txt --consent-lv TEXT --consent-en TEXT [--effective-at ISO-DATE]: register a privacy-policy version',
  help: `usage: npm run cli -- policy-version FILE.txt --consent-lv TEXT --consent-en TEXT [--effective-at ISO-DATE]

Registers a new version of the privacy policy; consents given from its effective date name it.

options:
  --consent-lv TEXT       the consent text shown on the sign-up form, in Latvian (required)
  --consent-en TEXT       the same in English (required)
  --effective-at DATE     when it takes effect (default now)
  --help                  this text`,
  async run(args) {
    const { values, positionals } = parseOptions(args, {
      'consent-lv': { type: 'string' },
      'consent-en': { type: 'string' },
      'effective-at': { type: 'string' },
    });
    const lv = values['consent-lv']?.trim();
    const en = values['consent-en']?.trim();
    if (positionals.length !== 1 || !lv || !en) throw new Error('give the policy text file, --consent-lv and --consent-en');
    const effectiveAt = values['effective-at'] ? new Date(values['effective-at']) : undefined;
    if (effectiveAt && Number.isNaN(effectiveAt.getTime())) throw new Error('--effective-at must be an ISO date');
    const text = await readFile(positionals[0]!, 'utf8');
    const version = await withContainer(async (c) => {
      const registered = await c.policies.register({ text, consentText: { lv, en }, effectiveAt });
      // The same audit entry as POST /api/v1/admin/policy-versions.
      await c.audit.record({ sub: `cli:${os.userInfo().username}`, role: 'cli' }, 'policy-version.register', String(registered.version));
      return registered;
    });
    console.log(JSON.stringify(version));
  },
};
