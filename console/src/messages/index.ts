// The console's catalogues, one file per area so that each area's words live beside each other.
// Keys start with the area's prefix (`campaigns.`, `lists.`…), so no two files define one key.
import * as audit from './audit';
import * as campaigns from './campaigns';
import * as dashboard from './dashboard';
import * as imports from './import';
import * as lists from './lists';
import * as mailbox from './mailbox';
import * as people from './people';
import * as policy from './policy';
import * as report from './report';
import * as requests from './requests';
import * as retention from './retention';
import * as shell from './shell';
import * as signIn from './sign-in';
import * as staff from './staff';

export const lv = {
  ...shell.lv,
  ...signIn.lv,
  ...dashboard.lv,
  ...campaigns.lv,
  ...lists.lv,
  ...people.lv,
  ...requests.lv,
  ...mailbox.lv,
  ...policy.lv,
  ...imports.lv,
  ...audit.lv,
  ...retention.lv,
  ...staff.lv,
  ...report.lv,
};
export type MessageKey = keyof typeof lv;
export const en: Record<MessageKey, string> = {
  ...shell.en,
  ...signIn.en,
  ...dashboard.en,
  ...campaigns.en,
  ...lists.en,
  ...people.en,
  ...requests.en,
  ...mailbox.en,
  ...policy.en,
  ...imports.en,
  ...audit.en,
  ...retention.en,
  ...staff.en,
  ...report.en,
};
