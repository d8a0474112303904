// The pure parts of "the mailbox acts only on what it can trust": what the poller does with a
// classification, which feedback loops are believed, and the evidence read from a report, in linear
// time on hostile input.
import { expect } from 'chai';
import type { Classification, HeaderList } from '../../src/mailbox/classification';
import { diagnosticOf, feedbackLoopRefusal, returnedIdsOf, verpTokensOf } from '../../src/mailbox/mail-origin';
import { triage } from '../../src/mailbox/poller';

describe('mailbox trust: triage of a classification', () => {
  const c = (fields: Partial<Classification>): Classification => ({ kind: 'unsubscribe', confidence: 1, ...fields });

  it('sends timeouts, failures and low confidence to Review with the reason', () => {
    expect(triage(c({ kind: 'other', timedOut: true, reason: 'budget of 250 ms used up' }))).to.deep.equal({ review: 'timeout: budget of 250 ms used up' });
    expect(triage(c({ kind: 'other', error: 'bad MIME' }))).to.deep.equal({ review: 'classification failed: bad MIME' });
    expect(triage(c({ kind: 'erasure', confidence: 0.6, evidence: 'dzēst' }))).to.deep.equal({ review: 'low confidence (0.60) for erasure: "dzēst"' });
    expect(triage(c({ kind: 'bounce', confidence: 0.79 }))).to.have.property('review');
  });

  it('leaves ordinary mail and questions in reply to our mail in the inbox', () => {
    expect(triage(c({ kind: 'other' }))).to.deep.equal({ keep: 'ordinary mail for a person' });
    expect(triage(c({ kind: 'other', confidence: 0.1 }))).to.have.property('keep');
    expect(triage(c({ kind: 'restriction', replyToOurMail: true, asksQuestion: true }))).to.deep.equal({ keep: 'a question in reply to our mail (read as restriction)' });
  });

  it('acts on confident classifications (a missing confidence counts as certain); an unsubscribe with a question acts and stays', () => {
    expect(triage(c({}))).to.deep.equal({ act: true, keepAfter: false });
    expect(triage(c({ confidence: 0.8 }))).to.deep.equal({ act: true, keepAfter: false });
    expect(triage(c({ asksQuestion: true }))).to.deep.equal({ act: true, keepAfter: true });
    expect(triage(c({ kind: 'access', asksQuestion: true }))).to.deep.equal({ act: true, keepAfter: false });
    expect(triage(c({ kind: 'bounce', replyToOurMail: true, asksQuestion: true }))).to.deep.equal({ act: true, keepAfter: false });
  });
});

describe('mailbox trust: feedback loops', () => {
  const settings = { complaintSenders: ['fbl@mail.example.lv', '@amazonses.com'], authservId: 'mx.impro.lv' };
  const ar = (...values: string[]): HeaderList => values.map((v) => ['authentication-results', v]);

  it('believes a listed sender whose DMARC, or DKIM for its own domain, passed at our MX', () => {
    expect(feedbackLoopRefusal(ar('mx.impro.lv; dmarc=pass (p=reject) header.from=mail.example.lv'), 'fbl@mail.example.lv', settings)).to.equal(undefined);
    expect(feedbackLoopRefusal(ar('mx.impro.lv; dkim=pass header.d=amazonses.com'), 'complaints@email-abuse.amazonses.com', settings)).to.equal(undefined);
    expect(feedbackLoopRefusal(ar('MX.IMPRO.LV 1; dkim=pass header.i=@mail.example.lv'), 'fbl@mail.example.lv', settings)).to.equal(undefined);
  });

  it('refuses unlisted senders, missing or foreign Authentication-Results, failures and DKIM of another domain', () => {
    expect(feedbackLoopRefusal(ar('mx.impro.lv; dmarc=pass'), 'anyone@evil.example', settings)).to.contain('not a configured feedback loop');
    expect(feedbackLoopRefusal(ar('mx.impro.lv; dmarc=pass'), 'other@mail.example.lv', settings)).to.contain('not a configured feedback loop');
    expect(feedbackLoopRefusal([], 'fbl@mail.example.lv', settings)).to.equal('no Authentication-Results from mx.impro.lv');
    expect(feedbackLoopRefusal(ar('evil.example; dmarc=pass'), 'fbl@mail.example.lv', settings)).to.contain('no Authentication-Results');
    expect(feedbackLoopRefusal(ar('mx.impro.lv; dkim=pass header.d=evil.example; dmarc=fail'), 'fbl@mail.example.lv', settings)).to.contain('neither');
    // Ours is the first with our authserv-id; one written below it by the sender does not count.
    expect(feedbackLoopRefusal(ar('mx.impro.lv; dmarc=fail', 'mx.impro.lv; dmarc=pass'), 'fbl@mail.example.lv', settings)).to.contain('neither');
    expect(feedbackLoopRefusal(ar('mx.impro.lv; dmarc=pass'), 'fbl@mail.example.lv', { ...settings, authservId: '' })).to.contain('AUTHSERV_ID');
  });
});

