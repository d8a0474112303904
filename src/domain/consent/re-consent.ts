// Re-consent after a material policy change (clause 7: IMPRO may change the policy; a consent stays
// tied to the text it was given under). Everyone whose active consent names an older version is
// mailed a signed link to a page that shows the new consent text; pressing its button records a
// `confirmed` event under the new version (channel re-consent). After the deadline whoever did not
// confirm lapses on that list: a `lapsed` event and state, never a deletion; a lapsed subscription
// is not active for anything, and only the person's own double opt-in brings it back.
//
// Sending follows the newsletter's rules: the audience is frozen by an _id bound when the campaign
// starts, paged with a checkpoint into jobs with idempotent ids; each mail is claimed by inserting
// (campaign, kind, person) into a unique index before SMTP, so a re-run never mails anyone twice and
// the one reminder goes at most once per person.
import { Types } from 'mongoose';
import type { ReConsentMailKind } from '../../data/re-consent-mail.model';
import type { ReConsentCampaignDoc, ReConsentState } from '../../data/re-consent-campaign.model';
import type { ConsentChannel, ConsentEventType } from '../../data/consent-event.model';
import type { Models } from '../../data/models';
import { ConflictError, InvalidStateError, isDuplicateKeyError, NotFoundError } from '../../errors';
import type { EmailTemplates } from '../../mail/email-templates';
import type { ListHeaderBuilder } from '../../mail/list-headers';
import { classifySmtpError, type Mailer } from '../../mail/mailer';
import { ReConsentJobs, reConsentFanoutJobId, reConsentSendJobId, type ReConsentFanoutJob, type ReConsentSendJob } from '../../queues/re-consent-jobs';
import { insertOnce } from '../claims';
import { ExpiredTokenError, InvalidTokenError, UsedTokenError, type LinkTokenSigner } from '../link-token';
import { consentProof, type PolicyLocale, type PolicyVersion, type PolicyVersions } from './policy-versions';
import type { RecentWithdrawals } from './recent-withdrawals';
import { quotedNames } from './specific-consent';
import type { SubscriptionStates } from './subscription-state';
import type { Suppressions } from './suppressions';
import { subscriberQueries } from '../../data/subscriber.queries';
import { subscriptionQueries } from '../../data/subscription.queries';
import { consentEventQueries } from '../../data/consent-event.queries';
import { listQueries } from '../../data/list.queries';
import { reConsentCampaignQueries } from '../../data/re-consent-campaign.queries';
import { reConsentMailQueries } from '../../data/re-consent-mail.queries';

export const DEFAULT_DEADLINE_DAYS = 30;
const DAY_MS = 86_400_000;
// People per send job: a killed worker leaves at most one batch to be re-run (and re-claimed).
export const RE_CONSENT_BATCH = 200;

/** The port to the re-consent queue (a BullMQ Queue fits). */
export interface ReConsentJobQueue {
  add(name: string, data: ReConsentFanoutJob | ReConsentSendJob, opts: { jobId: string }): Promise<unknown>;
}

interface Deps {
  models: Models;
  states: SubscriptionStates;
  policies: PolicyVersions;
  suppressions: Suppressions;
  withdrawals: RecentWithdrawals;
  signer: LinkTokenSigner;
  listHeaders: ListHeaderBuilder;
  emails: EmailTemplates;
  mailer: Mailer;
  jobs: ReConsentJobQueue;
  settings: { publicBaseUrl: string };
  now: () => Date;
}

export interface ReConsentProgress {
  /** People mailed the invitation. */
  asked: number;
  confirmed: number;
  /** Still holding an active consent under an older version (0 once the campaign is closed). */
  waiting: number;
  lapsed: number;
  reminded: number;
}

export interface ReConsentView {
  id: string;
  policyVersion: number;
  status: ReConsentState;
  deadline: Date;
  startedAt: Date;
  author: string;
  reminderAt?: Date;
  closedAt?: Date;
  progress: ReConsentProgress;
}

export interface ReConsentContext {
  ip?: string;
  userAgent?: string;
}

export interface ReConsentOffer {
  policy: PolicyVersion;
  locale: PolicyLocale;
  lists: string[];
  /** The consent sentence of the new version naming the person's lists, as the page shows it. */
  consentText: string;
  deadline: Date;
}

type OlderSubscription = { _id: Types.ObjectId; subscriberId: Types.ObjectId; list: string; status: string; version?: number | null; policyVersion?: number | null };

