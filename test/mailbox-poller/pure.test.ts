// The poller's pure pieces: who may be answered, which campaign a report is about, IMAP_URL.
import { expect } from 'chai';
import type { Classification } from '../../src/mailbox/classification';
import { parseImapUrl } from '../../src/mailbox/imap-mailbox';
import { OwnAddresses, reasonNotToAnswer, topHeaders } from '../../src/mailbox/loop-guard';
import { campaignOf } from '../../src/mailbox/mail-origin';
import * as fixtures from './messages';

const own = new OwnAddresses({ mailFrom: 'IMPRO CEĻOJUMI <e-jaunumi@impro.lv>', mailboxAddress: 'impro@impro.lv', unsubscribeMailtoLocal: 'unsubscribe' });
const person: Classification = { kind: 'unsubscribe', confidence: 0.92, from: 'anna@example.lv' };

function refusal(headers: string[], c: Classification = person): string | undefined {
  return reasonNotToAnswer(topHeaders(Buffer.from(fixtures.plainMail({ from: c.from ?? '', subject: 'x', headers }, 'body'))), c, own);
}

describe('mailbox poller: loop guard', () => {
  it('answers a person writing from an ordinary address', () => {
    expect(refusal([])).to.equal(undefined);
    expect(refusal(['Auto-Submitted: no', 'Precedence: first-class', 'Return-Path: <anna@example.lv>'])).to.equal(undefined);
  });

  it('never answers reports, auto-replies, Auto-Submitted, a null return path, bulk or list mail', () => {
    expect(refusal([], { ...person, kind: 'bounce' })).to.contain('bounce');
    expect(refusal([], { ...person, kind: 'complaint' })).to.contain('complaint');
    expect(refusal([], { ...person, kind: 'auto-reply' })).to.contain('auto-reply');
    expect(refusal(['Auto-Submitted: auto-generated; owner-email="x@y.lv"'])).to.equal('Auto-Submitted: auto-generated');
    expect(refusal(['Return-Path: <>'])).to.equal('null return path');
    for (const p of ['bulk', 'List', 'junk']) expect(refusal([`Precedence: ${p}`])).to.equal(`Precedence: ${p.toLowerCase()}`);
    expect(refusal(['List-Id: <news.example.lv>'])).to.equal('sent by a mailing list');
  });

  it('never answers our own addresses or mail-system addresses', () => {
    for (const from of ['impro@impro.lv', 'E-Jaunumi@impro.lv', 'unsubscribe+dev.abc.def@impro.lv', 'MAILER-DAEMON@mx.example.lv', 'no-reply@shop.example', 'postmaster@example.lv']) {
      expect(refusal([], { ...person, from }), from).to.not.equal(undefined);
    }
    expect(own.has('unsubscribe+x@other.example')).to.equal(false);
    // The VERP return path, with or without a token, is ours too: never answered.
    expect(own.has('bounces+abcdefghijklmnopqrstuvwx@impro.lv')).to.equal(true);
    expect(own.has('bounces@impro.lv')).to.equal(true);
    expect(own.has('bounces+x@other.example')).to.equal(false);
  });
});

describe('mailbox poller: campaign of a report', () => {
  const ours = { recipient: 'a@example.lv', campaignId: '0123456789abcdef01234567', subscriberId: 'abcdefabcdefabcdefabcdef' };

  it('reads the campaign from the returned headers of a DSN and an ARF report', () => {
    expect(campaignOf(Buffer.from(fixtures.dsn({ ...ours, messageId: '<x@y>', status: '5.1.1', diagnostic: '550' })), 'impro.lv')).to.equal(ours.campaignId);
    expect(campaignOf(Buffer.from(fixtures.arfComplaint({ ...ours, messageId: '<x@y>' })), 'impro.lv')).to.equal(ours.campaignId);
  });

  it('falls back to Feedback-ID and to our Message-ID, and ignores the report\'s own headers', () => {
    const body = (lines: string[]) => Buffer.from(['Message-ID: <aaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbb@impro.lv>', '', ...lines].join('\r\n'));
    expect(campaignOf(body([`Feedback-ID: ${ours.campaignId}:e-jaunumi:impro`]), 'impro.lv')).to.equal(ours.campaignId);
    expect(campaignOf(body([`Message-ID: <${ours.campaignId}.${ours.subscriberId}@impro.lv>`]), 'impro.lv')).to.equal(ours.campaignId);
    expect(campaignOf(body([`Message-ID: <${ours.campaignId}.${ours.subscriberId}@elsewhere.lv>`]), 'impro.lv')).to.equal(undefined);
    expect(campaignOf(body([]), 'impro.lv')).to.equal(undefined);
  });
});

describe('mailbox poller: IMAP_URL', () => {
  it('uses TLS for imaps, defaults ports and the folder, decodes credentials', () => {
    expect(parseImapUrl('imaps://impro%40impro.lv:p%3Ass@mail.impro.lv/INBOX')).to.deep.equal({
      host: 'mail.impro.lv', port: 993, secure: true, user: 'impro@impro.lv', pass: 'p:ss', folder: 'INBOX',
    });
    expect(parseImapUrl('imap://u:p@127.0.0.1:1143')).to.include({ port: 1143, secure: false, folder: 'INBOX' });
    expect(() => parseImapUrl('http://u:p@host/INBOX')).to.throw(/imaps:\/\/ or imap:\/\//);
  });
});
