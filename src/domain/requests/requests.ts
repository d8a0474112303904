// Data-subject requests (GDPR art. 15–21, privacy policy clause 5): registered by the mailbox poller
// or the DPO, answered within one calendar month of receipt (art. 12(3)), extendable by two more
// with a reason the requester is told. Access, rectification and erasure wait until the requester
// proves control of the address (invariant 7); withdrawal and restriction only stop mail and
// release nothing, so they take effect at once.
import { Types } from 'mongoose';
import type { ConsentChannel } from '../../data/consent-event.model';
import type { RequestState, RequestType } from '../../data/data-subject-request.model';
import { REQUEST_CHANNELS } from '../../data/data-subject-request.model';
import type { Models } from '../../data/models';
import { InvalidStateError, NotFoundError, ValidationError, isDuplicateKeyError } from '../../errors';
import type { Logger } from '../../logger';
import type { AccessExport } from './access-export';
import { claimOnce } from '../claims';
import { hashEmail, normalizeEmail } from '../email-address';
import type { Erasure } from './erasure';
import { changedNote, type Rectifiable, type Rectification } from './rectification';
import type { MailLocale, RequesterMail } from './requester-mail';
import type { Restrictions } from './restriction';
import type { UnsubscribeService } from '../consent/unsubscribe';
import { claimVerification, type RequestVerification } from './verification';
import { suppressionQueries } from '../../data/suppression.queries';
import { subscriberQueries } from '../../data/subscriber.queries';
import { dataSubjectRequestQueries } from '../../data/data-subject-request.queries';

export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

export interface NewRequest {
  type: RequestType;
  email: string;
  channel: RequestChannel;
  note?: string;
  inboundMessageId?: string;
  receivedAt?: Date;
  /** Language of our mails when the address is not a subscriber's (the poller knows the mail's). */
  locale?: MailLocale;
  /** Who registered it; defaults to the channel. */
  actor?: string;
  /** Withdrawal and restriction too wait for the `/r/` verification (a request by mail: a From header proves nothing). */
  verifyFirst?: boolean;
  /**
   * An erasure asked for in a signed letter: the DPO checked who wrote it, so no verification link
   * is mailed and the erasure runs at once, with the DPO's reason in the history.
   */
  confirmedBy?: { reason: string };
}

/** `closed` is `done` under the name the console uses: finished and rejected requests. */
export type RequestFilter = 'open' | 'overdue' | 'done' | 'closed';

export type VerifyOutcome = 'exported' | 'erased' | 'rectified' | 'verified' | 'already-verified';

const NEEDS_VERIFICATION: ReadonlySet<RequestType> = new Set(['access', 'rectification', 'erasure']);
const OPEN_STATES: RequestState[] = ['awaiting-verification', 'open'];
const CLOSED_STATES: RequestState[] = ['done', 'rejected'];
const MAX_EXTENSION_MONTHS = 2;
const DUE_SOON_MS = 7 * 86_400_000;
// Claims only need to outlive a double click or a retried POST; the status guards after that.
const CLAIM_LIFETIME_MS = 30 * 86_400_000;
const NUMBER_ATTEMPTS = 50;

/** GDPR applies from this day: no request to this service can have arrived earlier. */
export const SERVICE_START = new Date('2018-05-25T00:00:00.000Z');
// The DPO's or a mail server's clock may run a little ahead of ours.
const RECEIVED_AT_SKEW_MS = 5 * 60_000;

/**
 * The day a request's month starts (art. 12(3)): when it was received, which is a real date, not in
 * the future and not before the service existed. A deadline in 1970 or 9999 is no deadline.
 */
export function deadlineStart(receivedAt: Date | undefined, now: Date): Date {
  if (receivedAt === undefined) return now;
  const at = receivedAt instanceof Date ? receivedAt.getTime() : Number.NaN;
  const problem = Number.isNaN(at)
    ? 'is not a date'
    : at > now.getTime() + RECEIVED_AT_SKEW_MS
      ? 'is in the future'
      : at < SERVICE_START.getTime()
        ? `is before ${SERVICE_START.toISOString().slice(0, 10)}`
        : undefined;
  if (problem) throw new ValidationError(`receivedAt ${problem}`, { fields: [{ field: 'receivedAt', message: problem }] });
  return new Date(Math.min(at, now.getTime()));
}

