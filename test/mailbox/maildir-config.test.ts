// MAILBOX_URL: the Maildir by default in development, IMAP by either name, never two mailboxes at
// once; and the addresses the development mailbox receives for.
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config';
import { mailboxRecipients } from '../../src/mailbox/mailbox-recipients';

const IMAP = 'imaps://impro%40impro.lv:secret@mail.impro.lv/INBOX';

describe('MAILBOX_URL', () => {
  it('is the Maildir under VAR_DIR in development, and unset elsewhere', () => {
    expect(loadConfig({ VAR_DIR: '/srv/ej' }).mailboxUrl).to.equal('maildir:/srv/ej/inbox');
    expect(loadConfig({ VAR_DIR: '/srv/ej' }).imapUrl).to.equal(undefined);
    expect(loadConfig({ NODE_ENV: 'test' }).mailboxUrl).to.equal(undefined);
  });

  it('takes maildir: paths relative to the working directory or absolute, and IMAP by either name', () => {
    expect(loadConfig({ MAILBOX_URL: 'maildir:./var/inbox' }).mailboxUrl).to.equal(`maildir:${path.resolve('var/inbox')}`);
    expect(loadConfig({ MAILBOX_URL: 'maildir:///tmp/box' }).mailboxUrl).to.equal('maildir:/tmp/box');
    for (const env of [{ IMAP_URL: IMAP }, { MAILBOX_URL: IMAP }, { MAILBOX_URL: IMAP, IMAP_URL: IMAP }]) {
      const config = loadConfig(env);
      expect(config.mailboxUrl, JSON.stringify(env)).to.equal(IMAP);
      expect(config.imapUrl, JSON.stringify(env)).to.equal(IMAP);
    }
  });

  it('refuses two different mailboxes and unknown schemes, naming the variables', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        return (err as ConfigError).problems.join('\n');
      }
      throw new Error('expected a ConfigError');
    };
    expect(problems({ MAILBOX_URL: 'maildir:/tmp/box', IMAP_URL: IMAP })).to.match(/^MAILBOX_URL, IMAP_URL:/);
    expect(problems({ MAILBOX_URL: 'pop3://mail.impro.lv' })).to.match(/^MAILBOX_URL:/);
    expect(problems({ MAILBOX_URL: 'maildir:' })).to.match(/^MAILBOX_URL:/);
  });

  it('has BOUNCE_ADDRESS_LOCAL, by default bounces', () => {
    expect(loadConfig({}).bounceAddressLocal).to.equal('bounces');
    expect(loadConfig({ BOUNCE_ADDRESS_LOCAL: 'atteikumi' }).bounceAddressLocal).to.equal('atteikumi');
  });
});

describe('mailbox recipients', () => {
  const receives = mailboxRecipients({ mailboxAddress: 'impro@impro.lv', unsubscribeMailtoLocal: 'unsubscribe', bounceAddressLocal: 'bounces' });

  it('are the mailbox address and the unsubscribe and bounce aliases on its domain, nothing else', () => {
    for (const a of ['impro@impro.lv', 'IMPRO@Impro.LV', 'unsubscribe+v1.abc-DEF_0@impro.lv', 'bounces+tok@impro.lv', 'bounces@impro.lv']) {
      expect(receives(a), a).to.equal(true);
    }
    for (const a of ['e-jaunumi@impro.lv', 'impro+x@impro.lv', 'unsubscribe+tok@evil.example', 'bounces+tok@impro.lv.evil.example', 'anna@example.lv', 'unsubscribed+x@impro.lv']) {
      expect(receives(a), a).to.equal(false);
    }
  });
});
