// Double opt-in sign-up with proof of consent (GDPR art. 7(1)).
//
// request(): whatever the address's state, the caller learns nothing (invariant 6); behind that, a
// new, pending or unsubscribed address gets a confirmation mail, an active one a short "already
// subscribed" mail, a bounced, complained or manually suppressed one nothing. Mails go through the
// transactional queue; the per-address cooldown decides whether any mail goes at all.
// confirm(): the POST behind the confirmation page activates the subscriptions of one request.
import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { DEFAULT_LIST } from '../../data/list.model';
import type { Models } from '../../data/models';
import { isDuplicateKeyError, ValidationError } from '../../errors';
import { TransactionalJobs, type SignupAlreadySubscribedJob, type SignupConfirmJob } from '../../queues/transactional-jobs';
import type { ConsentLedger } from './consent-ledger';
import { emailKey, hashEmail, normalizeEmail } from '../email-address';
import { InvalidTokenError, UsedTokenError, type LinkTokenSigner } from '../link-token';
import type { OptOuts } from './opt-outs';
import { consentProof, type ConsentProof, type PolicyLocale, type PolicyVersions } from './policy-versions';
import type { RecentWithdrawals } from './recent-withdrawals';
import type { SignupCooldown } from './signup-cooldown';
import type { SubscriptionStates, TransitionEvent } from './subscription-state';
import type { Suppressions } from './suppressions';
import { subscriberQueries } from '../../data/subscriber.queries';
import { subscriptionQueries } from '../../data/subscription.queries';
import { consentEventQueries } from '../../data/consent-event.queries';
import { listQueries } from '../../data/list.queries';

export type SignupChannel = 'web-form' | 'api';

export interface SignupInput {
  email: string;
  name?: string;
  /** List slugs; default the e-jaunumi list. */
  lists?: string[];
  locale: PolicyLocale;
  channel: SignupChannel;
  ip?: string;
  /** X-Forwarded-For as the trusted proxy passed it on, bounded. */
  forwardedFor?: string;
  userAgent?: string;
  /** The policy version and consent sentence the form showed; default the version in force. */
  consent?: ConsentProof;
}

/** What happened behind the identical answer; for tests and logs, never for the response. */
export type SignupOutcome = 'confirmation-queued' | 'already-subscribed-queued' | 'suppressed' | 'restricted' | 'cooling-down';

/** An address typed on the page of an expired confirmation link, and where the ask came from. */
export interface ResendInput {
  email: string;
  locale: PolicyLocale;
  ip?: string;
  forwardedFor?: string;
  userAgent?: string;
}

export type ResendOutcome = 'confirmation-queued' | 'nothing-pending' | 'suppressed' | 'restricted' | 'cooling-down';

export interface ConfirmContext {
  ip?: string;
  forwardedFor?: string;
  userAgent?: string;
  /** The policy version and consent sentence the confirmation page showed. */
  shown?: ConsentProof;
}

/** The port to the transactional mail queue (a BullMQ Queue fits). */
export interface MailJobQueue {
  add(name: string, data: SignupConfirmJob | SignupAlreadySubscribedJob, opts: { jobId: string }): Promise<unknown>;
}

interface Deps {
  models: Models;
  ledger: ConsentLedger;
  states: SubscriptionStates;
  optOuts: OptOuts;
  withdrawals: RecentWithdrawals;
  suppressions: Suppressions;
  policies: PolicyVersions;
  cooldown: SignupCooldown;
  signer: LinkTokenSigner;
  mailJobs: MailJobQueue;
  emailHashKey: string;
  now: () => Date;
}

export class SignupService {
  constructor(private readonly deps: Deps) {}

