// Every question asked of `staff`: an account by _id or by address (its unique index). The list of
// accounts and the administrators' check read them all: a few dozen accounts.
import type { Types } from 'mongoose';
import { scans, uses } from './named-query';

type Id = Types.ObjectId | string;

export const staffQueries = {
  /** Staff page, password link, sign-in steps: one account. */
  byId: uses('_id_', (m, id: Id) => m.staff.findById(id)),
  /** Sign-in, "me", the development account: the account of an address. */
  ofEmail: uses('email_1', (m, email: string) => m.staff.findOne({ email })),
  /** Staff page: every account, by address. */
  all: scans('the staff page lists every account; a few dozen of them', (m) => m.staff.find().sort({ email: 1 })),
  /** Keeping an administrator: the active administrators. */
  activeAdmins: scans('a few dozen accounts, read only when a change could remove the last administrator', (m) => m.staff.find({ role: 'admin', status: 'active' }, { _id: 1 })),
  /** The development account: whether anyone has an account yet. */
  any: scans('development start only; stops at the first account', (m) => m.staff.exists({})),
  /** A one-time link's password: the account becomes active, its failures forgotten. */
  activateWithPassword: uses('_id_', (m, id: Id, password: object, at: Date) =>
    m.staff.updateOne({ _id: id }, { $set: { password, passwordChangedAt: at, status: 'active', failedAttempts: 0 } }),
  ),
  /** The signed-in person's own new password. */
  changePassword: uses('_id_', (m, id: Id, password: object, at: Date) => m.staff.updateOne({ _id: id }, { $set: { password, passwordChangedAt: at } })),
  setRole: uses('_id_', (m, id: Id, role: string) => m.staff.updateOne({ _id: id }, { $set: { role } })),
  deactivate: uses('_id_', (m, id: Id) => m.staff.updateOne({ _id: id }, { $set: { status: 'deactivated' } })),
  /** A second factor enrolled at sign-in (the secret sealed). */
  enableTotp: uses('_id_', (m, id: Id, sealedSecret: string, at: Date) => m.staff.updateOne({ _id: id }, { $set: { totpSecret: sealedSecret, totpEnabledAt: at } })),
  /** A lost phone: the person enrols again at the next sign-in. */
  removeTotp: uses('_id_', (m, id: Id) => m.staff.updateOne({ _id: id }, { $unset: { totpSecret: 1, totpEnabledAt: 1 } })),
  markSignedIn: uses('_id_', (m, id: Id, at: Date) => m.staff.updateOne({ _id: id }, { $set: { lastLoginAt: at, failedAttempts: 0 } })),
  /** A failed sign-in counts against the address, known or not (the same write either way). */
  countFailure: uses('email_1', (m, email: string) => m.staff.updateOne({ email }, { $inc: { failedAttempts: 1 } })),
};
