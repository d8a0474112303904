// `npm run cli -- campaign <action> …` for marketers' scripts: the same service and rules as the
// admin API, JSON on stdout, recorded in the audit trail as the operating-system user.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { CAMPAIGN_STATES, type CampaignState } from '../data/campaign.model';
import { DEFAULT_LIST } from '../data/list.model';
import type { Container } from '../container';
import { CAMPAIGN_LANGUAGES, type CampaignLanguage } from '../mail/campaign-renderer';
import { campaignReport } from '../domain/campaigns/campaign-report';
import { parseOptions, type CliCommand } from './command';
import { followSend } from './send-progress';
import { withContainer } from './with-container';

const USAGE = `campaign create --name N --subject S --mjml FILE [--list ${DEFAULT_LIST}] [--preheader P]
                  [--subject-en S --mjml-en FILE [--preheader-en P]]
  campaign list [--status ${CAMPAIGN_STATES.join('|')}]
  campaign show|pause|resume|cancel|delete ID
  campaign preview ID [--lang lv|en]
  campaign duplicate ID [--name N]
  campaign send ID [--at 2026-03-10T10:00 [--time-zone Europe/Riga]] [--wait]
  campaign test ID --to EMAIL [--to EMAIL…] [--lang lv|en]`;

export const campaignCommand: CliCommand = {
  summary: 'campaign create|list|show|preview|duplicate|delete|send|pause|resume|cancel|test …: manage newsletter campaigns (run without arguments for usage)',
  help: `usage: npm run cli -- ${USAGE}

Manages newsletter campaigns with the same rules as the admin API; JSON on stdout.

options:
  --name N            campaign name (create; duplicate: the copy's, default "<name> (kopija)")
  --subject S         subject line; merge fields such as {{name}} allowed (create)
  --mjml FILE         the MJML source file (create)
  --list SLUG         the list to send to (default ${DEFAULT_LIST})
  --preheader P       the preview text inboxes show after the subject
  --subject-en S      the English version's subject: people whose language is English get the
                      English version, everyone else the Latvian one (create; needs --mjml-en)
  --mjml-en FILE      the English version's MJML (create; needs --subject-en)
  --preheader-en P    the English version's preview text (create)
  --lang lv|en        preview: the version to render (default lv); test: send only this version
                      (default: one copy of each version the campaign has)
  --status STATE      filter for list: ${CAMPAIGN_STATES.join(', ')}
  --at TIME           send: schedule instead of sending now (local time, ISO)
  --time-zone ZONE    send: the zone of --at (default Europe/Riga)
  --wait              send: follow the send until it ends (a progress bar on a terminal, plain
                      lines otherwise, on stderr), then print its report; exit 1 unless it was sent
  --to EMAIL          test: a recipient of the test mail (repeatable)
  --help              this text`,
  async run(args) {
    const { values, positionals } = parseOptions(args, {
      name: { type: 'string' },
      list: { type: 'string', default: DEFAULT_LIST },
      subject: { type: 'string' },
      preheader: { type: 'string', default: '' },
      mjml: { type: 'string' },
      'subject-en': { type: 'string' },
      'preheader-en': { type: 'string', default: '' },
      'mjml-en': { type: 'string' },
      lang: { type: 'string' },
      status: { type: 'string' },
      at: { type: 'string' },
      'time-zone': { type: 'string' },
      to: { type: 'string', multiple: true },
      wait: { type: 'boolean', default: false },
    });
    const [action, id] = positionals;
    const needId = () => {
      if (!id) throw new Error(`${action} needs a campaign id\n${USAGE}`);
      return id;
    };
    const lang = (): CampaignLanguage | undefined => {
      if (values.lang === undefined) return undefined;
      if (!CAMPAIGN_LANGUAGES.includes(values.lang as CampaignLanguage)) throw new Error(`--lang must be one of ${CAMPAIGN_LANGUAGES.join(', ')}`);
      return values.lang as CampaignLanguage;
    };
    const actor = { sub: `cli:${os.userInfo().username}`, role: 'marketer' };
    const audited = async <T>(c: Container, what: string, target: string, result: T) => {
      await c.audit.record(actor, `campaign.${what}`, target);
      return result;
    };

    let output: unknown;
    switch (action) {
      case 'create': {
        if (!values.name || !values.subject || !values.mjml) throw new Error(`create needs --name, --subject and --mjml\n${USAGE}`);
        if (!values['subject-en'] !== !values['mjml-en']) throw new Error(`an English version needs both --subject-en and --mjml-en\n${USAGE}`);
        const mjml = await readFile(values.mjml, 'utf8');
        const en = values['mjml-en'] ? { subject: values['subject-en']!, preheader: values['preheader-en']!, mjml: await readFile(values['mjml-en'], 'utf8') } : undefined;
        const draft = { name: values.name, list: values.list!, subject: values.subject, preheader: values.preheader!, mjml, en };
        output = await withContainer(async (c) => {
          const campaign = await c.campaigns.create(draft, actor.sub);
          return audited(c, 'create', campaign.id, campaign);
        });
        break;
      }
      case 'list': {
        const status = values.status as CampaignState | undefined;
        if (status && !CAMPAIGN_STATES.includes(status)) throw new Error(`--status must be one of ${CAMPAIGN_STATES.join(', ')}`);
        output = await withContainer((c) => c.campaigns.list({ status, limit: 200 }));
        break;
      }
      case 'show':
        output = await withContainer((c) => c.campaigns.get(needId()));
        break;
      case 'preview':
        console.log(await withContainer((c) => c.campaigns.preview(needId(), lang())));
        return;
      case 'duplicate':
        output = await withContainer(async (c) => {
          const copy = await c.campaigns.duplicate(needId(), actor.sub, values.name);
          await c.audit.record(actor, 'campaign.duplicate', copy.id, { from: needId() });
          return copy;
        });
        break;
      case 'delete':
        output = await withContainer(async (c) => {
          await c.campaigns.remove(needId());
          return audited(c, 'delete', needId(), { id: needId(), deleted: true });
        });
        break;
      case 'send': {
        let sent = true;
        output = await withContainer(async (c) => {
          const started = await audited(c, values.at ? 'schedule' : 'send', needId(), await c.campaigns.send(needId(), { at: values.at, timeZone: values['time-zone'] }));
          if (!values.wait) return started;
          const report = await followSend(() => campaignReport({ models: c.models, now: () => c.clock.now() }, needId()), process.stderr);
          sent = report.status === 'sent';
          return report;
        });
        if (!sent) {
          console.log(JSON.stringify(output, null, 2));
          return 1;
        }
        break;
      }
      case 'pause':
      case 'resume':
      case 'cancel':
        output = await withContainer(async (c) => audited(c, action, needId(), await c.campaigns[action](needId())));
        break;
      case 'test':
        if (!values.to?.length) throw new Error(`test needs --to EMAIL\n${USAGE}`);
        output = await withContainer(async (c) => audited(c, 'test-send', needId(), await c.campaigns.sendTest(needId(), values.to!, lang() && [lang()!])));
        break;
      default:
        console.error(`usage:\n  ${USAGE}`);
        return action ? 64 : 0;
    }
    console.log(JSON.stringify(output, null, 2));
  },
};
