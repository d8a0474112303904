// Mailing lists and their subscriber counts.
export const lv = {
  'lists.title': 'Saraksti',
  'lists.slug': 'Identifikators',
  'lists.active': 'Aktīvi',
  'lists.pending': 'Gaida apstiprinājumu',
  'lists.unsubscribed': 'Atrakstījušies',
  'lists.signupLink': 'Pierakstīšanās saite',
  'lists.public': 'Redzams pierakstīšanās lapā',
  'lists.hidden': 'Paslēpts',
  'lists.empty': 'Nav sarakstu.',
};

export const en: Record<keyof typeof lv, string> = {
  'lists.title': 'Lists',
  'lists.slug': 'Identifier',
  'lists.active': 'Active',
  'lists.pending': 'Awaiting confirmation',
  'lists.unsubscribed': 'Unsubscribed',
  'lists.signupLink': 'Sign-up link',
  'lists.public': 'Shown on the sign-up page',
  'lists.hidden': 'Hidden',
  'lists.empty': 'No lists.',
};
