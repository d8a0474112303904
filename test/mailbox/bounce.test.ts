import { expect } from 'chai';
import { classifyMessage } from '../../src/mailbox/classify';
import { decideStatus, enhancedCodes, inferStatus, isPermanent } from '../../src/mailbox/bounce';

describe('bounce: enhanced status codes in text', () => {
  it('finds codes after SMTP replies, in qmail parentheses and Gmail continuations', () => {
    expect(enhancedCodes('said: 550 5.1.1 <a@b.lv>: User unknown')).to.deep.equal(['5.1.1']);
    expect(enhancedCodes('Sorry, no mailbox here by that name. (#5.1.1)')).to.deep.equal(['5.1.1']);
    expect(enhancedCodes('550-5.1.1 The email account that you tried to reach does not exist.')).to.deep.equal(['5.1.1']);
    expect(enhancedCodes("Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound'")).to.deep.equal(['5.1.10']);
  });

  it('ignores IP addresses, versions and dates', () => {
    expect(enhancedCodes('host mx.example.lv[194.5.1.1] (Exim 4.96.2) on 5.12.2024')).to.deep.equal([]);
    expect(enhancedCodes('Microsoft SMTP Server version 15.2.1544.11')).to.deep.equal([]);
  });
});

describe('bounce: status inference from the reply text', () => {
  const cases: Array<[text: string, delayed: boolean, status: string]> = [
    ['550 Requested action not taken: user unknown', false, '5.1.1'],
    ['550 No such user here', false, '5.1.1'],
    ['550 mailbox unavailable', false, '5.1.1'],
    ['554 delivery error: dd This user does not exist', false, '5.1.1'],
    ['552 Mailbox full', false, '5.2.2'],
    ['452 Insufficient system storage', false, '4.2.2'],
    ['mailbox is over quota', false, '5.2.2'],
    ['Host or domain name not found. Name service error for name=x.lvv type=A: Host not found', false, '5.1.2'],
    ['Host or domain name not found. Name service error: try again', false, '4.4.3'],
    ['554 rejected for policy reasons', false, '5.7.1'],
    ['554 Relay access denied', false, '5.7.1'],
    ['550 Message rejected as spam', false, '5.7.1'],
    ['552 Message size exceeds maximum permitted', false, '5.3.4'],
    ['retry timeout exceeded', false, '4.4.7'],
    ['Connection timed out', true, '4.4.7'],
    ['delivery time expired', false, '4.4.7'],
    ['550 Mailbox disabled for this recipient', false, '5.2.1'],
    ['account has been disabled or discontinued', false, '5.2.1'],
    ['551 User has moved; please try <new@x.lv>', false, '5.1.6'],
    ['Local mailbox x@mail.ru is unavailable: user not found', false, '5.1.1'],
    ['пользователь не найден', false, '5.1.1'],
    ['550 something unexpected happened', false, '5.0.0'],
    ['421 try later', false, '4.0.0'],
    ['', false, '5.0.0'],
    ['', true, '4.0.0'],
  ];
  for (const [text, delayed, status] of cases) {
    it(`${JSON.stringify(text)}${delayed ? ' (delayed)' : ''} → ${status}`, () => {
      expect(inferStatus(text, delayed)).to.equal(status);
    });
  }
});

describe('bounce: choosing the status', () => {
  it('keeps an explicit Status field', () => {
    expect(decideStatus('5.7.1', '550 5.1.1 user unknown', '', false)).to.equal('5.7.1');
  });

  it('lets a generic Status give way to a specific code of the same class only', () => {
    expect(decideStatus('5.0.0', 'smtp; 550 5.1.1 Mailbox does not exist', '', false)).to.equal('5.1.1');
    expect(decideStatus('5.0.0', 'smtp; 450 4.2.2 over quota', '', false)).to.equal('5.0.0');
  });

  it('prefers an enhanced code in the text over inference', () => {
    expect(decideStatus(undefined, '550 5.7.1 user unknown (policy)', '', false)).to.equal('5.7.1');
  });

  it('prefers a 4.x.x code in a delay notice', () => {
    expect(decideStatus(undefined, 'still trying; last reply 451 4.4.0 DNS failure', '', true)).to.equal('4.4.0');
  });
});

