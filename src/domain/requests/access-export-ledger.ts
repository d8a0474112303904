// The person's own consent chain in the access export (art. 15): every link as it was hashed, and
// the inclusion proof of their head in the latest daily anchor, so that they can check with
// docs/ledger.md, without trusting us, that their consent history is the one we anchored that day.
import type { Collection } from 'mongodb';
import type { Models } from '../../data/models';
import { canonicalCore, CHAIN_FORMAT, GENESIS_HASH } from '../consent/ledger-canonical';
import { inclusionProofFor } from '../consent/ledger-anchor';

export async function ledgerForExport(models: Models, emailHash: string) {
  const events = await (models.consentEvents.collection as unknown as Collection).find({ emailHash }).toArray();
  const chained = events.filter((e) => typeof e.seq === 'number').sort((a, b) => a.seq - b.seq);
  const proof = await inclusionProofFor(models, emailHash);
  return {
    format: CHAIN_FORMAT,
    documentation: 'docs/ledger.md: hash = SHA-256(prevHash + canonical + erasableDigest); the first prevHash is 64 zeros',
    key: emailHash,
    genesis: GENESIS_HASH,
    chain: chained.map((e) => ({ id: String(e._id), seq: e.seq, prevHash: e.prevHash, canonical: canonicalCore(e), erasableDigest: e.erasableDigest, hash: e.hash })),
    latestAnchor: proof ? { ...proof.anchor, leaf: proof.leaf, path: proof.path } : null,
  };
}
