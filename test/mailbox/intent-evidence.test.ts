import { expect } from 'chai';
import { classifyMessage } from '../../src/mailbox/classify';
import { REVIEW_CONFIDENCE } from '../../src/mailbox/classification';
import { findIntent, intentOf, stripQuoted } from '../../src/mailbox/requests';

// Ordinary questions and requests about trips, in the three languages customers write in. None
// of them is about the newsletter or about personal data: each must stay `other`.
const TRIP_QUESTIONS: string[] = [
  // The wordings that were taken for requests before.
  'We would like to depart 18 June',
  'Can we depart 21 July instead?',
  'Tour start 17:00',
  'Please remove meeting point at Brīvības iela from our plan, we will join at the airport.',
  // English
  'Please delete my booking for the 2nd person, she cannot travel.',
  'I need to cancel my trip to Rome because of illness.',
  'Could you change the date of our reservation to 5 October?',
  'Is the departure from Riga bus station at 6:00?',
  'When is the final payment due for the Paris tour?',
  'Do I need a visa for the trip to Georgia?',
  'Please remove me from the Rome tour, I cannot come after all.',
  'Please correct the name on my ticket: it should be Anna, not Ana.',
  'Can you update the details of my booking? We are now three.',
  'What time does the hotel check-in start?',
  'Our flight lands at 18:21, can the transfer wait for us?',
  'Please send the invoice to my company address.',
  'I paid 300 EUR yesterday, did you receive it?',
  'Is there a discount for children under 12?',
  'Can we withdraw from the excursion on day 3 and get a refund?',
  'Where is the meeting point for the Tallinn day trip?',
  // Latvian
  'Vēlamies izbraukt 18. jūnijā.',
  'Vai varam izbraukt 21. jūlijā?',
  'Lūdzu, dzēsiet manu rezervāciju otrajai personai.',
  'Lūdzu izdzēsiet otro personu no rezervācijas, viņa nevar braukt.',
  'Kur ir tikšanās vieta pie autoostas?',
  'Cikos sākas ekskursija? Vai tūre sākas 17:00?',
  'Vai varu samaksāt ar karti?',
  'Vai ceļojumam uz Gruziju vajag vīzu?',
  'Lūdzu, labojiet vārdu biļetē: Anna, nevis Ana.',
  'Vēlos atcelt ceļojumu uz Romu slimības dēļ.',
  'Lūdzu nomainiet rezervācijas datumu uz 5. oktobri.',
  'Vai rēķinu var izrakstīt uz uzņēmumu?',
  'Lūdzu, izņemiet mani no grupas uz Parīzi, es nevarēšu braukt.',
  'Es atsaucu savu pieteikumu ekskursijai.',
  'Mēs vēlamies atteikties no ceļojuma, jo saslimām.',
  'Cik maksā ceļojums divām personām?',
  'Vai autobusā ir WiFi un kondicionieris?',
  'Izbraukšana 17:00 no Rīgas, vai pareizi?',
  // Russian
  'Мы хотим выехать 18 июня.',
  'Можно перенести выезд на 21 июля?',
  'Удалите, пожалуйста, вторую бронь, мы поедем вдвоём.',
  'Где место встречи группы?',
  'Нужна ли виза для поездки в Грузию?',
  'Можно оплатить картой?',
  'Исправьте, пожалуйста, дату поездки на 5 октября.',
  'Удалите меня из группы на экскурсию в Таллин.',
  'Хочу отменить поездку в Рим.',
  'Пришлите, пожалуйста, счёт на оплату.',
  'Сколько стоит тур на двоих?',
  'Не присылайте бумажные билеты, мы распечатаем сами.',
  'Статья 17 в вашем журнале очень интересная.',
  'Отправление в 17:00, ст. метро Центральная?',
  'Please delete the duplicate booking I made by mistake.',
  'Could you delete the second traveller from the booking please?',
  'The tour in article 18 of your catalogue looks great.',
  'Lūdzu, nesūtiet man papīra biļetes.',
  'Можно изменить имя в брони?',
];

describe('requests: ordinary trip questions stay other', () => {
  it(`has a corpus of at least 40 sentences (${TRIP_QUESTIONS.length})`, () => {
    expect(TRIP_QUESTIONS.length).to.be.at.least(40);
  });
  for (const sentence of TRIP_QUESTIONS) {
    it(JSON.stringify(sentence), () => {
      const found = findIntent(sentence);
      expect(found, found && `${found.intent} on "${found.evidence}"`).to.equal(undefined);
    });
  }
});