export class ReConsent {
  constructor(private readonly deps: Deps) {}

  /** Starts the campaign for the version in force, which must be material; one per version. */
  async start(policyVersion: number, deadlineDays: number, author: string): Promise<ReConsentView> {
    const { models, policies, now } = this.deps;
    const policy = await policies.get(policyVersion);
    if (!policy.material) throw new InvalidStateError(`version ${policyVersion} is not marked material`);
    if ((await policies.inForceAt())?.version !== policyVersion) throw new InvalidStateError(`version ${policyVersion} is not the version in force`);
    const startedAt = now();
    // The audience is frozen at the end of this second (see fanout.ts freezeAudience).
    const audienceMaxId = new Types.ObjectId(Math.floor(startedAt.getTime() / 1000).toString(16).padStart(8, '0') + 'f'.repeat(16));
    let doc;
    try {
      doc = await models.reConsentCampaigns.create({
        policyVersion,
        status: 'sending',
        deadline: new Date(startedAt.getTime() + deadlineDays * DAY_MS),
        author,
        startedAt,
        audienceMaxId,
      });
    } catch (err) {
      if (isDuplicateKeyError(err)) throw new ConflictError(`a re-consent campaign for version ${policyVersion} exists already`);
      throw err;
    }
    await this.enqueueFanout(String(doc._id), 'invitation');
    return this.view(doc.toObject());
  }

  /** The one reminder of a campaign, to those still waiting; a second call is refused. */
  async remind(campaignId: string): Promise<ReConsentView> {
    const campaign = await this.campaign(campaignId);
    if (campaign.status !== 'open') throw new InvalidStateError('a reminder goes only while the campaign waits for answers');
    if (campaign.reminderAt) throw new ConflictError('the reminder was sent already');
    // Not a lock (FerretDB updates are not isolated): two clicks at once may both pass, and the
    // per-person claims still mail each person one reminder at most.
    await reConsentCampaignQueries.markReminded(this.deps.models, campaign._id, this.deps.now());
    await this.enqueueFanout(campaignId, 'reminder');
    return this.get(campaignId);
  }

  async list(): Promise<ReConsentView[]> {
    const docs = await reConsentCampaignQueries.all(this.deps.models).lean();
    return Promise.all(docs.map((d) => this.view(d)));
  }

  async get(campaignId: string): Promise<ReConsentView> {
    return this.view(await this.campaign(campaignId));
  }

  /**
   * One fan-out of a campaign's audience (invitation or reminder): older-version subscriptions up to
   * the frozen bound, in _id order, each page of people one send job; the checkpoint lets a
   * restarted run continue. Returns the number of jobs queued by this run.
   */
  async fanOut(campaignId: string, kind: ReConsentMailKind): Promise<number> {
    const { models } = this.deps;
    const campaign = await reConsentCampaignQueries.byId(models, campaignId).lean();
    if (!campaign || campaign.status === 'closed') return 0;
    if (kind === 'invitation' ? campaign.fanoutDone : campaign.reminderDone || !campaign.reminderAt) return 0;
    const checkpointField = kind === 'invitation' ? 'checkpointId' : 'reminderCheckpointId';
    const checkpoint = campaign[checkpointField];
    const range: Record<string, Types.ObjectId> = { $lte: campaign.audienceMaxId };
    if (checkpoint) range.$gt = checkpoint;
    const cursor = subscriptionQueries
      .olderInRange(models, range, campaign.policyVersion)
      .lean()
      .cursor({ batchSize: 1000 });
    let jobs = 0;
    let page: Array<{ _id: Types.ObjectId; subscriberId: Types.ObjectId }> = [];
    const flush = async () => {
      if (page.length === 0) return;
      // A person on two lists appears twice; the claim, not this set, is what keeps it to one mail.
      const subscriberIds = [...new Set(page.map((s) => String(s.subscriberId)))];
      await this.deps.jobs.add(ReConsentJobs.send, { campaignId, kind, subscriberIds }, { jobId: reConsentSendJobId(campaignId, kind, String(page[0]!._id)) });
      await reConsentCampaignQueries.update(models, campaign._id, { $set: { [checkpointField]: page[page.length - 1]!._id } });
      jobs++;
      page = [];
    };
    try {
      for await (const s of cursor) {
        page.push(s);
        if (page.length >= RE_CONSENT_BATCH) await flush();
      }
      await flush();
    } finally {
      await cursor.close();
    }
    await reConsentCampaignQueries.update(models, campaign._id, kind === 'invitation' ? { $set: { fanoutDone: true, status: 'open' } } : { $set: { reminderDone: true } });
    return jobs;
  }

