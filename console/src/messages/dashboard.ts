// The dashboard every role lands on.
export const lv = {
  'dashboard.title': 'Pārskats',
  'dashboard.lists': 'Aktīvie abonenti sarakstos',
  'dashboard.recent': 'Pēdējās kampaņas',
  'dashboard.none': 'Vēl nav kampaņu.',
};

export const en: Record<keyof typeof lv, string> = {
  'dashboard.title': 'Dashboard',
  'dashboard.lists': 'Active subscribers per list',
  'dashboard.recent': 'Latest campaigns',
  'dashboard.none': 'No campaigns yet.',
};