  async request(input: SignupInput): Promise<SignupOutcome> {
    const { models, suppressions, cooldown, emailHashKey } = this.deps;
    const email = normalizeEmail(input.email);
    const { slugs: lists, names: listNames } = await this.publicLists(input.lists, input.locale);
    const emailHash = hashEmail(email, emailHashKey);

    // An erasure tombstone does not block a fresh sign-up: the person's own confirmation lifts it.
    const suppression = await suppressions.reasonFor(emailHash);
    if (suppression && suppression !== 'erasure') return 'suppressed';
    const known = await subscriberQueries.ofAddress(models, emailKey(email)).lean();
    if (known?.restricted) return 'restricted';
    // Claimed before anything changes: a request inside the cooldown must not void the link that
    // the mail already sent carries.
    if (!(await cooldown.claim(emailHash))) {
      // No second mail inside the cooldown, but a corrected choice of lists replaces the pending
      // one: the link already in the person's mailbox confirms what they asked for last.
      if (known) await this.replacePendingChoice(known._id, emailHash, lists, listNames, input);
      return 'cooling-down';
    }

    const subscriber = known ?? (await this.createSubscriber(email, emailHash, input));
    const subscriberId = String(subscriber._id);
    const active = new Set(
      (await subscriptionQueries.activeAmongLists(models, subscriber._id, lists).lean()).map((s) => s.list),
    );
    const toConfirm = lists.filter((list) => !active.has(list));
    if (toConfirm.length === 0) {
      await this.deps.mailJobs.add(TransactionalJobs.signupAlreadySubscribed, { subscriberId }, { jobId: `${TransactionalJobs.signupAlreadySubscribed}-${nonce()}` });
      return 'already-subscribed-queued';
    }

    const ref = nonce();
    // The JSON API shows no page: its proof is the sentence in force naming the lists asked for.
    const proof = input.consent ?? consentProof(await this.deps.policies.current(), input.locale, [...lists].sort().map((l) => listNames.get(l) ?? l));
    const requestedAt = this.deps.now();
    for (const list of toConfirm) {
      await this.markPending(subscriber._id, list, {
        subscriberId: subscriber._id,
        emailHash,
        list,
        type: 'requested',
        channel: input.channel,
        ip: input.ip,
        forwardedFor: input.forwardedFor,
        userAgent: input.userAgent,
        ...proof,
        requestRef: ref,
        at: requestedAt,
      });
    }
    // The mail goes out in the language of the page the person used now.
    if (known && known.locale !== input.locale) await subscriberQueries.setLocale(models, subscriber._id, input.locale);
    await this.deps.mailJobs.add(TransactionalJobs.signupConfirm, { subscriberId, ref }, { jobId: `${TransactionalJobs.signupConfirm}-${ref}` });
    return 'confirmation-queued';
  }

  /**
   * A fresh confirmation link for a sign-up still waiting for one: a new request for the same lists
   * under the consent sentence the person was shown then, so the new link counts its lifetime from
   * now and older links are void. Nothing for an address without a pending sign-up (nor is a
   * subscriber created), and the sign-up's cooldown limits the mails. The caller learns nothing.
   */
  async resendConfirmation(input: ResendInput): Promise<ResendOutcome> {
    const { models, suppressions, cooldown, emailHashKey } = this.deps;
    const email = normalizeEmail(input.email);
    const emailHash = hashEmail(email, emailHashKey);
    const suppression = await suppressions.reasonFor(emailHash);
    if (suppression && suppression !== 'erasure') return 'suppressed';
    const subscriber = await subscriberQueries.refOfAddress(models, emailKey(email)).lean();
    if (!subscriber) return 'nothing-pending';
    if (subscriber.restricted) return 'restricted';
    const newest = await subscriptionQueries.newestPendingRef(models, subscriber._id).lean();
    if (!newest?.pendingRef) return 'nothing-pending';
    // Claimed only for a pending sign-up: asking for strangers' addresses must not hold up their own sign-up.
    if (!(await cooldown.claim(emailHash))) return 'cooling-down';

    const pending = await subscriptionQueries.pendingOfRequest(models, subscriber._id, newest.pendingRef).lean();
    const asked = await consentEventQueries.proofOfRequest(models, subscriber._id, newest.pendingRef).lean();
    const ref = nonce();
    const at = this.deps.now();
    for (const { list } of pending) {
      await this.markPending(subscriber._id, list, {
        subscriberId: subscriber._id,
        emailHash,
        list,
        type: 'requested',
        channel: asked?.channel === 'api' ? 'api' : 'web-form',
        ip: input.ip,
        forwardedFor: input.forwardedFor,
        userAgent: input.userAgent,
        policyVersion: asked?.policyVersion ?? undefined,
        consentText: asked?.consentText ?? undefined,
        consentTextHash: asked?.consentTextHash ?? undefined,
        requestRef: ref,
        note: 'a fresh confirmation link was asked for',
        at,
      });
    }
    if (subscriber.locale !== input.locale) await subscriberQueries.setLocale(models, subscriber._id, input.locale);
    const subscriberId = String(subscriber._id);
    await this.deps.mailJobs.add(TransactionalJobs.signupConfirm, { subscriberId, ref }, { jobId: `${TransactionalJobs.signupConfirm}-${ref}` });
    return 'confirmation-queued';
  }

