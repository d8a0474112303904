// Messages built to make a classifier slow: the known worst cases of the old patterns (×1000 and
// more), deep nesting, many parts, many '<', long words, long address-like runs, huge headers,
// and seeded random text from the rules' own vocabulary. Shared by the fuzz test and the bench.

import { seededRandom } from '../helpers/seeded-random';

const CRLF = '\r\n';

export interface HostileInput {
  name: string;
  raw: string;
}

function fill(unit: string, size: number): string {
  return unit.repeat(Math.max(1, Math.ceil(size / Buffer.byteLength(unit))));
}

function mail(body: string, headers: string[] = [], contentType = 'text/plain; charset=utf-8'): string {
  return [
    'From: Someone <someone@example.lv>',
    'To: IMPRO <impro@impro.lv>',
    'Subject: Jautājums',
    'Message-ID: <hostile@example.lv>',
    'MIME-Version: 1.0',
    `Content-Type: ${contentType}`,
    ...headers,
    '',
    body,
  ].join(CRLF);
}

/** Ordinary text of the same size: the baseline the hostile inputs are measured against. */
export function plainMessage(size: number): string {
  const sentence = 'Labdien! Vai ceļojumā uz Romu vēl ir brīvas vietas? We would like two seats. Спасибо.\r\n';
  return mail(fill(sentence, size));
}

const VOCABULARY = [
  'dzēsiet', 'datus', 'manus', 'удалите', 'все', 'мои', 'данные', 'art.', '17', '18', 'pants', 'GDPR', 'VDAR', 'регламент',
  'unsubscribe', 'remove', 'me', 'atrakstiet', 'mani', 'nesūtiet', 'vairs', 'отпишите', 'withdraw', 'consent', 'piekrišanu',
  'atsaucu', 'restrict', 'processing', 'ierobežot', 'apstrādi', 'correct', 'my', 'name', 'исправьте', 'фамилию', '>', 'wrote:',
  'rakstīja:', 'писал(а):', 'From:', 'Sent:', '550', '5.1.1', 'user', 'unknown', 'a@b.lv', '<', '>', '&amp;', '=?utf-8?B?', '@',
  '.', ',', '?', '\r\n', '\r\n\r\n', '--', '—', 'ё', 'й',
];

function vocabularySoup(size: number, seed: number): string {
  const next = seededRandom(seed);
  const words: string[] = [];
  let length = 0;
  while (length < size) {
    const word = VOCABULARY[Math.floor(next() * VOCABULARY.length)];
    const joiner = next() < 0.8 ? ' ' : '';
    words.push(word + joiner);
    length += word.length + joiner.length;
  }
  return words.join('');
}

function randomBytesText(size: number, seed: number): string {
  const next = seededRandom(seed);
  let out = '';
  const chunk: number[] = [];
  for (let i = 0; i < size; i++) {
    chunk.push(Math.floor(next() * 256));
    if (chunk.length === 4096) {
      out += Buffer.from(chunk).toString('latin1');
      chunk.length = 0;
    }
  }
  return out + Buffer.from(chunk).toString('latin1');
}

function nestedMultipart(levels: number, size: number): string {
  let body = fill('Vai ir brīvas vietas? ', size / 2);
  for (let i = levels; i > 0; i--) {
    body = [`Content-Type: multipart/mixed; boundary="b${i}"`, '', `--b${i}`, body, `--b${i}--`].join(CRLF);
  }
  return mail(body.slice(body.indexOf(CRLF + CRLF) + 4), [], `multipart/mixed; boundary="b1"`);
}

function nestedMessages(levels: number, size: number): string {
  let message = mail(fill('Lūdzu atrakstiet mani. ', size / 2));
  for (let i = 0; i < levels; i++) message = `From: a@b.lv${CRLF}Content-Type: message/rfc822${CRLF}${CRLF}${message}`;
  return message;
}

function manyParts(size: number): string {
  const part = `--p${CRLF}Content-Type: text/plain${CRLF}${CRLF}x${CRLF}`;
  return mail(fill(part, size) + `--p--`, [], 'multipart/mixed; boundary="p"');
}