describe('mailbox trust: evidence read from a report', () => {
  const campaign = '0123456789abcdef01234567';
  const subscriber = 'abcdefabcdefabcdefabcdef';

  it('finds VERP tokens in the envelope headers first, then anywhere in the message', () => {
    const headers: HeaderList = [['delivered-to', 'bounces+aaaaaaaaaaaaaaaaaaaaaaaa@impro.lv'], ['to', '<BOUNCES+bbbbbbbbbbbbbbbbbbbbbbbb@Impro.lv>']];
    const raw = Buffer.from('Subject: x\r\n\r\n{"source":"bounces+cccccccccccccccccccccccc@impro.lv"} bounces+dddddddddddddddddddddddd@elsewhere.lv');
    expect(verpTokensOf(headers, raw, 'bounces', 'impro.lv')).to.deep.equal(['a'.repeat(24), 'b'.repeat(24), 'c'.repeat(24)]);
  });

  it('reads our ids from the returned part only, also from SES JSON, and the diagnostic', () => {
    const top = `Message-ID: <${campaign}.${subscriber}@impro.lv>\r\n`;
    expect(returnedIdsOf(Buffer.from(`${top}\r\nbody without ids`), 'impro.lv')).to.deep.equal({});
    const ses = `Subject: n\r\n\r\n{"headers":[{"name":"Message-ID","value":"<${campaign}.${subscriber}@impro.lv>"}],"diagnosticCode":"smtp; 550 5.1.1 unknown"}`;
    expect(returnedIdsOf(Buffer.from(ses), 'impro.lv')).to.deep.equal({ campaignId: campaign, subscriberId: subscriber });
    expect(diagnosticOf(Buffer.from(ses))).to.equal('smtp; 550 5.1.1 unknown');
    const headersOnly = `Subject: n\r\n\r\nX-Ejaunumi-Campaign: ${campaign}\r\nX-Ejaunumi-Subscriber: ${subscriber}\r\n`;
    expect(returnedIdsOf(Buffer.from(headersOnly), 'impro.lv')).to.deep.equal({ campaignId: campaign, subscriberId: subscriber });
  });

  it('reads 1 MB of hostile text in about the time of plain text (a ratio, not seconds)', () => {
    const size = 1024 * 1024;
    const plain = Buffer.from('Subject: x\r\n\r\n' + 'Labdien, vai braucienā vēl ir brīvas vietas? '.repeat(size / 46));
    const hostile = [
      'bounces+' + 'a'.repeat(size),
      ('bounces+' + 'a'.repeat(59) + ' ').repeat(size / 68),
      'X-Ejaunumi-Campaign:' + ' '.repeat(size),
      ('<' + '0'.repeat(24) + '.').repeat(size / 26),
      'Diagnostic-Code:' + '\t'.repeat(size),
      '"diagnosticCode"' + ' '.repeat(size),
    ].map((text) => Buffer.from('Subject: x\r\n\r\n' + text));
    const headers: HeaderList = [['authentication-results', 'mx.impro.lv; ' + '('.repeat(size / 2) + 'dkim=pass;'.repeat(size / 20)]];
    const read = (raw: Buffer) => {
      verpTokensOf(headers, raw, 'bounces', 'impro.lv');
      returnedIdsOf(raw, 'impro.lv');
      diagnosticOf(raw);
      feedbackLoopRefusal(headers, 'fbl@mail.example.lv', { complaintSenders: ['@mail.example.lv'], authservId: 'mx.impro.lv' });
    };
    const time = (raw: Buffer) => {
      const startedAt = process.hrtime.bigint();
      for (let i = 0; i < 3; i++) read(raw);
      return Number(process.hrtime.bigint() - startedAt);
    };
    time(plain); // warm-up
    const baseline = Math.max(time(plain), 1);
    for (const raw of hostile) expect(time(raw) / baseline, raw.subarray(14, 40).toString()).to.be.below(25);
  });
});
