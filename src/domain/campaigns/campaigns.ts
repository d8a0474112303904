// Campaigns as marketers see them: drafts compiled and validated on every save, preview, test sends
// to colleagues, sending now or at a time, pause, resume, cancel, and stats. The sending itself is
// the fan-out and send workers' job (fanout.ts, send-batch.ts); this service only moves the state
// and hands work to the queues.
import { Types } from 'mongoose';
import type { Container } from '../../container';
import type { CampaignState } from '../../data/campaign.model';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { campaignMail, type CampaignMailSettings } from '../../mail/campaign-mail';
import { compileCampaign, personalise, type CampaignSource } from '../../mail/campaign-renderer';
import { campaignStats, completeIfDone, type CampaignStats } from './campaign-progress';
import { enqueueFanout, releasePausedBatches, resolveSendAt, unscheduleFanout } from './campaign-scheduler';
import { moveCampaign } from './campaign-state';
import { emailKey, normalizeEmail } from '../email-address';

export type CampaignServiceDeps = Pick<Container, 'models' | 'queues' | 'mailer' | 'listHeaders'> & {
  now: () => Date;
  settings: CampaignMailSettings;
};

export interface CampaignDraft extends CampaignSource {
  name: string;
  list: string;
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
}

export interface TestSendResult {
  to: string;
  status: 'sent' | 'failed';
  error?: string;
}

const EDITABLE: CampaignState[] = ['draft', 'scheduled'];
const CANCELLABLE: CampaignState[] = ['draft', 'scheduled', 'sending', 'paused'];
const PREVIEW_VARS = { name: 'Anna Paraugs', unsubscribeUrl: '#unsubscribe', preferencesUrl: '#preferences' };

export class CampaignService {
  constructor(private readonly deps: CampaignServiceDeps) {}

  async create(draft: CampaignDraft, author: string): Promise<CampaignView> {
    await this.requireList(draft.list);
    const compiled = await compileCampaign(draft);
    const doc = await this.deps.models.campaigns.create({ ...draft, html: compiled.html, text: compiled.text, status: 'draft', author });
    return view(doc.toObject());
  }

  /** Drafts and scheduled campaigns only; MJML is recompiled (and so re-validated) on every save. */
  async update(id: string, patch: Partial<CampaignDraft>): Promise<CampaignView> {
    const current = await this.find(id);
    if (!EDITABLE.includes(current.status)) throw new ConflictError(`a ${current.status} campaign cannot be edited`);
    if (patch.list !== undefined) await this.requireList(patch.list);
    const next = { name: current.name, list: current.list, subject: current.subject, preheader: current.preheader ?? '', mjml: current.mjml, ...patch };
    const compiled = await compileCampaign(next);
    await this.deps.models.campaigns.updateOne({ _id: current._id }, { $set: { ...next, html: compiled.html, text: compiled.text } });
    return this.get(id);
  }

  async get(id: string): Promise<CampaignView> {
    const campaign = await this.find(id);
    // One campaign carries its MJML source (the console's editor loads it); lists leave it out.
    return { ...view(campaign), mjml: campaign.mjml, stats: await campaignStats(this.deps.models, campaign) };
  }

  async list(opts: { status?: CampaignState; limit: number }): Promise<CampaignView[]> {
    const docs = await this.deps.models.campaigns
      .find(opts.status ? { status: opts.status } : {}, { mjml: 0, html: 0, text: 0 })
      .sort({ _id: -1 })
      .limit(opts.limit)
      .lean();
    return docs.map(view);
  }

  async preview(id: string): Promise<string> {
    const campaign = await this.find(id);
    return personalise({ subject: campaign.subject, html: campaign.html, text: campaign.text }, PREVIEW_VARS).html;
  }

  /** The console's live preview of source not yet saved: compiled and checked like a save, stored nowhere. */
  async previewSource(source: CampaignSource): Promise<{ subject: string; html: string }> {
    const compiled = personalise(await compileCampaign(source), PREVIEW_VARS);
    return { subject: compiled.subject, html: compiled.html };
  }

  /** Who a send started now would reach: the list's active subscriptions (the fan-out's own filter). */
  async audience(id: string): Promise<{ list: string; recipients: number }> {
    const campaign = await this.find(id);
    const recipients = await this.deps.models.subscriptions.countDocuments({ list: campaign.list, status: 'active' });
    return { list: campaign.list, recipients };
  }

  /**
   * Colleagues get the campaign marked as a test ([TEST] subject, X-Ejaunumi-Test) and outside the
   * stats. A colleague who is a subscriber gets their own working links; anyone else gets links for
   * an id that matches nobody, which open the "nothing to do" page rather than a broken one.
   */
  async sendTest(id: string, to: string[]): Promise<TestSendResult[]> {
    const campaign = await this.find(id);
    const addresses = to.map((address) => normalizeEmail(address));
    const known = await this.deps.models.subscribers
      .find({ emailKey: { $in: addresses.map(emailKey) } }, { emailKey: 1, name: 1 })
      .lean();
    const byKey = new Map(known.map((s) => [s.emailKey, s]));
    const compiled = { subject: campaign.subject, html: campaign.html, text: campaign.text };
    return Promise.all(
      addresses.map(async (email): Promise<TestSendResult> => {
        const subscriber = byKey.get(emailKey(email));
        const recipient = { subscriberId: String(subscriber?._id ?? new Types.ObjectId()), email, name: subscriber?.name ?? '' };
        const mail = campaignMail(this.deps, { campaignId: id, list: campaign.list, compiled, recipient, test: true });
        try {
          await this.deps.mailer.send(mail);
          return { to: email, status: 'sent' };
        } catch (err) {
          return { to: email, status: 'failed', error: (err as Error).message };
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
    return this.get(id);
  }

  private async find(id: string) {
    if (!Types.ObjectId.isValid(id) || !/^[0-9a-f]{24}$/i.test(id)) throw new NotFoundError('campaign');
    const campaign = await this.deps.models.campaigns.findById(id).lean();
    if (!campaign) throw new NotFoundError('campaign');
    return campaign;
  }

  private async requireList(slug: string): Promise<void> {
    if (!(await this.deps.models.lists.exists({ slug }))) throw new ValidationError(`list: no list named ${slug}`);
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
  };
}
