// The daily anchor: once a day every consent chain is verified and the Merkle root over their heads
// (sorted by subscriber key) is stored with the date and the count, audited, and mailed to
// LEDGER_ANCHOR_TO, the data-protection officer's copy outside the database. Whoever later rewrites
// a chain can no longer make it agree with a root mailed before. The leaves are kept, so a person's
// inclusion proof for any anchored day can be computed (docs/ledger.md).
import type { Models } from '../../data/models';
import { ledgerAnchorQueries } from '../../data/ledger-anchor.queries';
import { ledgerAnchorLeavesQueries } from '../../data/ledger-anchor-leaves.queries';
import type { Logger } from '../../logger';
import type { Mailer } from '../../mail/mailer';
import type { AuditLog } from '../audit';
import { claimOnce, insertOnce } from '../claims';
import { CHAIN_FORMAT } from './ledger-canonical';
import { inclusionProof, merkleRoot, rootFromProof, sortHeads, type ChainHead, type ProofStep } from './ledger-merkle';
import type { ChainBreak, LedgerVerifier } from './ledger-verify';

const CHUNK = 1000;
// A run that died holding the day's claim leaves it to a rerun after this long.
const CLAIM_MS = 3_600_000;
const SYSTEM_ACTOR = { sub: 'ledger-anchor', role: 'system' };

export interface AnchorSummary {
  date: string;
  root: string;
  count: number;
  at: Date;
  chainStart: boolean;
  previousDate?: string;
  previousRoot?: string;
  mailedTo?: string;
}

export interface AnchorRun {
  status: 'anchored' | 'exists' | 'busy';
  anchor?: AnchorSummary;
  /** Chains that did not verify: left out of the root, named in the audit entry and the mail. */
  broken: ChainBreak[];
}

export interface InclusionProof {
  anchor: { date: string; root: string; count: number };
  leaf: ChainHead;
  path: ProofStep[];
}