type RequestDoc = Awaited<ReturnType<DataSubjectRequestService['load']>>;

/** Calendar months in UTC; the 31st plus one month is the last day of the shorter month. */
export function addCalendarMonths(date: Date, months: number): Date {
  const result = new Date(date);
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

export class DataSubjectRequestService {
  constructor(
    private readonly deps: {
      models: Models;
      now: () => Date;
      emailHashKey: string;
      logger: Logger;
      verification: RequestVerification;
      requesterMail: RequesterMail;
      accessExport: AccessExport;
      erasure: Erasure;
      restrictions: Restrictions;
      rectification: Rectification;
      unsubscribes: Pick<UnsubscribeService, 'unsubscribe'>;
    },
  ) {}

  async create(input: NewRequest) {
    const { models, now } = this.deps;
    const email = normalizeEmail(input.email);
    const emailHash = hashEmail(email, this.deps.emailHashKey);
    const receivedAt = deadlineStart(input.receivedAt, now());
    const actor = input.actor ?? input.channel;
    if (input.confirmedBy) assertConfirmable(input);
    const subscriber = await subscriberQueries.refOfHash(models, emailHash).lean();
    const needsVerification = NEEDS_VERIFICATION.has(input.type) || input.verifyFirst === true;
    const doc = await this.insertNumbered({
      type: input.type,
      channel: input.channel,
      email,
      emailHash,
      subscriberId: subscriber?._id,
      receivedAt,
      dueAt: addCalendarMonths(receivedAt, 1),
      status: needsVerification ? 'awaiting-verification' : 'open',
      note: input.note,
      inboundMessageId: input.inboundMessageId,
      locale: subscriber?.locale ?? input.locale ?? 'lv',
      actions: [{ at: now(), actor, action: 'received' }],
    });
    if (input.confirmedBy) {
      await this.confirmAndErase(doc, input.confirmedBy.reason, actor);
    } else if (needsVerification) {
      await this.sendVerification(doc);
    } else {
      await this.applyAtOnce(doc, actor);
    }
    return this.view(await this.load(String(doc._id)));
  }

  /** Another verification mail, e.g. after the first one failed or expired. */
  async resendVerification(id: string, actor: string) {
    const doc = await this.load(id);
    if (doc.status !== 'awaiting-verification') throw new InvalidStateError(`request ${doc.number} is not awaiting verification`);
    await this.sendVerification(doc, actor);
    return this.view(await this.load(id));
  }

  async get(id: string) {
    return this.view(await this.load(id));
  }

  /** Every request about one address, newest first (the person's page). */
  async forPerson(emailHash: string) {
    const docs = await dataSubjectRequestQueries.ofAddress(this.deps.models, emailHash).lean();
    return docs.map((d) => this.view(d));
  }

  /**
   * The DPO confirms a paper letter's erasure request that waits for verification: the letter's
   * signature stands in for the `/r/` link (nothing leaves the system, so invariant 7 holds).
   */
  async confirmErasure(id: string, reason: string, actor: string) {
    const doc = await this.load(id);
    assertConfirmable(doc);
    if (doc.status !== 'awaiting-verification') throw new InvalidStateError(`request ${doc.number} is not awaiting verification`);
    await this.confirmAndErase(doc, reason, actor);
    return this.view(await this.load(id));
  }

  /** Art. 16 without a request on file (a phone call, a letter answered at once): the ledger names the DPO. */
  rectifySubscriber(subscriberId: string, changes: Rectifiable, actor: string): Promise<string[]> {
    if (!Types.ObjectId.isValid(subscriberId)) throw new NotFoundError('subscriber');
    return this.deps.rectification.apply(subscriberId, changes, { channel: 'admin', actor });
  }

  /** Open requests by due date, so overdue and due-within-7-days come first; closed ones newest first. */
  async list(filter: RequestFilter, limit: number) {
    const now = this.deps.now();
    const closed = filter === 'done' || filter === 'closed';
    const query = closed
      ? dataSubjectRequestQueries.closedNewestFirst(this.deps.models, CLOSED_STATES, limit)
      : dataSubjectRequestQueries.openByDue(this.deps.models, OPEN_STATES, filter === 'overdue' ? now : undefined, limit);
    const docs = await query.lean();
    return docs.map((d) => this.view(d));
  }

  async metrics() {
    const { models } = this.deps;
    const now = this.deps.now();
    const count = dataSubjectRequestQueries.countIn;
    const [awaitingVerification, open, dueSoon, overdue, done, rejected, nearest] = await Promise.all([
      count(models, 'awaiting-verification'),
      count(models, 'open'),
      count(models, OPEN_STATES, { $gte: now, $lt: new Date(now.getTime() + DUE_SOON_MS) }),
      count(models, OPEN_STATES, { $lt: now }),
      count(models, 'done'),
      count(models, 'rejected'),
      // The open requests are few: their status is looked up on its index, the sort is in memory.
      dataSubjectRequestQueries.nearestDue(models, OPEN_STATES).lean(),
    ]);
    const nearestDue = nearest ? { id: String(nearest._id), number: nearest.number, dueAt: nearest.dueAt } : null;
    return { awaitingVerification, open, dueWithin7Days: dueSoon, overdue, done, rejected, nearestDue };
  }

  /** Art. 12(3): up to two further months, with the reason recorded and mailed to the requester. */
  async extend(id: string, input: { reason: string; months?: number }, actor: string) {
    const doc = await this.loadOpen(id);
    // The extension and its reason must reach the person within one month of receipt.
    const firstMonthEnds = addCalendarMonths(doc.receivedAt, 1);
    if (this.deps.now() > firstMonthEnds) {
      throw new InvalidStateError(
        `request ${doc.number} can only be extended within one month of receipt (GDPR art. 12(3)); that month ended on ${firstMonthEnds.toISOString().slice(0, 10)}`,
      );
    }
    const already = doc.extendedMonths ?? 0;
    // Without a number, the whole extension the law still allows.
    const total = already + (input.months ?? MAX_EXTENSION_MONTHS - already);
    if (total > MAX_EXTENSION_MONTHS || total === already) {
      throw new InvalidStateError(`request ${doc.number} can be extended by at most ${MAX_EXTENSION_MONTHS} months in total`);
    }
    // One extension from each state: two concurrent ones (even of 1 and 2 months) must not both
    // apply, or the person would get two mails with two different deadlines.
    if (!(await this.claim(`dsr-extend:${doc._id}:from-${already}`))) throw new InvalidStateError(`request ${doc.number} was just extended`);
    const dueAt = addCalendarMonths(doc.receivedAt, 1 + total);
    await this.update(doc, { $set: { dueAt, extendedMonths: total, extensionReason: input.reason } }, actor, 'extended', input.reason);
    if (doc.email) {
      await this.mailSafely(doc, 'extension-mail', () =>
        this.deps.requesterMail.send({
          to: doc.email!,
          subscriberId: doc.subscriberId ? String(doc.subscriberId) : undefined,
          locale: this.localeOf(doc),
          template: 'request-extended',
          vars: { number: doc.number, reason: input.reason, dueDate: formatDate(dueAt, this.localeOf(doc)), preheader: doc.number },
        }),
      );
    }
    return this.view(await this.load(id));
  }

  /** Art. 12(4): the person learns the reasons and their right to complain to the Datu valsts inspekcija. */
  async reject(id: string, input: { reason: string }, actor: string) {
    const doc = await this.loadOpen(id);
    await this.update(doc, { $set: { status: 'rejected', rejectionReason: input.reason, closedAt: this.deps.now() } }, actor, 'rejected', input.reason);
    await this.tellRequester(doc, 'request-rejected', { reason: input.reason });
    await this.forgetIfErased(doc);
    return this.view(await this.load(id));
  }

  /** The DPO closes a request by hand; the person is told, with the DPO's note and where to complain. */
  async complete(id: string, input: { note?: string }, actor: string) {
    const doc = await this.loadOpen(id);
    await this.close(doc, actor, 'completed', input.note);
    await this.tellRequester(doc, 'request-completed', { note: input.note ?? '' });
    await this.forgetIfErased(doc);
    return this.view(await this.load(id));
  }

  /**
   * Art. 18(3): the person is told before a restriction is lifted. The mail must go out first; if it
   * cannot, the restriction stays and the DPO sees the error.
   */
  async liftRestriction(subscriberId: string, by: { channel: 'admin' | 'mailbox'; actor: string }): Promise<boolean> {
    if (!Types.ObjectId.isValid(subscriberId)) throw new NotFoundError('subscriber');
    const subscriber = await subscriberQueries.addresseeOf(this.deps.models, subscriberId).lean();
    if (!subscriber) throw new NotFoundError('subscriber');
    if (subscriber.restricted) {
      await this.deps.requesterMail.send({
        to: subscriber.email,
        subscriberId: String(subscriber._id),
        locale: subscriber.locale === 'en' ? 'en' : 'lv',
        template: 'restriction-lifted',
        vars: { preheader: '' },
      });
    }
    return this.deps.restrictions.lift(subscriber._id, by);
  }

  /** The DPO corrects name or language on the person's behalf (e.g. answering a paper letter). */
  async rectify(id: string, changes: Rectifiable, actor: string) {
    const doc = await this.loadOpen(id);
    if (doc.type !== 'rectification') throw new InvalidStateError(`request ${doc.number} is not a rectification request`);
    await this.applyRectification(doc, changes, actor, 'admin');
    return this.view(await this.load(id));
  }

  /**
   * What the page behind a verification link may show before the person confirms: the request's
   * number, type and state, nothing about the person (invariant 7). Throws for a bad or expired link.
   */
  async forVerification(token: unknown) {
    const doc = await this.load(this.deps.verification.requestIdOf(token));
    return { number: doc.number, type: doc.type, status: doc.status };
  }

  /**
   * The requester proved control of the address: the request proceeds. Runs once per request even
   * on a double click; later calls report that it was already verified.
   */
  async verify(token: unknown, input: { locale?: MailLocale; rectification?: Rectifiable }): Promise<{ number: string; type: RequestType; outcome: VerifyOutcome }> {
    const requestId = this.deps.verification.requestIdOf(token);
    const doc = await this.load(requestId);
    if (doc.status === 'rejected') throw new InvalidStateError(`request ${doc.number} was rejected`);
    const already = { number: doc.number, type: doc.type, outcome: 'already-verified' as const };
    if (doc.status !== 'awaiting-verification') return already;
    if (!(await claimVerification(this.deps.models, doc._id, this.deps.now()))) return already;
    await this.update(doc, { $set: { status: 'open', verifiedAt: this.deps.now() } }, 'requester', 'verified');
    const verified = await this.load(requestId);
    const locale = input.locale ?? this.localeOf(verified);
    return { number: doc.number, type: doc.type, outcome: await this.fulfilOrRecord(verified, locale, input.rectification) };
  }

  // Claimed like a link's verification, so a double click or a concurrent /r/ POST erases once.
  private async confirmAndErase(doc: RequestDoc, reason: string, actor: string) {
    if (!(await claimVerification(this.deps.models, doc._id, this.deps.now()))) throw new InvalidStateError(`request ${doc.number} was already verified`);
    await this.update(doc, { $set: { status: 'open', verifiedAt: this.deps.now() } }, actor, 'verified-by-dpo', reason);
    await this.fulfilOrRecord(await this.load(String(doc._id)), this.localeOf(doc));
  }

  /** The DPO re-runs a verified request whose export or erasure failed (see its history). */
  async retryFulfilment(id: string, actor: string) {
    const doc = await this.loadOpen(id);
    if (!doc.verifiedAt) throw new InvalidStateError(`request ${doc.number} is not verified yet`);
    await this.appendAction(doc, actor, 'retried');
    await this.fulfilOrRecord(doc, this.localeOf(doc));
    return this.view(await this.load(id));
  }

  // The verification is spent once claimed, so a failure must stay visible to the DPO, who can retry.
  private async fulfilOrRecord(doc: RequestDoc, locale: MailLocale, rectification?: Rectifiable): Promise<VerifyOutcome> {
    try {
      return await this.fulfil(doc, locale, rectification);
    } catch (err) {
      this.deps.logger.error({ err, request: doc.number }, 'fulfilment failed');
      await this.appendAction(doc, 'system', 'fulfilment-failed', (err as Error).message);
      throw err;
    }
  }

  private async fulfil(doc: RequestDoc, locale: MailLocale, rectification?: Rectifiable): Promise<VerifyOutcome> {
    switch (doc.type) {
      case 'access':
        await this.deps.accessExport.send({ number: doc.number, email: doc.email!, emailHash: doc.emailHash, locale });
        await this.close(doc, 'system', 'exported');
        await this.forgetIfErased(doc);
        return 'exported';
      case 'erasure':
        await this.deps.erasure.erase({ emailHash: doc.emailHash, email: doc.email ?? undefined, requestRef: doc.number, channel: consentChannelOf(doc) });
        await this.close(doc, 'system', 'erased');
        return 'erased';
      case 'rectification':
        if (!rectification || (rectification.name === undefined && rectification.locale === undefined)) return 'verified';
        await this.applyRectification(doc, rectification, 'requester', 'web-form');
        return 'rectified';
      case 'withdrawal':
      case 'restriction':
        await this.applyAtOnce(doc, 'requester');
        return 'verified';
      default:
        return 'verified';
    }
  }

  private async applyRectification(doc: RequestDoc, changes: Rectifiable, actor: string, channel: 'admin' | 'web-form') {
    const subscriber = await subscriberQueries.refOfHash(this.deps.models, doc.emailHash).lean();
    const fields = subscriber
      ? await this.deps.rectification.apply(subscriber._id, changes, { channel, actor, requestRef: doc.number })
      : [];
    await this.update(doc, { $set: { rectification: changes } }, actor, 'rectified', fields.length ? changedNote(fields) : 'nothing to change');
    await this.close(doc, actor, 'completed');
  }

  private async applyAtOnce(doc: RequestDoc, actor: string) {
    const channel = consentChannelOf(doc);
    if (!doc.subscriberId) return this.close(doc, 'system', 'completed', 'no subscriber with this address');
    if (doc.type === 'withdrawal') {
      const { changed } = await this.deps.unsubscribes.unsubscribe({
        subscriberId: doc.subscriberId,
        lists: 'all',
        channel,
        actor,
        messageId: doc.inboundMessageId ?? undefined,
        receivedAt: doc.receivedAt,
      });
      return this.close(doc, 'system', 'withdrawn', changed.length ? `lists: ${changed.join(', ')}` : 'no active subscriptions');
    }
    await this.deps.restrictions.restrict(doc.subscriberId, { channel, actor, requestRef: doc.number });
    return this.close(doc, 'system', 'restricted');
  }

  private async sendVerification(doc: RequestDoc, actor = 'system') {
    await this.mailSafely(doc, 'verification-mail', () =>
      this.deps.verification.sendLink({
        id: String(doc._id),
        number: doc.number,
        email: doc.email!,
        subscriberId: doc.subscriberId ? String(doc.subscriberId) : undefined,
        locale: this.localeOf(doc),
      }),
    );
    await this.appendAction(doc, actor, 'verification-sent');
  }

  /**
   * A failed mail must not lose the request it belongs to (the poller would register it again):
   * the failure goes into the history, where the DPO sees it and can resend.
   */
  private async mailSafely(doc: RequestDoc, what: string, send: () => Promise<void>) {
    try {
      await send();
    } catch (err) {
      this.deps.logger.error({ err, request: doc.number }, `${what} failed`);
      await this.appendAction(doc, 'system', `${what}-failed`, (err as Error).message);
    }
  }

  /** A closing mail in the person's language (Latvian unless they chose English); a failure stays in the history. */
  private async tellRequester(doc: RequestDoc, template: string, vars: Record<string, unknown>) {
    if (!doc.email) return;
    await this.mailSafely(doc, `${template}-mail`, () =>
      this.deps.requesterMail.send({
        to: doc.email!,
        subscriberId: doc.subscriberId ? String(doc.subscriberId) : undefined,
        locale: this.localeOf(doc),
        template,
        vars: { number: doc.number, preheader: doc.number, ...vars },
      }),
    );
  }

  /**
   * Erasure leaves the person's own open access request its address, so the export can still reach
   * them; once such a request is closed, it keeps only the hash like the others.
   */
  private async forgetIfErased(doc: RequestDoc) {
    const { models } = this.deps;
    if (!(await suppressionQueries.hasTombstone(models, doc.emailHash))) return;
    await dataSubjectRequestQueries.update(models, doc._id, { $unset: { email: 1, subscriberId: 1, rectification: 1, note: 1, extensionReason: 1, rejectionReason: 1 } });
  }

  // The request number is claimed by the unique index: concurrent registrations never share one.
  private async insertNumbered(fields: Record<string, unknown>) {
    const { models } = this.deps;
    const year = this.deps.now().getUTCFullYear();
    const prefix = `DSR-${year}-`;
    let next = (await dataSubjectRequestQueries.numberedInYear(models, prefix)) + 1;
    for (let attempt = 0; attempt < NUMBER_ATTEMPTS; attempt++, next++) {
      try {
        return await models.requests.create({ ...fields, number: `${prefix}${String(next).padStart(4, '0')}` });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    }
    throw new Error(`no free request number after ${NUMBER_ATTEMPTS} attempts`);
  }

  private async load(id: string) {
    if (!Types.ObjectId.isValid(id)) throw new NotFoundError('request');
    const doc = await dataSubjectRequestQueries.byId(this.deps.models, id).lean();
    if (!doc) throw new NotFoundError('request');
    return doc;
  }

  private async loadOpen(id: string) {
    const doc = await this.load(id);
    if (CLOSED_STATES.includes(doc.status as RequestState)) throw new InvalidStateError(`request ${doc.number} is already ${doc.status}`);
    return doc;
  }

  private close(doc: RequestDoc, actor: string, action: string, note?: string) {
    return this.update(doc, { $set: { status: 'done', closedAt: this.deps.now() } }, actor, action, note);
  }

  private appendAction(doc: RequestDoc, actor: string, action: string, note?: string) {
    return this.update(doc, {}, actor, action, note);
  }

  private async update(doc: RequestDoc, change: { $set?: Record<string, unknown> }, actor: string, action: string, note?: string) {
    await dataSubjectRequestQueries.update(this.deps.models, doc._id, { ...change, $push: { actions: { at: this.deps.now(), actor, action, note } } });
  }

  private claim(key: string) {
    return claimOnce(this.deps.models, key, new Date(this.deps.now().getTime() + CLAIM_LIFETIME_MS));
  }

  private localeOf(doc: RequestDoc): MailLocale {
    return doc.locale === 'en' ? 'en' : 'lv';
  }

  private view(doc: RequestDoc) {
    const now = this.deps.now().getTime();
    const isOpen = OPEN_STATES.includes(doc.status as RequestState);
    return {
      id: String(doc._id),
      number: doc.number,
      type: doc.type,
      channel: doc.channel,
      status: doc.status,
      email: doc.email ?? null,
      subscriberId: doc.subscriberId ? String(doc.subscriberId) : null,
      receivedAt: doc.receivedAt,
      dueAt: doc.dueAt,
      overdue: isOpen && doc.dueAt.getTime() < now,
      // Due within 7 days or overdue: the DPO's first concern.
      urgent: isOpen && doc.dueAt.getTime() < now + DUE_SOON_MS,
      extendedMonths: doc.extendedMonths ?? 0,
      extensionReason: doc.extensionReason ?? null,
      verifiedAt: doc.verifiedAt ?? null,
      closedAt: doc.closedAt ?? null,
      rejectionReason: doc.rejectionReason ?? null,
      note: doc.note ?? null,
      inboundMessageId: doc.inboundMessageId ?? null,
      actions: doc.actions.map((a) => ({ at: a.at, actor: a.actor, action: a.action, note: a.note ?? null })),
    };
  }
}

/** Only an erasure asked for on paper may skip the link: an export must go to a proven address. */
function assertConfirmable(request: { type: string; channel: string }): void {
  if (request.type !== 'erasure' || request.channel !== 'letter') {
    throw new InvalidStateError('only an erasure request received as a letter can be confirmed by the DPO; other requests wait for the person\'s verification link');
  }
}

function consentChannelOf(doc: { channel: string }): Extract<ConsentChannel, 'admin' | 'mailbox'> {
  return doc.channel === 'mailbox' ? 'mailbox' : 'admin';
}

function formatDate(date: Date, locale: MailLocale): string {
  return new Intl.DateTimeFormat(locale === 'lv' ? 'lv-LV' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/Riga' }).format(date);
}