// Real requests: the kind, a confidence at or above the review threshold, and the phrase.
const REQUESTS: Array<[text: string, kind: string, evidence: string]> = [
  ['Saskaņā ar VDAR 17. pantu lūdzu dzēst manus datus.', 'erasure', 'dzēst manus datus'],
  ['Under art. 18 GDPR I ask you to restrict processing of my data.', 'restriction', 'restrict processing'],
  ['Under Article 17 of the GDPR, erase everything.', 'erasure', 'Article 17 of the GDPR'],
  ['Прошу на основании ст. 21 регламента прекратить обработку.', 'withdrawal', 'ст. 21'],
  ['Please remove me from your mailing list.', 'unsubscribe', 'remove me from your mailing list'],
  ['Lūdzu izņemiet mani no e-Jaunumu saraksta.', 'unsubscribe', 'izņemiet mani no e-Jaunumu'],
  ['Удалите меня из рассылки.', 'unsubscribe', 'Удалите меня'],
  ['Please delete my personal data.', 'erasure', 'delete my personal data'],
  ['Please delete all my data, including my booking history.', 'erasure', 'delete all my data'],
  ['Could you please delete my data?', 'erasure', 'delete my data'],
  ['Lūdzu dzēsiet visu informāciju par mani.', 'erasure', 'dzēsiet visu informāciju'],
  ['Прошу удалить все мои персональные данные.', 'erasure', 'удалить все мои персональные данные'],
  ['Mans uzvārds jūsu sarakstā ir nepareizs.', 'rectification', 'uzvārds jūsu sarakstā ir nepareizs'],
  ['Please update my email address to anna@example.lv.', 'rectification', 'update my email'],
  ['Исправьте, пожалуйста, мою фамилию в рассылке.', 'rectification', 'Исправьте, пожалуйста, мою фамилию'],
  ['What personal data do you hold about me?', 'access', 'What personal data do you hold'],
  ['Kādus datus par mani jūs glabājat?', 'access', 'Kādus datus par mani jūs glabājat'],
  ['Какие данные вы храните обо мне?', 'access', 'Какие данные'],
  ['I withdraw my consent to marketing.', 'withdrawal', 'withdraw my consent'],
  ['Atsaucu savu piekrišanu datu apstrādei.', 'withdrawal', 'Atsaucu savu piekrišanu'],
  ['Отзываю согласие на обработку данных.', 'withdrawal', 'Отзываю согласие'],
  ['Unsubscribe', 'unsubscribe', 'Unsubscribe'],
  ['Atrakstiet mani, lūdzu.', 'unsubscribe', 'Atrakstiet'],
  ['Отпишите меня.', 'unsubscribe', 'Отпишите'],
  ['Лучше не присылайте больше писем.', 'unsubscribe', 'не присылайте больше писем'],
  ['Please take me off your list.', 'unsubscribe', 'take me off'],
  ['Vairs nesūtiet man savus jaunumus!', 'unsubscribe', 'Vairs nesūtiet'],
];

describe('requests: real requests keep their kind, with confidence and evidence', () => {
  for (const [text, kind, evidence] of REQUESTS) {
    it(`${JSON.stringify(text)} → ${kind} on "${evidence}"`, () => {
      const found = findIntent(text);
      expect(found?.intent).to.equal(kind);
      expect(found?.confidence).to.be.at.least(REVIEW_CONFIDENCE);
      expect(found?.evidence).to.equal(evidence);
    });
  }
});

describe('requests: ambiguous wordings are recognised but below the review threshold', () => {
  const cases: Array<[text: string, kind: string]> = [
    ['Can I withdraw my consent?', 'withdrawal'],
    ['Vai es varu ierobežot savu datu apstrādi?', 'restriction'],
    ['GDPR request', 'access'],
    ['Lūdzu nesūtiet.', 'unsubscribe'],
    ["Please don't send me these.", 'unsubscribe'],
  ];
  for (const [text, kind] of cases) {
    it(`${JSON.stringify(text)} → ${kind} below ${REVIEW_CONFIDENCE}`, () => {
      const found = findIntent(text);
      expect(found?.intent).to.equal(kind);
      expect(found?.confidence).to.be.below(REVIEW_CONFIDENCE);
    });
  }

  it('never quotes more than 200 characters as evidence', () => {
    const found = findIntent(`Lūdzu dzēsiet ${'ļoti '.repeat(10)}manus datus. ${'Unsubscribe '.repeat(100)}`);
    expect(found?.evidence.length).to.be.at.most(200);
    expect(intentOf('unsubscribe '.repeat(1000))).to.equal('unsubscribe');
  });
});