  /**
   * The newest pending request takes the lists of this one: lists newly chosen join it under its
   * reference (its link confirms them), lists no longer chosen leave it, withdrawn before anyone
   * confirmed them. Active subscriptions are never touched.
   */
  private async replacePendingChoice(subscriberId: Types.ObjectId, emailHash: string, lists: string[], listNames: Map<string, string>, input: SignupInput): Promise<void> {
    const { models, states } = this.deps;
    const newest = await subscriptionQueries.newestPendingRef(models, subscriberId).lean();
    const ref = newest?.pendingRef;
    if (!ref) return;
    const chosen = new Set(lists);
    const at = this.deps.now();
    const facts = { subscriberId, emailHash, channel: input.channel, ip: input.ip, forwardedFor: input.forwardedFor, userAgent: input.userAgent, requestRef: ref, at };
    const pending = await subscriptionQueries.pendingOfRequest(models, subscriberId, ref).lean();
    for (const s of pending) {
      if (chosen.has(s.list)) continue;
      await states.change(
        s._id,
        (current) =>
          current.status === 'pending' && current.pendingRef === ref
            ? { ...facts, list: s.list, type: 'withdrawn' as const, note: 'left the pending sign-up: a newer sign-up chose other lists' }
            : undefined,
        s,
      );
    }
    const active = new Set((await subscriptionQueries.activeAmongLists(models, subscriberId, lists).lean()).map((x) => x.list));
    const joining = lists.filter((list) => !active.has(list) && !pending.some((p) => p.list === list));
    if (joining.length === 0) return;
    const proof = input.consent ?? consentProof(await this.deps.policies.current(), input.locale, [...lists].sort().map((l) => listNames.get(l) ?? l));
    for (const list of joining) await this.markPending(subscriberId, list, { ...facts, list, type: 'requested', ...proof });
  }

  /**
   * Read-only check behind GET /confirm/:token (link scanners fetch it): throws what POST would, and
   * names the lists the click confirms (the link reached the person's own mailbox: it may say so).
   */
  async inspect(token: string): Promise<{ lists: string[] }> {
    const { subscriberId, ref } = this.verify(token);
    const pending = await this.pendingOf(subscriberId, ref);
    if (pending.length === 0) throw new UsedTokenError();
    return { lists: pending.map((s) => s.list).sort() };
  }

  async confirm(token: string, ctx: ConfirmContext): Promise<void> {
    const { models, states, suppressions, optOuts, withdrawals } = this.deps;
    const { subscriberId, ref } = this.verify(token);
    const pending = await this.pendingOf(subscriberId, ref);
    const subscriber = await subscriberQueries.hashOf(models, subscriberId).lean();
    if (pending.length === 0 || !subscriber) throw new UsedTokenError();
    const { emailHash } = subscriber;
    const liftsTombstone = (await suppressions.reasonFor(emailHash)) === 'erasure';

    // The confirmation names the same policy version and text as the request it confirms.
    const requested = await consentEventQueries.proofsOfRequest(models, subscriber._id, ref).lean();
    const proofOf = new Map(requested.map((e) => [e.list, e]));
    // Each subscription moves by its `confirmed` event (subscription-state.ts): two clicks at once, or
    // a sign-up racing this click, cannot both win; a click after a crash completes what was recorded.
    const confirmed: string[] = [];
    for (const s of pending) {
      const proof = proofOf.get(s.list);
      const result = await states.change(
        s._id,
        (current) =>
          current.status === 'pending' && current.pendingRef === ref
            ? {
                subscriberId: subscriber._id,
                emailHash,
                list: s.list,
                type: 'confirmed' as const,
                // Confirmed through the channel it was requested on (the JSON API stays `api`).
                channel: proof?.channel === 'api' ? ('api' as const) : ('web-form' as const),
                ip: ctx.ip,
                forwardedFor: ctx.forwardedFor,
                userAgent: ctx.userAgent,
                // What the confirmation page showed is what the person agreed to by pressing its button.
                policyVersion: ctx.shown?.policyVersion ?? proof?.policyVersion ?? s.policyVersion ?? undefined,
                consentText: ctx.shown?.consentText ?? proof?.consentText ?? undefined,
                consentTextHash: ctx.shown?.consentTextHash ?? proof?.consentTextHash ?? undefined,
                requestRef: ref,
                note: liftsTombstone ? 'double opt-in after erasure: tombstone lifted' : undefined,
              }
            : undefined,
        s,
      );
      // A second click at the same moment finds the link used, as before; a click after a crash
      // completes what the first one recorded.
      if (result === 'applied' || result === 'completed') confirmed.push(s.list);
    }
    if (confirmed.length === 0) throw new UsedTokenError();

    if (liftsTombstone) await suppressions.liftForFreshConsent(emailHash);
    for (const list of confirmed) {
      // Only the person's own confirmed opt-in lifts their earlier "no", and the ledger says so first.
      if (await optOuts.has(emailHash, list)) {
        await this.deps.ledger.recordOnce(`opt-out-lifted:${subscriber._id}:${list}:${ref}`, {
          subscriberId: subscriber._id,
          emailHash,
          list,
          type: 'opt-out-lifted',
          channel: 'web-form',
          requestRef: ref,
        });
        await optOuts.lift(emailHash, list);
      }
      // The confirmed state has committed: the withdrawal flag of their earlier "no" is spent, or this
      // week's campaigns would skip the person who just came back.
      await withdrawals.clear(emailHash, list);
    }
    if (liftsTombstone) await withdrawals.clearEveryList(emailHash);
  }

