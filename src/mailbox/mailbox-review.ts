// The DPO's side of the review queue: read one message safely (plain text, never the sender's HTML),
// and decide what it is. A decision runs the very effects the poller would have run (effects.ts),
// with the same proofs: a message the DPO calls a bounce or complaint still acts only on the
// recipient our VERP token, our Message-ID or a feedback loop names (report-proof.ts), never on an
// address written in the text. The first decision of a message claims it by a unique insert, so a
// double click or two DPOs at once apply nothing twice.
import { Types } from 'mongoose';
import { REQUEST_TYPES } from '../data/data-subject-request.model';
import type { Models } from '../data/models';
import { claimQueries } from '../data/claim.queries';
import { inboundMessageQueries } from '../data/inbound-message.queries';
import { claimOnce } from '../domain/claims';
import { ConflictError, InvalidStateError, NotFoundError } from '../errors';
import type { Logger } from '../logger';
import { detectBounce } from './bounce';
import { headerValue, type Classification, type MailKind, type MailView } from './classification';
import { mailViewOf } from './classify';
import { detectComplaint } from './complaint';
import type { EffectResult, MailboxEffects } from './effects';
import type { OwnAddresses } from './loop-guard';

/** What the DPO may call a message: one of the kinds the poller acts on, or nothing at all. */
export const REVIEW_KINDS = ['unsubscribe', ...REQUEST_TYPES, 'bounce', 'complaint', 'nothing'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

/** Only what the poller left for a person can be decided; what it acted on stays as it acted. */
const DECIDABLE_OUTCOMES = ['review', 'failed', 'kept'];
// The claim only has to outlive a double click; the stored decision answers every later attempt.
const CLAIM_LIFETIME_MS = 7 * 86_400_000;
const HEADER_CHARS = 998;

interface InboundDoc {
  _id: Types.ObjectId;
  outcome: string;
  raw?: string;
  from?: string;
  subject?: string;
  kind?: string;
  note?: string;
  error?: string;
  receivedAt: Date;
  effects?: string[];
  classification?: Classification;
  decision?: { kind: string; actor: string; at: Date };
}

export interface ReviewDecision {
  id: string;
  kind: ReviewKind;
  /** applied or ignored: decided and out of the queue; review: the effects refused (see note), still waiting. */
  outcome: EffectResult['outcome'];
  note: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  /** This message had been decided before; nothing ran again. */
  repeated: boolean;
}

export class MailboxReview {
  constructor(private readonly deps: { models: Models; effects: Pick<MailboxEffects, 'apply'>; own: Pick<OwnAddresses, 'list'>; now: () => Date; logger: Logger }) {}

  /** One message as text: the headers a person needs and the readable body (HTML turned into text on the server). */
  async read(id: string) {
    const doc = await this.load(id);
    const view = doc.raw ? await mailViewOf(Buffer.from(doc.raw, 'utf8')) : undefined;
    return {
      id: String(doc._id),
      receivedAt: doc.receivedAt,
      from: view?.from ?? doc.from ?? null,
      to: header(view, 'to'),
      date: header(view, 'date'),
      subject: view?.subject ?? doc.subject ?? null,
      text: view?.text ?? null,
      rawKept: doc.raw !== undefined,
      outcome: doc.outcome,
      note: doc.note ?? null,
      error: doc.error ?? null,
      guess: guessOf(doc.classification),
      decision: doc.decision ?? null,
    };
  }

  async decide(id: string, kind: ReviewKind, actor: string): Promise<ReviewDecision> {
    const { models, now } = this.deps;
    const doc = await this.load(id);
    if (doc.decision) return decided(doc, true);
    if (!DECIDABLE_OUTCOMES.includes(doc.outcome)) throw new InvalidStateError(`the poller already handled this message (${doc.outcome}); there is nothing to decide`);
    if (kind !== 'nothing' && doc.raw === undefined) throw new InvalidStateError('the message itself is no longer kept, only its record: it can only be dismissed');

    const claimKey = `mailbox-review:${id}`;
    if (!(await claimOnce(models, claimKey, new Date(now().getTime() + CLAIM_LIFETIME_MS)))) {
      const again = await this.load(id);
      if (again.decision) return decided(again, true);
      throw new ConflictError('this message is being decided right now');
    }
    let result: EffectResult;
    try {
      result =
        kind === 'nothing'
          ? { outcome: 'ignored', note: 'nothing to do (decided in review)' }
          : await this.deps.effects.apply({
              id,
              raw: Buffer.from(doc.raw!, 'utf8'),
              classification: await this.asKind(doc, kind),
              receivedAt: doc.receivedAt,
              effectsDone: doc.effects ?? [],
              actor,
            });
    } catch (err) {
      // Every effect is keyed on the message, so a retry after a failure repeats none that ran.
      await claimQueries.release(models, claimKey);
      throw err;
    }
    if (result.outcome === 'review') {
      // Refused (an unproven bounce, an address that is not subscribed): it stays in the queue, with why.
      await claimQueries.release(models, claimKey);
      const note = `${kind} not applied: ${result.note ?? 'refused'}`.slice(0, 1000);
      await inboundMessageQueries.setNote(models, doc._id, note);
      return { id, kind, outcome: 'review', note, decidedBy: null, decidedAt: null, repeated: false };
    }
    const decision = { kind, actor, at: now() };
    const note = `${kind === 'nothing' ? 'dismissed' : `${kind} applied`} in review by ${actor}${result.note ? `: ${result.note}` : ''}`.slice(0, 1000);
    await inboundMessageQueries.recordDecision(models, doc._id, {
      outcome: result.outcome,
      note,
      decision,
      ...(kind === 'nothing' ? {} : { kind }),
      ...(result.matchedBy ? { matchedBy: result.matchedBy } : {}),
    });
    this.deps.logger.info({ inbound: id, kind, outcome: result.outcome }, 'review decision applied');
    return { id, kind, outcome: result.outcome, note, decidedBy: actor, decidedAt: decision.at, repeated: false };
  }

  /**
   * The stored classification, read as the kind the DPO chose. A bounce or complaint the classifier
   * did not see as one is parsed again for its report fields (recipient, status); the proof of
   * concern is still required by the effects whatever the DPO chose.
   */
  private async asKind(doc: InboundDoc, kind: Exclude<ReviewKind, 'nothing'>): Promise<Classification> {
    const stored = doc.classification;
    const base: Classification = { confidence: 1, ...stored, kind: kind as MailKind, from: stored?.from ?? doc.from, subject: stored?.subject ?? doc.subject, timedOut: undefined, error: undefined };
    if (stored?.kind === kind || (kind !== 'bounce' && kind !== 'complaint')) return base;
    const view = await mailViewOf(Buffer.from(doc.raw!, 'utf8'));
    if (!view) return base;
    const opts = { ownAddresses: this.deps.own.list() };
    const report = kind === 'bounce' ? detectBounce(view, opts) : detectComplaint(view, opts);
    // Without a report's fields the effects can still prove the target by our VERP token or Message-ID.
    const { recipient: _r, status: _s, permanent: _p, feedbackType: _f, ...rest } = base;
    return report ? { ...rest, ...report, kind } : rest;
  }

  private async load(id: string): Promise<InboundDoc> {
    if (!Types.ObjectId.isValid(id)) throw new NotFoundError('inbound message');
    const doc = await inboundMessageQueries.byId(this.deps.models, id).lean<InboundDoc>();
    if (!doc) throw new NotFoundError('inbound message');
    return doc;
  }
}

/** The classifier's guess as the queue shows it: kind, confidence and the phrase that decided it. */
export function guessOf(c: Classification | undefined) {
  if (!c) return null;
  return {
    kind: c.kind,
    confidence: typeof c.confidence === 'number' ? c.confidence : null,
    evidence: c.evidence ?? null,
    reason: c.reason ?? null,
    recipient: c.recipient ?? null,
    status: c.status ?? null,
    permanent: c.permanent ?? null,
    timedOut: c.timedOut === true,
  };
}

function decided(doc: InboundDoc, repeated: boolean): ReviewDecision {
  return {
    id: String(doc._id),
    kind: doc.decision!.kind as ReviewKind,
    outcome: doc.outcome === 'ignored' ? 'ignored' : 'applied',
    note: doc.note ?? null,
    decidedBy: doc.decision!.actor,
    decidedAt: doc.decision!.at,
    repeated,
  };
}

function header(view: MailView | undefined, name: string): string | null {
  return view ? (headerValue(view.headers, name)?.slice(0, HEADER_CHARS) ?? null) : null;
}
