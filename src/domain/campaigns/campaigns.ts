// Campaigns as marketers see them: drafts compiled and validated on every save, preview, test sends
// to colleagues, sending now or at a time, pause, resume, cancel, and stats. The sending itself is
// the fan-out and send workers' job (fanout.ts, send-batch.ts); this service only moves the state
// and hands work to the queues.
import { Types } from 'mongoose';
import type { Container } from '../../container';
import type { CampaignState } from '../../data/campaign.model';
import { campaignQueries } from '../../data/campaign.queries';
import { campaignStateQueries } from '../../data/campaign-state.queries';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { campaignMail, type CampaignMailSettings } from '../../mail/campaign-mail';
import { AppError, ErrorCodes } from '../../errors';
import { compileCampaign, nameWithoutFallback, personalise, type CampaignLanguage, type CampaignSource, type CompiledCampaign, type MjmlProblem } from '../../mail/campaign-renderer';
import { campaignStats, completeIfDone, recordFinalStats, type CampaignStats } from './campaign-progress';
import { enqueueFanout, releasePausedBatches, resolveSendAt, unscheduleFanout } from './campaign-scheduler';
import { moveCampaign } from './campaign-state';
import { emailKey, normalizeEmail } from '../email-address';
import { subscriberQueries } from '../../data/subscriber.queries';
import { subscriptionQueries } from '../../data/subscription.queries';
import { listQueries } from '../../data/list.queries';

export type CampaignServiceDeps = Pick<Container, 'models' | 'queues' | 'mailer' | 'listHeaders'> & {
  now: () => Date;
  settings: CampaignMailSettings;
};

export interface CampaignDraft extends CampaignSource {
  name: string;
  list: string;
  /** The English version, complete (subject and MJML) when present; null on an update removes it. */
  en?: CampaignSource | null;
}

export interface CampaignView {
  id: string;
  name: string;
  list: string;
  subject: string;
  preheader: string;
  status: CampaignState;
  author: string;
  scheduledAt?: Date;
  startedAt?: Date;
  finishedAt?: Date;
  createdAt?: Date;
  updatedAt?: Date;
  stats?: CampaignStats;
  mjml?: string;
  /** Present when the campaign has an English version; its MJML only on a single campaign. */
  en?: { subject: string; preheader: string; mjml?: string };
}

export interface TestSendResult {
  to: string;
  /** Which version this copy was. */
  lang: CampaignLanguage;
  status: 'sent' | 'failed';
  error?: string;
}

const EDITABLE: CampaignState[] = ['draft', 'scheduled'];
const CANCELLABLE: CampaignState[] = ['draft', 'scheduled', 'sending', 'paused'];
const PREVIEW_VARS = { name: 'Anna Paraugs', unsubscribeUrl: '#unsubscribe', preferencesUrl: '#preferences' };
// People whose names the editor's warning reads at most: beyond, it says "at least N of the first M".
const NAME_CHECK_LIMIT = 10_000;
const NAME_CHECK_PAGE = 1000;

export interface NamelessCount {
  list: string;
  /** Active subscriptions of the list. */
  recipients: number;
  /** How many of them were read (all, unless the list is longer than the limit). */
  checked: number;
  /** Of those read, the people without a name. */
  nameless: number;
  complete: boolean;
}

export class CampaignService {
  constructor(private readonly deps: CampaignServiceDeps) {}

  async create(draft: CampaignDraft, author: string): Promise<CampaignView> {
    await this.requireList(draft.list);
    const { en, ...latvian } = draft;
    const [compiled, english] = await compileVersions(latvian, en);
    const doc = await this.deps.models.campaigns.create({ ...latvian, html: compiled.html, text: compiled.text, ...(english ? { en: english } : {}), status: 'draft', author });
    return view(doc.toObject());
  }

  /** A new draft with the same list and content (both versions); the name given or the old one marked as a copy. */
  async duplicate(id: string, author: string, name?: string): Promise<CampaignView> {
    const c = await this.find(id);
    const copy = {
      name: name ?? `${c.name} (kopija)`.slice(0, 200),
      list: c.list,
      subject: c.subject,
      preheader: c.preheader ?? '',
      mjml: c.mjml,
      html: c.html,
      text: c.text,
      ...(c.en ? { en: { subject: c.en.subject, preheader: c.en.preheader ?? '', mjml: c.en.mjml, html: c.en.html, text: c.en.text } } : {}),
      status: 'draft' as const,
      author,
    };
    return view((await this.deps.models.campaigns.create(copy)).toObject());
  }

