// The console's catalogues, one file per area so that each area's words live beside each other.
// Keys start with the area's prefix (`campaigns.`, `lists.`…), so no two files define one key.
import * as campaigns from './campaigns';
import * as dashboard from './dashboard';
import * as lists from './lists';
import * as shell from './shell';
import * as report from './report';
import * as signIn from './sign-in';
import * as staff from './staff';

export const lv = { ...shell.lv, ...signIn.lv, ...dashboard.lv, ...campaigns.lv, ...lists.lv, ...staff.lv, ...report.lv };
export type MessageKey = keyof typeof lv;
export const en: Record<MessageKey, string> = { ...shell.en, ...signIn.en, ...dashboard.en, ...campaigns.en, ...lists.en, ...staff.en, ...report.en };