export function hostileInputs(size = 1024 * 1024): HostileInput[] {
  const words = (n: number) => Math.ceil(size / n);
  return [
    { name: 'ru "удалите" + "все " ×N', raw: mail('удалите ' + 'все '.repeat(words(7))) },
    { name: 'ru "удалите" + "все " ×1000', raw: mail(fill('удалите ' + 'все '.repeat(1000) + 'x. ', size)) },
    { name: '1 MB of letters', raw: mail(fill('a', size)) },
    { name: '1 MB of Cyrillic letters', raw: mail(fill('д', size)) },
    { name: 'one long word of a rule stem', raw: mail(fill('dzēs', size)) },
    { name: 'html: 1 MB of <', raw: mail(fill('<', size), [], 'text/html; charset=utf-8') },
    { name: 'html: unclosed <script', raw: mail(fill('<script>x', size), [], 'text/html; charset=utf-8') },
    { name: 'html: unclosed comments and entities', raw: mail(fill('<!-- &#1114112;&amp;&nbsp;&#x1F600; ', size), [], 'text/html') },
    { name: 'address-like: local run with dots', raw: mail(fill('a.b-c_d+e', size) + '@') },
    { name: 'address-like: a@ repeated', raw: mail(fill('a@', size)) },
    { name: 'address-like: x@y. repeated', raw: mail(fill('x@y.', size)) },
    { name: 'address-like: long domain run', raw: mail('a@' + fill('b.', size)) },
    { name: 'dots after an address', raw: mail('anna@example.lv' + fill('.', size)) },
    { name: 'huge Subject', raw: mail('hello', [`X-Dummy: 1`]).replace('Subject: Jautājums', 'Subject: ' + fill('Re: Fwd: atteikties ', size)) },
    { name: 'huge To of address-like text', raw: mail('hi').replace('To: IMPRO <impro@impro.lv>', 'To: ' + fill('unsubscribe+aaaa', size)) },
    { name: '50k header lines', raw: mail('hi', Array.from({ length: words(22) }, (_, i) => `X-H${i}: value ${i}`)) },
    { name: 'one header folded 100k times', raw: mail('hi', ['X-Folded: start', ...Array.from({ length: words(12) }, () => ' continued')]) },
    { name: 'Authentication-Results of 1 MB', raw: mail('hi', ['Authentication-Results: ' + fill('dkim=pass; ', size)]) },
    { name: 'multipart nested 1000 deep', raw: nestedMultipart(1000, size / 2) },
    { name: 'message/rfc822 nested 1000 deep', raw: nestedMessages(1000, size / 2) },
    { name: 'many small parts', raw: manyParts(size) },
    { name: 'guessable boundary lines', raw: mail(fill('--aaaaaaaa\r\nx\r\n', size), [], 'multipart/mixed') },
    { name: 'quote lines', raw: mail(fill('> Atteikties no e-Jaunumiem\r\n', size)) },
    { name: 'attribution-like lines', raw: mail(fill('On Mon IMPRO <a@b.lv> wrote\r\n', size)) },
    { name: 'footer button lines', raw: mail(fill('Atteikties no e-Jaunumiem\r\n', size)) },
    { name: 'quoted header lines', raw: mail(fill('From: x\r\n', size)) },
    { name: 'a line of spaces', raw: mail(fill(' ', size) + 'x') },
    { name: 'blank lines', raw: mail('Lūdzu atrakstiet\r\n' + fill('\r\n', size)) },
    { name: 'bounce: blank lines after the reply', raw: mail('<a@b.lv>: 550 5.1.1 user unknown\r\n' + fill('\r\n \r\n', size)).replace('Subject: Jautājums', 'Subject: Undelivered Mail Returned to Sender') },
    { name: 'bounce: subject and status codes', raw: mail(fill('550 5.1.1 user unknown ', size)).replace('Subject: Jautājums', 'Subject: Undeliverable') },
    { name: 'bounce: DSN fields', raw: mail(fill('Final-Recipient: rfc822; a', size), [], 'multipart/report; report-type=delivery-status') },
    { name: 'JSON braces with notificationType', raw: mail('"notificationType" ' + fill('{', size)) },
    { name: 'quoted-printable =', raw: mail(fill('=', size), ['Content-Transfer-Encoding: quoted-printable']) },
    { name: 'encoded-word runs', raw: mail('hi').replace('Subject: Jautājums', 'Subject: ' + fill('=?utf-8?B?', size)) },
    { name: 'article numbers', raw: mail(fill('art. 17 pants 18 GDPR 21 ', size)) },
    { name: 'vocabulary soup', raw: mail(vocabularySoup(size, 1)) },
    { name: 'vocabulary soup, html', raw: mail(vocabularySoup(size, 2), [], 'text/html') },
    { name: 'random bytes', raw: randomBytesText(size, 3) },
    { name: 'random bytes after headers', raw: mail(randomBytesText(size, 4)) },
  ];
}
