// Every question asked of `policy_versions`. The collection holds a few versions, and the embedded
// FerretDB pushes down no filter on a number or a date: every question reads them all there (on
// MongoDB the unique `version` index serves those by number).
import { scans } from './named-query';

const FEW = 'a handful of versions; the embedded FerretDB pushes down no equality on a number (version_1 serves it on MongoDB)';

/** What the product keeps of a version (its text is read only for the privacy page). */
const VERSION = { version: 1, effectiveAt: 1, textHash: 1, consentText: 1, material: 1, changeSummary: 1 } as const;

export const policyVersionQueries = {
  /** Import (a historical consent date), re-consent: one version. */
  byVersion: scans(FEW, (m, version: number) => m.policyVersions.findOne({ version }, VERSION)),
  /** Privacy page: one version's published text. */
  publishedText: scans(FEW, (m, version: number) => m.policyVersions.findOne({ version }, { version: 1, effectiveAt: 1, text: 1 })),
  /** Access export: the versions the person's consent names. */
  ofVersions: scans(FEW, (m, versions: number[]) => m.policyVersions.find({ version: { $in: versions } }, { version: 1, effectiveAt: 1 }).sort({ version: 1 })),
  /** The DPO marks a version material. */
  setMaterial: scans(FEW, (m, version: number, set: { material: boolean; changeSummary?: { lv: string; en: string } }) => m.policyVersions.updateOne({ version }, { $set: set })),

  /** Sign-up form, every consent: the newest version in force at a moment. */
  inForceAt: scans('a range on effectiveAt over a few versions: no index serves a range on the embedded FerretDB, and the collection is a handful of documents', (m, at: Date) =>
    m.policyVersions.findOne({ effectiveAt: { $lte: at } }, VERSION).sort({ version: -1 }),
  ),
  /** Registering a version: the newest one. */
  newest: scans('registering a version from the command line reads the few there are', (m) => m.policyVersions.findOne({}, VERSION).sort({ version: -1 })),
  /** The policy page, imports: every version, oldest first. */
  all: scans('every version for the policy page: a handful of documents', (m) => m.policyVersions.find({}, VERSION).sort({ version: 1 })),
};
