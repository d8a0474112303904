// Every question asked of `subscribers`: by _id, by the lower-cased address (its unique index) or by
// the address's keyed hash. Only the console's search by a fragment reads the whole collection.
import type { Types } from 'mongoose';
import { scans, uses } from './named-query';

type Id = Types.ObjectId | string;

/** What a mail to the person needs: the address, its hash, the language, whether processing is restricted. */
const ADDRESSEE = { email: 1, emailHash: 1, locale: 1, restricted: 1 } as const;

export const subscriberQueries = {
  /** Person page, a mail link naming its subscriber: the whole document. */
  byId: uses('_id_', (m, id: Id) => m.subscribers.findById(id)),
  /** Confirm, unsubscribe, ledger page, retention: the address's hash of a subscriber. */
  hashOf: uses('_id_', (m, id: Id) => m.subscribers.findById(id, { emailHash: 1 })),
  /** Sign-up and unsubscribe mails, re-consent, report proof, erasure from the console: whom to write to. */
  addresseeOf: uses('_id_', (m, id: Id) => m.subscribers.findById(id, ADDRESSEE)),
  /** Rectification, restriction: the fields a DPO's action changes, with the address's hash. */
  recordOf: uses('_id_', (m, id: Id) => m.subscribers.findById(id, { emailHash: 1, name: 1, locale: 1, restricted: 1, updatedAt: 1 })),
  /** Consent history page: is there such a subscriber (the ledger may outlive them). */
  exists: uses('_id_', (m, id: Id) => m.subscribers.exists({ _id: id })),
  /** Sign-up, a mail from the person: the subscriber with this address, whole. */
  ofAddress: uses('emailKey_1', (m, key: string) => m.subscribers.findOne({ emailKey: key })),
  /** Resend of a confirmation link, report proof: the subscriber with this address, as a reference. */
  refOfAddress: uses('emailKey_1', (m, key: string) => m.subscribers.findOne({ emailKey: key }, { _id: 1, ...ADDRESSEE })),
  /** Access export: the subscriber with this address's hash, whole. */
  documentOfHash: uses('emailHash_1', (m, emailHash: string) => m.subscribers.findOne({ emailHash })),
  /** Requests, erasure, suppressions, a mail's effects: the subscriber's id (and language) by the address's hash. */
  refOfHash: uses('emailHash_1', (m, emailHash: string) => m.subscribers.findOne({ emailHash }, { _id: 1, locale: 1 })),
  /** Import, a campaign's test send: which of these addresses are subscribers (one query per chunk). */
  amongAddresses: uses('emailKey_1', (m, keys: string[]) => m.subscribers.find({ emailKey: { $in: keys } }, { emailKey: 1, name: 1, restricted: 1 })),
  /** Re-consent, reconciliation: the hashes and restriction of these subscribers (a page at a time). */
  hashesAmong: uses('_id_', (m, ids: Id[]) => m.subscribers.find({ _id: { $in: ids } }, { emailHash: 1, restricted: 1 })),
  /** Send batch: what each recipient's mail needs (a thousand ids at a time). */
  /** One-click unsubscribes committed in a group: the address hash of each person. */
  hashesOf: uses('_id_', (m, ids: Id[]) => m.subscribers.find({ _id: { $in: ids } }, { emailHash: 1 })),
  /** Campaign start: the names of a page of a list's members (is anyone without one). */
  namesAmong: uses('_id_', (m, ids: Id[]) => m.subscribers.find({ _id: { $in: ids } }, { name: 1 })),
  recipientsAmong: uses('_id_', (m, ids: Id[]) => m.subscribers.find({ _id: { $in: ids } }, { email: 1, name: 1, locale: 1, restricted: 1, emailHash: 1 })),
  /** People search: a page's rows, by the ids the criteria admitted. */
  rowsAmong: uses('_id_', (m, ids: Id[]) => m.subscribers.find({ _id: { $in: ids } }, { email: 1, name: 1, locale: 1, restricted: 1 }).sort({ _id: 1 })),
  /** People search by an exact address (and a name fragment): ids only. */
  idsOfAddress: uses('emailKey_1', (m, key: string, namePattern?: string) =>
    m.subscribers.find({ emailKey: key, ...(namePattern ? { name: { $regex: namePattern, $options: 'i' } } : {}) }, { _id: 1 }),
  ),
  /** People search by a fragment of the address or of the name: ids only, one unsorted pass. */
  idsMatching: scans('a fragment of an address or a name is a regex no index serves; ids only, in one pass, on a console page for staff', (m, criteria: { addressPattern?: string; namePattern?: string }) =>
    m.subscribers.find(
      {
        ...(criteria.addressPattern ? { emailKey: { $regex: criteria.addressPattern } } : {}),
        ...(criteria.namePattern ? { name: { $regex: criteria.namePattern, $options: 'i' } } : {}),
      },
      { _id: 1 },
    ),
  ),
  /** Sign-up, unsubscribe page: the language the person last chose. */
  setLocale: uses('_id_', (m, id: Id, locale: string) => m.subscribers.updateOne({ _id: id }, { $set: { locale } })),
  /** Restriction, reconciliation: processing restricted or not. */
  setRestricted: uses('_id_', (m, id: Id, restricted: boolean) => m.subscribers.updateOne({ _id: id }, { $set: { restricted } })),
  /** Rectification: the corrected fields. */
  rectify: uses('_id_', (m, id: Id, set: { name?: string; locale?: string }) => m.subscribers.updateOne({ _id: id }, { $set: set })),
  /** Erasure, retention. */
  remove: uses('_id_', (m, id: Id) => m.subscribers.deleteOne({ _id: id })),
};