  /**
   * Only a draft can be deleted: anything scheduled or sent is history (its deliveries name it). The
   * deletion claims the campaign's next state like any status change, so a send started at the same
   * moment either wins (and the deletion is refused) or finds the campaign gone.
   */
  async remove(id: string): Promise<void> {
    const campaign = await this.find(id);
    const move = await moveCampaign(this.deps, campaign._id, ['draft'], { status: DELETED });
    if (!move.moved) throw new ConflictError(`a ${move.status} campaign cannot be deleted; only a draft can`);
    await campaignQueries.remove(this.deps.models, campaign._id);
    await campaignStateQueries.removeOfCampaign(this.deps.models, campaign._id);
  }

  /**
   * How many active subscribers of a list have no name, for the editor's warning on `{{name}}`
   * without a fallback. Read page by page like the fan-out (list, status, _id index) and the names
   * by _id, both pushed down on the embedded FerretDB; bounded by NAME_CHECK_LIMIT people.
   */
  async namelessOnList(list: string, bounds = { limit: NAME_CHECK_LIMIT, page: NAME_CHECK_PAGE }): Promise<NamelessCount> {
    await this.requireList(list);
    const { models } = this.deps;
    const recipients = await subscriptionQueries.activeCountOfList(models, list);
    let checked = 0;
    let nameless = 0;
    let after: Types.ObjectId | undefined;
    while (checked < bounds.limit) {
      const page = await subscriptionQueries
        .activeOfList(models, list, after ? { $gt: after } : undefined, Math.min(bounds.page, bounds.limit - checked))
        .lean();
      if (page.length === 0) break;
      const people = await subscriberQueries.namesAmong(models, page.map((s) => s.subscriberId)).lean();
      nameless += people.filter((p) => !(p.name ?? '').trim()).length;
      checked += page.length;
      after = page[page.length - 1]!._id;
      if (page.length < bounds.page) break;
    }
    return { list, recipients, checked, nameless, complete: checked >= recipients };
  }

  /** Drafts and scheduled campaigns only; MJML is recompiled (and so re-validated) on every save. */
  async update(id: string, patch: Partial<CampaignDraft>): Promise<CampaignView> {
    const current = await this.find(id);
    if (!EDITABLE.includes(current.status)) throw new ConflictError(`a ${current.status} campaign cannot be edited`);
    if (patch.list !== undefined) await this.requireList(patch.list);
    const { en: enPatch, ...latvianPatch } = patch;
    const next = { name: current.name, list: current.list, subject: current.subject, preheader: current.preheader ?? '', mjml: current.mjml, ...latvianPatch };
    // Absent: the English version stays as it is; null: it goes; a version: it replaces the old one.
    const en = enPatch === undefined ? sourceOf(current.en) : enPatch;
    const [compiled, english] = await compileVersions(next, en);
    await campaignQueries.saveEdit(
      this.deps.models,
      current._id,
      english
        ? { $set: { ...next, html: compiled.html, text: compiled.text, en: english } }
        : { $set: { ...next, html: compiled.html, text: compiled.text }, $unset: { en: 1 } },
    );
    return this.get(id);
  }

  async get(id: string): Promise<CampaignView> {
    const campaign = await this.find(id);
    // One campaign carries its MJML source (the console's editor loads it); lists leave it out.
    const base = view(campaign);
    return { ...base, mjml: campaign.mjml, ...(base.en ? { en: { ...base.en, mjml: campaign.en!.mjml } } : {}), stats: await campaignStats(this.deps.models, campaign) };
  }

  async list(opts: { status?: CampaignState; limit: number }): Promise<CampaignView[]> {
    const { models } = this.deps;
    const docs = await (opts.status ? campaignQueries.listedInStatus(models, opts.status, opts.limit) : campaignQueries.listed(models, opts.limit)).lean();
    return docs.map(view);
  }

  /** One version as its readers see it, the footer in that version's language. */
  async preview(id: string, lang: CampaignLanguage = 'lv'): Promise<string> {
    const campaign = await this.find(id);
    return personalise(versionOf(campaign, lang), { ...PREVIEW_VARS, locale: lang }).html;
  }

