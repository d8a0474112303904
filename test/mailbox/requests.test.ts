import { expect } from 'chai';
import { detectLanguage, fold, intentOf, stripQuoted } from '../../src/mailbox/requests';

describe('requests: quote stripping', () => {
  it('drops ">" lines and everything after an attribution line', () => {
    const text = 'Paldies!\n\nOn Tue, 14 May 2024 at 09:30, IMPRO <impro@impro.lv> wrote:\n> Atteikties no e-Jaunumiem';
    expect(stripQuoted(text)).to.equal('Paldies!');
  });

  it('knows the Latvian and Russian attributions, also wrapped onto two lines', () => {
    expect(stripQuoted('Jā.\n2024. gada 14. maijs 09:30, IMPRO <impro@impro.lv> rakstīja:\nunsubscribe')).to.equal('Jā.');
    expect(stripQuoted('Да.\nпн, 14 мая 2024 г. в 09:30, IMPRO <impro@impro.lv>:\nunsubscribe')).to.equal('Да.');
    expect(stripQuoted('Ok.\nOn Tue, 14 May 2024 at 09:30, IMPRO <\nimpro@impro.lv> wrote:\nunsubscribe')).to.equal('Ok.');
  });

  it('does not cut a request line that precedes an attribution', () => {
    const text = 'Lūdzu atrakstiet mani.\n2024. gada 14. maijs IMPRO <impro@impro.lv> rakstīja:\n> x';
    expect(stripQuoted(text)).to.equal('Lūdzu atrakstiet mani.');
  });

  it('cuts Outlook header blocks, forwarded-message markers and phone signatures', () => {
    expect(stripQuoted('Sure.\n\nFrom: IMPRO <impro@impro.lv>\nSent: Tuesday\nTo: me\n\nUnsubscribe')).to.equal('Sure.');
    expect(stripQuoted('Labi.\nNo: IMPRO <impro@impro.lv>\nNosūtīts: otrdiena\nunsubscribe')).to.equal('Labi.');
    expect(stripQuoted('Hi\n-----Original Message-----\nunsubscribe')).to.equal('Hi');
    expect(stripQuoted('Sveiki\n----- Pārsūtīta ziņa -----\natteikties')).to.equal('Sveiki');
    expect(stripQuoted('Yes\n\nSent from my iPhone')).to.equal('Yes');
  });

  it('removes a leaked newsletter footer but keeps a person typing the same words', () => {
    const leaked = 'Vai ir brīvas vietas ceļojumā uz Romu?\nAtteikties no e-Jaunumiem\nhttps://impro.lv/u/abc';
    expect(intentOf(stripQuoted(leaked))).to.equal(undefined);
    expect(intentOf(stripQuoted('Atteikties no e-Jaunumiem'))).to.equal('unsubscribe');
    expect(intentOf(stripQuoted('Vai ir brīvas vietas?\nLai atteiktos, spiediet šeit.'))).to.equal(undefined);
  });
});

