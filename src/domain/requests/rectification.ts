// GDPR art. 16 for what the newsletter holds besides the address: name and language. A different
// address is not a correction but a new sign-up with its own double opt-in.
import type { Types } from 'mongoose';
import type { ConsentChannel } from '../../data/consent-event.model';
import type { Models } from '../../data/models';
import { NotFoundError } from '../../errors';
import type { ConsentLedger } from '../consent/consent-ledger';
import { personName } from '../person-name';
import { subscriberQueries } from '../../data/subscriber.queries';

export interface Rectifiable {
  name?: string;
  locale?: 'lv' | 'en';
}

export class Rectification {
  constructor(private readonly deps: { models: Models; ledger: ConsentLedger }) {}

  /** Returns the fields that changed; the ledger names them, not their values. */
  async apply(
    subscriberId: Types.ObjectId | string,
    changes: Rectifiable,
    by: { channel: Extract<ConsentChannel, 'admin' | 'mailbox' | 'web-form'>; actor?: string; requestRef?: string },
  ): Promise<string[]> {
    const { models, ledger } = this.deps;
    const subscriber = await subscriberQueries.recordOf(models, subscriberId).lean();
    if (!subscriber) throw new NotFoundError('subscriber');
    const set: Rectifiable = {};
    const name = changes.name === undefined ? undefined : personName(changes.name);
    if (name !== undefined && name !== subscriber.name) set.name = name;
    if (changes.locale !== undefined && changes.locale !== subscriber.locale) set.locale = changes.locale;
    const fields = Object.keys(set);
    if (fields.length === 0) return [];
    await subscriberQueries.rectify(models, subscriber._id, set);
    await ledger.record({
      subscriberId: subscriber._id,
      emailHash: subscriber.emailHash,
      type: 'rectified',
      channel: by.channel,
      actor: by.actor,
      requestRef: by.requestRef,
      note: changedNote(fields),
    });
    return fields;
  }
}

/** How a rectification's fields are recorded (the ledger and the request's history; the console reads it back). */
export function changedNote(fields: readonly string[]): string {
  return `changed: ${fields.join(', ')}`;
}
