// Privacy-policy versions are data: every consent names the version in force and the exact consent
// sentence shown, so a later policy change never rewrites what a person agreed to.
import type { Models } from '../../data/models';
import { isDuplicateKeyError, NotFoundError, ValidationError } from '../../errors';
import { sha256 } from '../seed';
import { specificConsentText } from './specific-consent';
import { subscriptionQueries } from '../../data/subscription.queries';
import { policyVersionQueries } from '../../data/policy-version.queries';

export type PolicyLocale = 'lv' | 'en';

export interface PolicyVersion {
  version: number;
  effectiveAt: Date;
  textHash: string;
  consentText: { lv: string; en: string };
  /** The change alters what consent covers; older consents are asked again (re-consent.ts). */
  material: boolean;
  /** What changed, per language (empty when not given). */
  changeSummary: { lv: string; en: string };
}

/** What a consent event records about the text a person was shown. */
export interface ConsentProof {
  policyVersion: number;
  consentText: string;
  consentTextHash: string;
}

export interface NewPolicyVersion {
  text: string;
  consentText: { lv: string; en: string };
  /** Defaults to now; a future date registers the version ahead of time. */
  effectiveAt?: Date;
  material?: boolean;
  changeSummary?: { lv: string; en: string };
}

export class PolicyVersions {
  constructor(private readonly deps: { models: Models; now: () => Date }) {}

  /** The newest version already in force at `at` (default now). */
  async inForceAt(at: Date = this.deps.now()): Promise<PolicyVersion | undefined> {
    const doc = await policyVersionQueries.inForceAt(this.deps.models, at).lean();
    return doc ? toPolicyVersion(doc) : undefined;
  }

  async current(): Promise<PolicyVersion> {
    const version = await this.inForceAt();
    if (!version) throw new NotFoundError('privacy-policy version in force');
    return version;
  }

  /** All versions, oldest first (few; imports resolve historical consent dates against them). */
  async get(version: number): Promise<PolicyVersion> {
    const doc = await policyVersionQueries.byVersion(this.deps.models, version).lean();
    if (!doc) throw new NotFoundError(`privacy-policy version ${version}`);
    return toPolicyVersion(doc);
  }

  /** Marks a version material (or not) after its registration; the caller audits it. */
  async setMaterial(version: number, material: boolean, changeSummary?: { lv: string; en: string }): Promise<PolicyVersion> {
    const result = await policyVersionQueries.setMaterial(this.deps.models, version, { material, ...(changeSummary ? { changeSummary } : {}) });
    if (result.matchedCount === 0) throw new NotFoundError(`privacy-policy version ${version}`);
    return this.get(version);
  }

  async all(): Promise<PolicyVersion[]> {
    const docs = await policyVersionQueries.all(this.deps.models).lean();
    return docs.map(toPolicyVersion);
  }

  /**
   * Clause 7 (the policy may change): how many subscribers hold an active subscription under each
   * version, so IMPRO can judge whether to ask for consent again. A subscriber active on two lists
   * under different versions counts under both.
   */
  async coverage(): Promise<{ current?: number; versions: Array<PolicyVersion & { activeSubscribers: number }>; unknownVersion: number }> {
    const grouped: Array<{ _id: number | null; subscribers: number }> = await subscriptionQueries.activeByPolicyVersion(this.deps.models);
    const counts = new Map(grouped.map((g) => [g._id ?? null, g.subscribers]));
    const versions = await this.all();
    return {
      current: (await this.inForceAt())?.version,
      versions: versions.map((v) => ({ ...v, activeSubscribers: counts.get(v.version) ?? 0 })),
      unknownVersion: counts.get(null) ?? 0,
    };
  }

  /**
   * The next number is claimed through the unique index on `version`: two admins registering at
   * once get two consecutive numbers instead of one overwriting the other.
   */
  async register(input: NewPolicyVersion): Promise<PolicyVersion> {
    const effectiveAt = input.effectiveAt ?? this.deps.now();
    const latest = await policyVersionQueries.newest(this.deps.models).lean();
    if (latest && effectiveAt < latest.effectiveAt) {
      throw new ValidationError(`effectiveAt must not be before version ${latest.version} (${latest.effectiveAt.toISOString()})`);
    }
    for (let version = (latest?.version ?? 0) + 1; ; version++) {
      try {
        const doc = await this.deps.models.policyVersions.create({
          version,
          effectiveAt,
          text: input.text,
          textHash: sha256(input.text),
          consentText: input.consentText,
          material: input.material ?? false,
          ...(input.changeSummary ? { changeSummary: input.changeSummary } : {}),
        });
        return toPolicyVersion(doc.toObject());
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    }
  }
}

/** The proof of a consent; with list names, the specific sentence naming them (specific-consent.ts). */
export function consentProof(policy: PolicyVersion, locale: PolicyLocale, listNames?: string[]): ConsentProof {
  const consentText = listNames?.length ? specificConsentText(policy.consentText[locale], listNames, locale) : policy.consentText[locale];
  return { policyVersion: policy.version, consentText, consentTextHash: sha256(consentText) };
}

type StoredVersion = {
  version: number;
  effectiveAt: Date;
  textHash: string;
  consentText?: { lv: string; en: string } | null;
  material?: boolean | null;
  changeSummary?: { lv?: string | null; en?: string | null } | null;
};

function toPolicyVersion(doc: StoredVersion): PolicyVersion {
  return {
    version: doc.version,
    effectiveAt: doc.effectiveAt,
    textHash: doc.textHash,
    consentText: { lv: doc.consentText?.lv ?? '', en: doc.consentText?.en ?? '' },
    material: doc.material ?? false,
    changeSummary: { lv: doc.changeSummary?.lv ?? '', en: doc.changeSummary?.en ?? '' },
  };
}