export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export class LedgerAnchors {
  constructor(
    private readonly deps: {
      models: Models;
      verifier: LedgerVerifier;
      audit: AuditLog;
      mailer: Mailer;
      settings: { ledgerAnchorTo?: string; mailFrom: string };
      logger: Logger;
      now: () => Date;
    },
  ) {}

  /** Anchors today (UTC); idempotent: a second run the same day only mails a root not mailed yet. */
  async anchor(): Promise<AnchorRun> {
    const { models, now } = this.deps;
    const date = utcDay(now());
    const existing = await ledgerAnchorQueries.ofDate(models, date).lean();
    if (existing) {
      if (!existing.mailedAt) await this.mail(summaryOf(existing), []);
      return { status: 'exists', anchor: summaryOf(existing), broken: [] };
    }
    if (!(await claimOnce(models, `ledger-anchor:${date}`, new Date(now().getTime() + CLAIM_MS)))) return { status: 'busy', broken: [] };

    const { heads, broken } = await this.deps.verifier.verifyAll();
    const sorted = sortHeads(heads);
    const root = merkleRoot(sorted);
    // Leaves of a run that died before its anchor are replaced: the claim makes this run the only writer.
    await ledgerAnchorLeavesQueries.removeOfDate(models, date);
    const chunks: Array<{ date: string; chunk: number; leaves: ChainHead[] }> = [];
    for (let i = 0; i < sorted.length; i += CHUNK) chunks.push({ date, chunk: chunks.length, leaves: sorted.slice(i, i + CHUNK) });
    for (let i = 0; i < chunks.length; i += 20) await models.ledgerAnchorLeaves.collection.insertMany(chunks.slice(i, i + 20));
    const previous = await ledgerAnchorQueries.latestBefore(models, date).lean();
    const doc = {
      date,
      format: CHAIN_FORMAT,
      root,
      count: sorted.length,
      chunks: chunks.length,
      at: now(),
      chainStart: previous ? undefined : true,
      previousDate: previous?.date,
      previousRoot: previous?.root,
    };
    if (!(await insertOnce(() => models.ledgerAnchors.create(doc)))) return { status: 'exists', broken: [] };
    const anchor = summaryOf(doc);
    await this.deps.audit.record(SYSTEM_ACTOR, 'ledger.anchor', date, {
      root,
      count: anchor.count,
      chainStart: anchor.chainStart,
      broken: broken.length,
      brokenEvents: broken.slice(0, 20).map((b) => b.eventId ?? b.key),
    });
    await this.mail(anchor, broken);
    this.deps.logger.info({ date, root, count: anchor.count, broken: broken.length }, 'ledger anchored');
    return { status: 'anchored', anchor: { ...anchor, mailedTo: this.deps.settings.ledgerAnchorTo }, broken };
  }

  async latest(): Promise<AnchorSummary | undefined> {
    return latestAnchor(this.deps.models);
  }

  async byDate(date: string): Promise<AnchorSummary | undefined> {
    const doc = await ledgerAnchorQueries.ofDate(this.deps.models, date).lean();
    return doc ? summaryOf(doc) : undefined;
  }

  leaves(date: string): Promise<ChainHead[]> {
    return anchorLeaves(this.deps.models, date);
  }

  proof(emailHash: string, date?: string): Promise<InclusionProof | undefined> {
    return inclusionProofFor(this.deps.models, emailHash, date);
  }

  /**
   * A person's standing: their chain verifies, and the latest anchor holds one of its links, whose
   * proof leads to that day's root. "Verified up to" is that day; later events are chained, not yet anchored.
   */
  async status(emailHash: string) {
    const proof = await this.proof(emailHash);
    const report = await this.deps.verifier.verifyPerson(emailHash, proof?.leaf);
    const anchored = Boolean(proof && !report.broken && rootFromProof(proof.leaf, proof.path) === proof.anchor.root);
    return {
      verified: !report.broken,
      events: report.events,
      head: report.head ? { seq: report.head.seq, hash: report.head.hash } : undefined,
      broken: report.broken ? { eventId: report.broken.eventId, seq: report.broken.seq, reason: report.broken.reason } : undefined,
      verifiedUpTo: anchored ? proof!.anchor.date : undefined,
      anchor: proof ? { date: proof.anchor.date, root: proof.anchor.root, seq: proof.leaf.seq } : undefined,
    };
  }

  /** Checks a day's stored leaves against its stored root; the root itself is compared with the mailed copy by a person. */
  async rootHolds(date: string): Promise<boolean> {
    const anchor = await this.byDate(date);
    return Boolean(anchor && merkleRoot(await this.leaves(date)) === anchor.root);
  }

  private async mail(anchor: AnchorSummary, broken: ChainBreak[]): Promise<void> {
    const to = this.deps.settings.ledgerAnchorTo;
    if (!to) {
      this.deps.logger.warn({ date: anchor.date }, 'LEDGER_ANCHOR_TO is not set: the anchor is not mailed');
      return;
    }
    const lines = [
      `Consent ledger anchor / Piekrišanu žurnāla enkurs ${anchor.date}`,
      '',
      `root: ${anchor.root}`,
      `chains: ${anchor.count}`,
      `at: ${anchor.at.toISOString()}`,
      anchor.chainStart ? 'chain start: the chains start at this anchor (events before it were chained by `ledger migrate`)' : `previous: ${anchor.previousDate} ${anchor.previousRoot}`,
      ...(broken.length ? ['', `chains that did not verify (left out): ${broken.length}`, ...broken.slice(0, 20).map((b) => `  event ${b.eventId ?? '-'} seq ${b.seq ?? '-'}: ${b.reason}`)] : []),
      '',
      'Keep this mail: `npm run cli -- ledger verify --all --anchor DATE` recomputes this root (docs/ledger.md).',
    ];
    const text = lines.join('\n');
    await this.deps.mailer.send({
      from: this.deps.settings.mailFrom,
      to,
      subject: `e-Jaunumi ledger anchor ${anchor.date}: ${anchor.root}`,
      text,
      html: `<pre>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>`,
    });
    await ledgerAnchorQueries.markMailed(this.deps.models, anchor.date, to, this.deps.now());
  }
}

export async function latestAnchor(models: Models): Promise<AnchorSummary | undefined> {
  const doc = await ledgerAnchorQueries.latest(models).lean();
  return doc ? summaryOf(doc) : undefined;
}

/** A day's leaves in key order. */
export async function anchorLeaves(models: Models, date: string): Promise<ChainHead[]> {
  const chunks = await ledgerAnchorLeavesQueries.ofDate(models, date).lean();
  return chunks.flatMap((c) => c.leaves.map((l) => ({ key: l.key, seq: l.seq, hash: l.hash })));
}

/** The path from the person's head on `date` (default: the latest anchor) to that day's root. */
export async function inclusionProofFor(models: Models, emailHash: string, date?: string): Promise<InclusionProof | undefined> {
  const doc = date ? await ledgerAnchorQueries.ofDate(models, date).lean() : await ledgerAnchorQueries.latest(models).lean();
  if (!doc) return undefined;
  const leaves = await anchorLeaves(models, doc.date);
  const index = binarySearch(leaves, emailHash);
  if (index < 0) return undefined;
  return { anchor: { date: doc.date, root: doc.root, count: doc.count }, leaf: leaves[index]!, path: inclusionProof(leaves, index) };
}

function summaryOf(doc: { date: string; root: string; count: number; at: Date; chainStart?: boolean | null; previousDate?: string | null; previousRoot?: string | null; mailedTo?: string | null }): AnchorSummary {
  return {
    date: doc.date,
    root: doc.root,
    count: doc.count,
    at: doc.at,
    chainStart: Boolean(doc.chainStart),
    previousDate: doc.previousDate ?? undefined,
    previousRoot: doc.previousRoot ?? undefined,
    mailedTo: doc.mailedTo ?? undefined,
  };
}

function binarySearch(sorted: ChainHead[], key: string): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const k = sorted[mid]!.key;
    if (k === key) return mid;
    if (k < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