describe('requests: intents', () => {
  const cases: Array<[text: string, intent: string | undefined]> = [
    ['ludzu vairs nesutiet', 'unsubscribe'],
    ['Lūdzu, izņemiet mani no saraksta', 'unsubscribe'],
    ['Izslēgt no saraksta, lūdzu.', 'unsubscribe'],
    ['Lūdzu noņemiet manu e-pastu no jūsu saraksta.', 'unsubscribe'],
    ['Прошу исключить мой адрес из рассылки.', 'unsubscribe'],
    ['Please stop emailing me.', 'unsubscribe'],
    // Another channel is not the newsletter.
    ["Please don't send me SMS, email is fine.", undefined],
    ['Lūdzu nesūtiet man SMS, labāk rakstiet e-pastā.', undefined],
    ['Не присылайте СМС, пишите на почту.', undefined],
    ['I want to see my data. What do you store about me?', 'access'],
    ['Mans uzvārds ir uzrakstīts nepareizi.', 'rectification'],
    ['Mana e-pasta adrese ir mainījusies.', 'rectification'],
    ['Измените, пожалуйста, мой адрес электронной почты.', 'rectification'],
    ['Can you send me the information about the Rome trip?', undefined],
    ['atteikties no jaunumiem', 'unsubscribe'],
    ['Nevēlos saņemt jūsu vēstules', 'unsubscribe'],
    ['Please remove me from your list', 'unsubscribe'],
    ['Stop sending me these emails', 'unsubscribe'],
    ['Больше не присылайте мне письма', 'unsubscribe'],
    ['отписаться', 'unsubscribe'],
    ['Dzēsiet manus datus', 'erasure'],
    ['lūdzu izdzēsiet visu informāciju par mani', 'erasure'],
    ['aizmirstiet mani', 'erasure'],
    ['Please delete my data', 'erasure'],
    ['удалите мои данные', 'erasure'],
    ['Kādus datus jūs glabājat par mani?', 'access'],
    ['Vēlos piekļuvi maniem datiem', 'access'],
    ['what personal data do you hold', 'access'],
    ['какие данные вы храните', 'access'],
    ['Labojiet, lūdzu, manu vārdu', 'rectification'],
    ['mans vārds ir nepareizs', 'rectification'],
    ['please correct my name', 'rectification'],
    ['исправьте мою фамилию', 'rectification'],
    ['lūdzu ierobežot datu apstrādi', 'restriction'],
    ['restrict processing of my data', 'restriction'],
    ['ограничить обработку', 'restriction'],
    ['atsaucu piekrišanu', 'withdrawal'],
    ['vēlos atsaukt savu piekrišanu', 'withdrawal'],
    ['iebilstu pret datu apstrādi', 'withdrawal'],
    ['I withdraw my consent', 'withdrawal'],
    ['I object to processing', 'withdrawal'],
    ['отзываю согласие', 'withdrawal'],
    ['возражаю против обработки', 'withdrawal'],
    ['GDPR request', 'access'],
    ['Vai ir brīvas vietas ceļojumā uz Romu?', undefined],
    ['Vai varu mainīt rezervācijas datumu?', undefined],
    ['Paldies par labo piedāvājumu!', undefined],
    ['Какая информация нужна для визы?', undefined],
    ['Jūs man nesūtījāt rēķinu', undefined],
  ];
  for (const [text, intent] of cases) {
    it(`${JSON.stringify(text)} → ${intent ?? 'nothing'}`, () => {
      expect(intentOf(text)).to.equal(intent);
    });
  }

  it('applies the priority erasure > restriction > rectification > access > withdrawal > unsubscribe', () => {
    expect(intentOf('Unsubscribe me and delete my data')).to.equal('erasure');
    expect(intentOf('Atrakstiet mani un atsaucu piekrišanu')).to.equal('withdrawal');
    expect(intentOf('What personal data do you hold? Also withdraw my consent.')).to.equal('access');
    expect(intentOf('Correct my name, then restrict processing')).to.equal('restriction');
    expect(intentOf('Отпишите меня и удалите мои данные')).to.equal('erasure');
  });
});

describe('requests: language', () => {
  it('tells Latvian (with or without diacritics), English and Russian apart', () => {
    expect(detectLanguage('ludzu vairs nesutiet man')).to.equal('lv');
    expect(detectLanguage('Lūdzu atrakstiet mani')).to.equal('lv');
    expect(detectLanguage('Please remove me from the list')).to.equal('en');
    expect(detectLanguage('Отпишите меня, пожалуйста')).to.equal('ru');
    expect(detectLanguage('')).to.equal('lv');
  });

  it('folds diacritics and case', () => {
    expect(fold('ĀČĒĢĪĶĻŅŠŪŽ ёй')).to.equal('acegiklnsuz еи');
  });
});