  private verify(token: string): { subscriberId: string; ref: string; expiresAt: Date } {
    const claims = this.deps.signer.verify(token, 'confirm');
    if (!claims.ref || claims.exp === undefined) throw new InvalidTokenError('confirmation link without a request reference or expiry');
    return { subscriberId: claims.subject, ref: claims.ref, expiresAt: new Date(claims.exp * 1000) };
  }

  private pendingOf(subscriberId: string, ref: string) {
    return subscriptionQueries.pendingOfRequest(this.deps.models, new Types.ObjectId(subscriberId), ref).lean();
  }

  /** Requested lists, deduplicated, with their names; each must exist and be public, or the request is a 400. */
  private async publicLists(requested: string[] | undefined, locale: PolicyLocale): Promise<{ slugs: string[]; names: Map<string, string> }> {
    const wanted = [...new Set(requested?.length ? requested : [DEFAULT_LIST])];
    const found = await listQueries.publicNamesOf(this.deps.models, wanted).lean();
    const names = new Map(found.map((l) => [l.slug, l.name?.[locale] ?? l.slug]));
    const unknown = wanted.filter((slug) => !names.has(slug));
    if (unknown.length) throw new ValidationError(`unknown list: ${unknown.join(', ')}`, { fields: [{ field: 'lists', message: 'unknown list' }] });
    return { slugs: wanted, names };
  }

  private async createSubscriber(email: string, emailHash: string, input: SignupInput) {
    const { subscribers } = this.deps.models;
    try {
      return (await subscribers.create({ email, emailKey: emailKey(email), emailHash, name: input.name?.trim() ?? '', locale: input.locale })).toObject();
    } catch (err) {
      // An import or admin created the same address a moment ago.
      if (!isDuplicateKeyError(err)) throw err;
      const existing = await subscriberQueries.ofAddress(this.deps.models, emailKey(email)).lean();
      if (!existing) throw err;
      return existing;
    }
  }

  /**
   * A new request voids older links (pendingRef). Never touches an active subscription, and never
   * lifts an opt-out: an unsubscribed one goes pending, but the opt-out record stays until the person
   * confirms. Decided by the subscription's version, so a confirmation at the same moment either
   * comes first (and this leaves it active) or finds its link voided.
   */
  private async markPending(subscriberId: Types.ObjectId, list: string, event: TransitionEvent): Promise<void> {
    const { models, states } = this.deps;
    for (;;) {
      const existing = await subscriptionQueries.ofSubscriberOnList(models, subscriberId, list).lean();
      if (!existing) {
        if (await states.create(subscriberId, list, event)) return;
        continue;
      }
      await states.change(existing._id, (current) => (current.status === 'active' ? undefined : event), existing);
      return;
    }
  }
}

/** 96 random bits, URL-safe: a sign-up request reference. */
function nonce(): string {
  return randomBytes(12).toString('base64url');
}