describe('bounce: permanent means the address is dead', () => {
  const cases: Array<[status: string, evidence: string, delayed: boolean, permanent: boolean]> = [
    ['5.1.1', '', false, true],
    ['5.1.2', '', false, true],
    ['5.1.10', '', false, true],
    ['5.1.6', '', false, true],
    ['5.2.1', '', false, true],
    ['5.1.8', 'bad sender address', false, false],
    ['5.2.2', 'mailbox full', false, false],
    ['4.2.2', 'mailbox full', false, false],
    // A policy code with unmistakable wording is still a dead address; the wording of a policy is not.
    ['5.7.1', '554 5.7.1 <a@b.lv>: Recipient address rejected: user unknown', false, true],
    ['5.7.1', '554 5.7.1 Relay access denied', false, false],
    ['5.4.1', 'Recipient address rejected: Access denied', false, true],
    ['5.7.27', '550 Host does not accept mail', false, true],
    ['5.7.1', 'Service unavailable; client host blocked; does not accept mail from you', false, false],
    // Dead-address codes misused for the rate, the sender or a blocklist.
    ['5.2.1', 'The user you are trying to contact is receiving mail at a rate that prevents additional messages', false, false],
    ['5.1.0', 'MailFrom domain is listed in Spamhaus (in reply to MAIL FROM command)', false, false],
    ['5.1.0', '550 5.1.0 Address rejected: no such user', false, true],
    ['5.4.4', "Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)", false, true],
    ['5.2.2', 'user unknown', false, false],
    ['5.3.4', '', false, false],
    ['5.4.7', 'delivery time expired', false, false],
    ['4.4.7', '', false, false],
    ['5.0.0', '', false, false],
    ['5.0.0', '550 user unknown', false, true],
    ['5.0.0', '550 blocked by policy', false, false],
    ['5.5.0', 'Requested action not taken: mailbox unavailable', false, true],
    ['5.4.4', 'Host or domain name not found', false, true],
    ['5.4.4', 'Unable to route', false, false],
    ['5.1.1', 'user unknown', true, false],
  ];
  for (const [status, evidence, delayed, permanent] of cases) {
    it(`${status} ${JSON.stringify(evidence)}${delayed ? ' (delayed)' : ''} → ${permanent}`, () => {
      expect(isPermanent(status, evidence, delayed)).to.equal(permanent);
    });
  }
});

describe('bounce: notices without a delivery-status part', () => {
  it('reads an old Exchange notice whose reason precedes nothing but the address', async () => {
    const raw = [
      'From: System Administrator <postmaster@example.net>',
      'To: impro@impro.lv',
      'Subject: E',
      '',
      'Your message',
      '',
      'did not reach the following recipient(s):',
      '',
      'edite@example.net on Thu, 29 Apr 2024 10:00:00 +0300',
      '    The recipient name is not recognized',
    ].join('\n');
    const result = await classifyMessage(raw);
    expect(result).to.include({ kind: 'bounce', recipient: 'edite@example.net', status: '5.1.1', permanent: true });
  });

  it('takes the reason from anywhere in the notice when none follows the address', async () => {
    const raw = [
      'From: post_master@sms.example.com',
      'To: impro@impro.lv',
      'Subject: Re: e-Jaunumi',
      '',
      'Error: Invalid user address',
      'Error message below:',
      '550 - Requested action not taken: no such user here',
      '',
      'Message details:',
      '  RCPT TO: 0037129999999@sms.example.com',
    ].join('\n');
    const result = await classifyMessage(raw, { ownAddresses: ['impro@impro.lv'] });
    expect(result).to.include({ kind: 'bounce', recipient: '0037129999999@sms.example.com', status: '5.1.1', permanent: true });
  });
});

describe('bounce: an unknown user or host is dead whatever the numeric code says', () => {
  const cases: Array<[status: string, evidence: string, delayed: boolean, permanent: boolean]> = [
    ['4.1.1', '450 4.1.1 <a@b.lv>: Recipient address rejected: No such user', false, true],
    ['4.4.0', '4.4.0 Host not found (authoritative) for b.lv', false, true],
    ['4.4.1', 'DNS returned: host not found (NXDOMAIN); unknown host b.lv', false, true],
    ['4.0.0', 'домен не существует', false, true],
    ['5.0.0', 'Diagnostic-Code: X-Mailer; unknown host nekur.example', false, true],
    ['5.0.0', 'smtp;550 5.0.0 Host veikals-veco.lv not found. Check the address and try again.', false, true],
    ['5.0.0', '550 5.0.0 <a@b.lv>... Addressee unknown', false, true],
    ['5.0.0', 'User a (a@b.lv) not listed in public Name & Address Book', false, true],
    ['5.0.0', 'Benutzer unbekannt', false, true],
    ['5.0.0', "550 Adresse d'au moins un destinataire invalide. Utilisateur inconnu.", false, true],
    ['5.0.0', 'El dominio del destinatario no existe', false, true],
    // Not the address: a DNS hiccup, a delay, quota, greylisting, rate, policy.
    ['4.4.3', 'Host or domain name not found. Name service error for name=b.lv type=MX: Host not found, try again', false, false],
    ['4.1.1', '450 4.1.1 No such user', true, false],
    ['4.2.2', '452 4.2.2 mailbox full, no such user quota', false, false],
    ['4.7.1', '450 4.7.1 Recipient address rejected: Greylisted', false, false],
    ['4.7.0', '421 4.7.0 Too many messages from your IP, try again later', false, false],
    ['5.7.1', "550 5.7.1 Unauthenticated email is not accepted due to domain's DMARC policy", false, false],
    ['5.0.0', '550 5.0.0 Message refused by local policy', false, false],
  ];
  for (const [status, evidence, delayed, permanent] of cases) {
    it(`${status} ${JSON.stringify(evidence)}${delayed ? ' (delayed)' : ''} → ${permanent ? 'permanent' : 'not permanent'}`, () => {
      expect(isPermanent(status, evidence, delayed)).to.equal(permanent);
    });
  }

  it('reads wording wrapped over lines', () => {
    expect(inferStatus('550 No\n    such user - psmtp', false)).to.equal('5.1.1');
    expect(inferStatus('Sorry, I couldn\'t find any host named b.lvx.', false)).to.equal('5.1.2');
    expect(inferStatus('Unrouteable address', false)).to.equal('5.1.2');
  });
});