describe('requests: quoted replies do not drive intent', () => {
  it('knows the Russian "писал(а):" attribution', () => {
    expect(stripQuoted('Хорошо, спасибо.\nИван Петров писал(а):\n> Отписаться от e-Jaunumi')).to.equal('Хорошо, спасибо.');
  });

  const reply = (body: string, headers: string[] = []): string =>
    ['From: Vija <vija@example.lv>', 'To: impro@impro.lv', 'Subject: Re: e-Jaunumi: Rudens Itālijā', ...headers, 'Content-Type: text/plain; charset=utf-8', '', body].join('\r\n');

  it('a trip question above our quoted newsletter footer stays other, asks, and replies to us', async () => {
    const body = [
      'Labdien, vai braucienā uz Toskānu vēl ir brīvas vietas 12. oktobrī?',
      '',
      'Pirmdien, 2025. gada 2. jūnijā, IMPRO CEĻOJUMI rakstīja:',
      '> Rudens Itālijā',
      '> Jūs saņemat šo vēstuli, jo piekritāt saņemt IMPRO CEĻOJUMI e-Jaunumus.',
      '> Atteikties no e-Jaunumiem / Unsubscribe',
    ].join('\r\n');
    const result = await classifyMessage(reply(body));
    expect(result).to.include({ kind: 'other', asksQuestion: true, replyToOurMail: true });
  });

  it('the footer quoted Outlook-style, without ">", does not unsubscribe either', async () => {
    const body = [
      'Kad ir nākamais brauciens uz Parīzi',
      '',
      'From: IMPRO CEĻOJUMI <impro@impro.lv>',
      'Sent: Monday, June 2, 2025 10:00',
      'Subject: e-Jaunumi',
      '',
      'Atteikties no e-Jaunumiem: https://impro.lv/u/abc',
    ].join('\r\n');
    const result = await classifyMessage(reply(body));
    expect(result).to.include({ kind: 'other', asksQuestion: true, replyToOurMail: true });
  });

  it('a reply whose In-Reply-To names a Message-ID on our domain is a reply to our mail', async () => {
    const raw = reply('Paldies, viss skaidrs.', ['In-Reply-To: <abc.123@impro.lv>']);
    expect(await classifyMessage(raw, { ownAddresses: ['impro@impro.lv'] })).to.include({ kind: 'other', replyToOurMail: true, asksQuestion: false });
    expect((await classifyMessage(raw, { ownAddresses: ['impro@impro.lv'], ourDomains: [] })).replyToOurMail).to.equal(true);
    expect((await classifyMessage(raw)).replyToOurMail).to.equal(undefined);
    const elsewhere = reply('Paldies.', ['References: <x@mail.example.com> <y@impro.lv.evil.example>']);
    expect((await classifyMessage(elsewhere, { ownAddresses: ['impro@impro.lv'] })).replyToOurMail).to.equal(undefined);
  });

  it('a real request above the quote still counts, with its evidence', async () => {
    const body = ['Lūdzu atrakstiet mani.', '', '2024. gada 14. maijs IMPRO <impro@impro.lv> rakstīja:', '> Kur ir tikšanās vieta?'].join('\r\n');
    const result = await classifyMessage(reply(body));
    expect(result).to.include({ kind: 'unsubscribe', evidence: 'atrakstiet', asksQuestion: false });
    expect(result.confidence).to.be.at.least(REVIEW_CONFIDENCE);
  });

  it('asks a question by interrogative word without a question mark', async () => {
    expect((await classifyMessage(reply('Kad ir nākamais brauciens uz Romu'))).asksQuestion).to.equal(true);
    expect((await classifyMessage(reply('How much is the Rome trip'))).asksQuestion).to.equal(true);
    expect((await classifyMessage(reply('Сколько стоит тур'))).asksQuestion).to.equal(true);
    expect((await classifyMessage(reply('Paldies, viss kārtībā.'))).asksQuestion).to.equal(false);
    expect((await classifyMessage(reply('Paldies, apskatīju https://impro.lv/celojumi?id=12'))).asksQuestion).to.equal(false);
  });
});