  /**
   * The console's live preview of source not yet saved: compiled and checked like a save, stored
   * nowhere, with the footer of the language it is written in. Says whether a name field lacks a
   * fallback (see namelessOnList for how many people that concerns).
   */
  async previewSource(source: CampaignSource, lang: CampaignLanguage = 'lv'): Promise<{ subject: string; html: string; nameWithoutFallback: boolean }> {
    const compiled = personalise(await compileCampaign(source), { ...PREVIEW_VARS, locale: lang });
    return { subject: compiled.subject, html: compiled.html, nameWithoutFallback: nameWithoutFallback(source) };
  }

  /** Who a send started now would reach: the list's active subscriptions (the fan-out's own filter). */
  async audience(id: string): Promise<{ list: string; recipients: number }> {
    const campaign = await this.find(id);
    const recipients = await subscriptionQueries.activeCountOfList(this.deps.models, campaign.list);
    return { list: campaign.list, recipients };
  }

  /**
   * Colleagues get the campaign marked as a test ([TEST] subject, X-Ejaunumi-Test) and outside the
   * stats. A colleague who is a subscriber gets their own working links; anyone else gets links for
   * an id that matches nobody, which open the "nothing to do" page rather than a broken one.
   */
  async sendTest(id: string, to: string[], langs?: CampaignLanguage[]): Promise<TestSendResult[]> {
    const campaign = await this.find(id);
    // Every version the campaign has unless the marketer chose: one copy of each per address.
    const versions = langs ?? (campaign.en ? (['lv', 'en'] as const) : (['lv'] as const));
    if (versions.includes('en') && !campaign.en) throw new ValidationError('lang: this campaign has no English version');
    const addresses = to.map((address) => normalizeEmail(address));
    const known = await subscriberQueries.amongAddresses(this.deps.models, addresses.map(emailKey)).lean();
    const byKey = new Map(known.map((s) => [s.emailKey, s]));
    const copies = addresses.flatMap((email) => versions.map((lang) => ({ email, lang })));
    return Promise.all(
      copies.map(async ({ email, lang }): Promise<TestSendResult> => {
        const subscriber = byKey.get(emailKey(email));
        const recipient = { subscriberId: String(subscriber?._id ?? new Types.ObjectId()), email, name: subscriber?.name ?? '', locale: lang };
        const mail = campaignMail(this.deps, { campaignId: id, list: campaign.list, compiled: versionOf(campaign, lang), recipient, test: true });
        try {
          await this.deps.mailer.send(mail);
          return { to: email, lang, status: 'sent' };
        } catch (err) {
          return { to: email, lang, status: 'failed', error: (err as Error).message };
        }
      }),
    );
  }

  /** Now, or at `at` (see resolveSendAt). A campaign that was sent or cancelled never sends again. */
  async send(id: string, when: { at?: string; timeZone?: string } = {}): Promise<CampaignView> {
    const campaign = await this.find(id);
    if (!EDITABLE.includes(campaign.status)) throw new ConflictError(`a ${campaign.status} campaign cannot be sent again`);
    const now = this.deps.now();
    const at = when.at === undefined ? undefined : resolveSendAt(when.at, when.timeZone);
    if (at && at.getTime() <= now.getTime()) throw new ValidationError('at: the time is in the past');
    await unscheduleFanout(this.deps.queues, id);
    if (at) {
      await this.transition(campaign._id, EDITABLE, { status: 'scheduled', scheduledAt: at }, 'sent again');
      await enqueueFanout(this.deps.queues, id, at.getTime() - now.getTime());
    } else {
      await this.transition(campaign._id, EDITABLE, { status: 'sending', startedAt: now }, 'sent again');
      await enqueueFanout(this.deps.queues, id);
    }
    return this.get(id);
  }

  async pause(id: string): Promise<CampaignView> {
    const campaign = await this.find(id);
    await this.transition(campaign._id, ['sending'], { status: 'paused' }, 'paused (only a sending one can be)');
    return this.get(id);
  }

  async resume(id: string): Promise<CampaignView> {
    const campaign = await this.find(id);
    await this.transition(campaign._id, ['paused'], { status: 'sending' }, 'resumed (only a paused one can be)');
    if (!campaign.fanoutDone) await enqueueFanout(this.deps.queues, id);
    await releasePausedBatches(this.deps.queues, id);
    // The last batch may have finished while the campaign was paused.
    await completeIfDone(this.deps, id);
    return this.get(id);
  }