  /**
   * Mails one batch of people. Each person is read again (still asked? restricted? suppressed?) and
   * claimed before SMTP; a temporary SMTP failure gives the claim back and fails the job, so its
   * retry claims and sends that person again.
   */
  async sendBatch(job: ReConsentSendJob): Promise<{ sent: number; skipped: number }> {
    const { models } = this.deps;
    const campaign = await reConsentCampaignQueries.byId(models, job.campaignId).lean();
    const tally = { sent: 0, skipped: 0 };
    if (!campaign || campaign.status === 'closed') return { sent: 0, skipped: job.subscriberIds.length };
    const policy = await this.deps.policies.get(campaign.policyVersion);
    let retry: unknown;
    for (const subscriberId of job.subscriberIds) {
      const person = await this.mailable(subscriberId);
      const older = person ? await this.olderSubscriptions(person._id, campaign.policyVersion) : [];
      if (!person || older.length === 0) {
        tally.skipped++;
        continue;
      }
      const claim = { _id: new Types.ObjectId(), campaignId: campaign._id, subscriberId: person._id, kind: job.kind, at: this.deps.now() };
      if (!(await insertOnce(() => models.reConsentMails.create(claim)))) {
        tally.skipped++;
        continue;
      }
      try {
        await this.mail(campaign, policy, person, older, job.kind);
        tally.sent++;
      } catch (err) {
        if (classifySmtpError(err) !== 'temporary') continue;
        await reConsentMailQueries.release(models, claim._id);
        retry ??= err;
      }
    }
    if (retry) throw retry;
    return tally;
  }

  /** What the page behind the link shows (GET: changes nothing). */
  async offer(token: string, locale?: PolicyLocale): Promise<ReConsentOffer> {
    const { campaign, subscriberId } = await this.verify(token);
    const subscriber = await subscriberQueries.addresseeOf(this.deps.models, subscriberId).lean();
    const older = subscriber ? await this.olderSubscriptions(subscriber._id, campaign.policyVersion) : [];
    if (!subscriber || older.length === 0) throw new UsedTokenError();
    const policy = await this.deps.policies.get(campaign.policyVersion);
    const shownIn = locale ?? (subscriber.locale === 'en' ? 'en' : 'lv');
    const names = await this.listNames(older.map((s) => s.list), shownIn);
    return { policy, locale: shownIn, lists: names, consentText: consentProof(policy, shownIn, names).consentText, deadline: campaign.deadline };
  }

  /**
   * The POST behind the page: each subscription still under an older version moves to the new one
   * by a `confirmed` event. A replay finds nothing left to confirm (UsedTokenError) and changes nothing.
   */
  async confirm(token: string, locale: PolicyLocale, ctx: ReConsentContext): Promise<string[]> {
    const { campaign, subscriberId } = await this.verify(token);
    const subscriber = await subscriberQueries.addresseeOf(this.deps.models, subscriberId).lean();
    if (!subscriber) throw new UsedTokenError();
    const older = await this.olderSubscriptions(subscriber._id, campaign.policyVersion);
    const policy = await this.deps.policies.get(campaign.policyVersion);
    const proof = consentProof(policy, locale, await this.listNames(older.map((s) => s.list), locale));
    const confirmed: string[] = [];
    for (const s of older) {
      const result = await this.deps.states.change(
        s._id,
        // The subscription's version is what the page was about: a change in between (an
        // unsubscribe, a concurrent click) leaves nothing for this click to confirm.
        (current) =>
          current.status === 'active' && (current.version ?? 0) === (s.version ?? 0)
            ? {
                subscriberId: subscriber._id,
                emailHash: subscriber.emailHash,
                list: s.list,
                type: 'confirmed' as const,
                channel: 're-consent' as const,
                ip: ctx.ip,
                userAgent: ctx.userAgent,
                ...proof,
                campaignId: campaign._id,
                note: `consent renewed from version ${s.policyVersion ?? 'unknown'} to ${campaign.policyVersion}`,
              }
            : undefined,
        s,
      );
      if (result === 'applied' || result === 'completed') confirmed.push(s.list);
    }
    if (confirmed.length === 0) throw new UsedTokenError();
    return confirmed;
  }

  /** The deadline sweep: every open campaign past its deadline lapses its non-confirmers and closes. */
  async lapseDue(): Promise<number> {
    const due = await reConsentCampaignQueries.duePast(this.deps.models, this.deps.now()).lean();
    let lapsed = 0;
    for (const c of due) lapsed += await this.lapse(String(c._id));
    return lapsed;
  }

  /**
   * Lapses, on each list, the people asked by this campaign who still hold consent under an older
   * version. Safe to re-run after a crash: a lapsed subscription is no longer active, so nothing
   * happens twice; the campaign closes only after the whole pass.
   */
  async lapse(campaignId: string): Promise<number> {
    const { models, states, withdrawals } = this.deps;
    const campaign = await this.campaign(campaignId);
    if (campaign.status === 'closed') return 0;
    if (campaign.deadline > this.deps.now()) throw new InvalidStateError('the deadline has not passed');
    const asked = reConsentMailQueries.invitedBy(models, campaign._id).lean().cursor({ batchSize: 500 });
    let lapsed = 0;
    let page: Types.ObjectId[] = [];
    const flush = async () => {
      if (page.length === 0) return;
      const older = await subscriptionQueries.olderAmongSubscribers(models, page, campaign.policyVersion).lean();
      const hashes = new Map((await subscriberQueries.hashesAmong(models, older.map((s) => s.subscriberId)).lean()).map((s) => [String(s._id), s.emailHash]));
      for (const s of older) {
        const emailHash = hashes.get(String(s.subscriberId));
        if (!emailHash) continue;
        const result = await states.change(
          s._id,
          (current) =>
            current.status === 'active' && (current.version ?? 0) === (s.version ?? 0)
              ? {
                  subscriberId: s.subscriberId,
                  emailHash,
                  list: s.list,
                  type: 'lapsed' as const,
                  channel: 're-consent' as const,
                  policyVersion: s.policyVersion ?? undefined,
                  campaignId: campaign._id,
                  note: `consent not renewed under version ${campaign.policyVersion} by ${campaign.deadline.toISOString()}`,
                }
              : undefined,
          s,
          // Like a withdrawal: a campaign batch already holding this person re-reads before it sends.
          () => withdrawals.mark(emailHash, s.list),
        );
        if (result === 'applied' || result === 'completed') lapsed++;
      }
      page = [];
    };
    try {
      for await (const m of asked) {
        page.push(m.subscriberId);
        if (page.length >= 500) await flush();
      }
      await flush();
    } finally {
      await asked.close();
    }
    await reConsentCampaignQueries.update(models, campaign._id, { $set: { status: 'closed', closedAt: this.deps.now() } });
    return lapsed;
  }

  private async enqueueFanout(campaignId: string, kind: ReConsentMailKind): Promise<void> {
    await this.deps.jobs.add(ReConsentJobs.fanout, { campaignId, kind }, { jobId: reConsentFanoutJobId(campaignId, kind) });
  }

  private async campaign(campaignId: string) {
    if (!Types.ObjectId.isValid(campaignId)) throw new NotFoundError('re-consent campaign');
    const doc = await reConsentCampaignQueries.byId(this.deps.models, campaignId).lean();
    if (!doc) throw new NotFoundError('re-consent campaign');
    return doc;
  }

  /** The token's campaign, still open: after the deadline the link has expired (a 410 page). */
  private async verify(token: string) {
    const claims = this.deps.signer.verify(token, 're-consent');
    if (!claims.campaign) throw new InvalidTokenError('re-consent link without its campaign');
    const campaign = await reConsentCampaignQueries.byId(this.deps.models, claims.campaign).lean();
    if (!campaign) throw new InvalidTokenError('re-consent link of an unknown campaign');
    if (campaign.status === 'closed' || campaign.deadline <= this.deps.now()) throw new ExpiredTokenError();
    return { campaign, subscriberId: new Types.ObjectId(claims.subject) };
  }

  private olderSubscriptions(subscriberId: Types.ObjectId, version: number): Promise<OlderSubscription[]> {
    return subscriptionQueries.olderOf(this.deps.models, subscriberId, version).lean();
  }