  async cancel(id: string): Promise<CampaignView> {
    const campaign = await this.find(id);
    await this.transition(campaign._id, CANCELLABLE, { status: 'cancelled', finishedAt: this.deps.now() }, 'cancelled');
    await unscheduleFanout(this.deps.queues, id);
    // Waiting batches run now, see the cancellation and end without sending.
    await releasePausedBatches(this.deps.queues, id);
    // A chunk in flight at this moment counts as ambiguous for good (see recordFinalStats).
    await recordFinalStats(this.deps.models, campaign._id);
    return this.get(id);
  }

  private async find(id: string) {
    if (!Types.ObjectId.isValid(id) || !/^[0-9a-f]{24}$/i.test(id)) throw new NotFoundError('campaign');
    const campaign = await campaignQueries.byId(this.deps.models, id).lean();
    // A deleted draft whose removal was interrupted is gone all the same.
    if (!campaign || (campaign.status as string) === DELETED) throw new NotFoundError('campaign');
    return campaign;
  }

  private async requireList(slug: string): Promise<void> {
    if (!(await listQueries.exists(this.deps.models, slug))) throw new ValidationError(`list: no list named ${slug}`);
  }

  /**
   * One status change at a time per campaign (see campaign-state.ts): of a cancel and a resume at the
   * same moment, one wins and the other is decided on the state it left, never overwritten by it.
   */
  private async transition(id: Types.ObjectId, from: readonly CampaignState[], set: Record<string, unknown>, verb: string): Promise<void> {
    const move = await moveCampaign(this.deps, id, from, set);
    if (!move.moved) throw new ConflictError(`a ${move.status} campaign cannot be ${verb}`);
  }
}

// Written only by remove(), for the moment between claiming the change and deleting the document.
const DELETED = 'deleted';

type StoredVersion = { subject: string; preheader?: string | null; mjml: string; html?: string | null; text?: string | null };

function sourceOf(version: StoredVersion | null | undefined): CampaignSource | undefined {
  return version ? { subject: version.subject, preheader: version.preheader ?? '', mjml: version.mjml } : undefined;
}

/** A stored campaign's compiled parts in one language. */
function versionOf(campaign: { subject: string; html: string; text: string; en?: StoredVersion | null }, lang: CampaignLanguage): CompiledCampaign {
  if (lang === 'en') {
    if (!campaign.en) throw new ValidationError('lang: this campaign has no English version');
    return { subject: campaign.en.subject, html: campaign.en.html ?? '', text: campaign.en.text ?? '' };
  }
  return { subject: campaign.subject, html: campaign.html, text: campaign.text };
}

/**
 * Both versions compiled, each checked on its own; the English version's problems say so (each
 * carries `lang: "en"`), so the editor marks the right tab.
 */
async function compileVersions(latvian: CampaignSource, english: CampaignSource | null | undefined): Promise<[CompiledCampaign, (CampaignSource & CompiledCampaign) | undefined]> {
  const compiled = await compileCampaign(latvian);
  if (!english) return [compiled, undefined];
  try {
    const en = await compileCampaign(english);
    return [compiled, { ...english, ...en, subject: english.subject }];
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const errors = ((err.details as { errors?: MjmlProblem[] } | undefined)?.errors ?? []).map((e) => ({ ...e, lang: 'en' }));
    throw new AppError(err.code, `English version: ${err.message}`, err.code === ErrorCodes.INVALID_MJML ? { errors } : err.details);
  }
}

function view(doc: {
  _id: Types.ObjectId;
  name: string;
  list: string;
  subject: string;
  preheader?: string | null;
  status?: string | null;
  author: string;
  scheduledAt?: Date | null;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  createdAt?: Date;
  updatedAt?: Date;
  en?: StoredVersion | null;
}): CampaignView {
  return {
    id: String(doc._id),
    name: doc.name,
    list: doc.list,
    subject: doc.subject,
    preheader: doc.preheader ?? '',
    status: (doc.status ?? 'draft') as CampaignState,
    author: doc.author,
    scheduledAt: doc.scheduledAt ?? undefined,
    startedAt: doc.startedAt ?? undefined,
    finishedAt: doc.finishedAt ?? undefined,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    ...(doc.en ? { en: { subject: doc.en.subject, preheader: doc.en.preheader ?? '' } } : {}),
  };
}