  /** Never a restricted (art. 18) or suppressed address. */
  private async mailable(subscriberId: string) {
    if (!Types.ObjectId.isValid(subscriberId)) return undefined;
    const s = await subscriberQueries.addresseeOf(this.deps.models, subscriberId).lean();
    if (!s || s.restricted || (await this.deps.suppressions.reasonFor(s.emailHash))) return undefined;
    return s;
  }

  private async mail(
    campaign: ReConsentCampaignDoc,
    policy: PolicyVersion,
    person: { _id: Types.ObjectId; email: string; locale?: string | null },
    older: OlderSubscription[],
    kind: ReConsentMailKind,
  ): Promise<void> {
    const { settings, signer, listHeaders } = this.deps;
    const locale: PolicyLocale = person.locale === 'en' ? 'en' : 'lv';
    const subscriberId = String(person._id);
    const token = signer.sign({ purpose: 're-consent', subject: subscriberId, campaign: String(campaign._id), exp: Math.floor(campaign.deadline.getTime() / 1000) });
    const confirmUrl = `${settings.publicBaseUrl}/re-consent/${token}${locale === 'en' ? '?lang=en' : ''}`;
    // One-click on this mail ends the list it is about (every list when it is about several).
    const only = older.length === 1 ? older[0]! : undefined;
    const links = listHeaders.build({ subscriberId, list: only?.list, subscriptionId: only ? String(only._id) : undefined });
    const mail = await this.deps.emails.render('re-consent', locale, {
      subjectPrefix: kind === 'reminder' ? (locale === 'en' ? 'Reminder: ' : 'Atgādinājums: ') : '',
      lists: quotedNames(await this.listNames(older.map((s) => s.list), locale), locale),
      changeSummary: policy.changeSummary[locale] || (locale === 'en' ? 'Our privacy policy has changed.' : 'Mūsu privātuma politika ir mainījusies.'),
      version: policy.version,
      policyUrl: `${settings.publicBaseUrl}/privacy/v/${policy.version}${locale === 'en' ? '?lang=en' : ''}`,
      confirmUrl,
      deadline: formatDate(campaign.deadline, locale),
      unsubscribeUrl: links.unsubscribeUrl,
    });
    await this.deps.mailer.send({ to: person.email, subject: mail.subject, html: mail.html, text: mail.text, headers: links.headers, envelopeFrom: links.returnPath });
  }

  private async listNames(slugs: string[], locale: PolicyLocale): Promise<string[]> {
    const lists = await listQueries.namesOf(this.deps.models, slugs).lean();
    const names = new Map(lists.map((l) => [l.slug, l.name?.[locale] ?? l.slug]));
    return [...slugs].sort().map((s) => names.get(s) ?? s);
  }

  private async view(doc: ReConsentCampaignDoc): Promise<ReConsentView> {
    return {
      id: String(doc._id),
      policyVersion: doc.policyVersion,
      status: doc.status as ReConsentState,
      deadline: doc.deadline,
      startedAt: doc.startedAt,
      author: doc.author,
      reminderAt: doc.reminderAt ?? undefined,
      closedAt: doc.closedAt ?? undefined,
      progress: await this.progress(doc),
    };
  }

  /** Counts only; people, not subscriptions (a person on two lists counts once). */
  private async progress(doc: ReConsentCampaignDoc): Promise<ReConsentProgress> {
    const { models } = this.deps;
    const people = async (type: ConsentEventType, channel?: ConsentChannel): Promise<number> => {
      const rows: Array<{ n: number }> = await consentEventQueries.peopleOfCampaign(models, doc._id, type, channel);
      return rows[0]?.n ?? 0;
    };
    const waitingRows: Array<{ n: number }> =
      doc.status === 'closed'
        ? []
        : await subscriptionQueries.waitingPeople(models, doc.audienceMaxId, doc.policyVersion);
    const [asked, reminded, confirmed, lapsed] = await Promise.all([
      reConsentMailQueries.countOf(models, doc._id, 'invitation'),
      reConsentMailQueries.countOf(models, doc._id, 'reminder'),
      people('confirmed', 're-consent'),
      people('lapsed'),
    ]);
    return { asked, confirmed, waiting: waitingRows[0]?.n ?? 0, lapsed, reminded };
  }
}

/** A deadline as the mail and the page show it: the day in Riga, in the person's language. */
export function formatDate(at: Date, locale: PolicyLocale): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'lv-LV', { dateStyle: 'long', timeZone: 'Europe/Riga' }).format(at);
}
