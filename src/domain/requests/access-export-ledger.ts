// The person's own consent chain in the access export (art. 15): every link as it was hashed, and
// the inclusion proof of their head in the latest daily anchor, so that they can check with
// docs/ledger.md, without trusting us, that their consent history is the one we anchored that day.
import type { Models } from '../../data/models';
import { canonicalCore, CHAIN_FORMAT, GENESIS_HASH } from '../consent/ledger-canonical';
import { inclusionProofFor } from '../consent/ledger-anchor';
import type { ExportSection } from './access-export';
import type { MailLocale } from './requester-mail';
import { consentEventQueries } from '../../data/consent-event.queries';

export async function ledgerForExport(models: Models, emailHash: string) {
  const events = await consentEventQueries.rawOfAddress(models, emailHash).toArray();
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

export type LedgerExport = Awaited<ReturnType<typeof ledgerForExport>>;

const LEDGER_WORDS: Record<MailLocale, { heading: string; chained: string; anchored: string; notAnchored: string }> = {
  lv: {
    heading: 'Pierādījums, ka Jūsu piekrišanas vēsture nav mainīta',
    chained: 'Katrs ieraksts Jūsu piekrišanas vēsturē ir saistīts ar iepriekšējo kriptogrāfiskā ķēdē ({count} ieraksti). Pievienotā JSON faila daļā "ledger" ir viss, kas vajadzīgs, lai to pārbaudītu bez mūsu palīdzības.',
    anchored: 'Ķēdes gals ir iekļauts {date} dienas kopējā kontrolsummā, kuru glabājam arī ārpus datubāzes.',
    notAnchored: 'Ķēdes gals vēl nav iekļauts nevienā dienas kontrolsummā; tas notiks nākamajā naktī.',
  },
  en: {
    heading: 'Proof that your consent history has not been changed',
    chained: 'Every entry of your consent history is linked to the one before it in a cryptographic chain ({count} entries). The "ledger" part of the attached JSON file holds all you need to check it without our help.',
    anchored: 'The end of the chain is included in the daily checksum of {date}, which we also keep outside the database.',
    notAnchored: 'The end of the chain is not yet in a daily checksum; it will be after the coming night.',
  },
};

/**
 * The export's `ledger` section. Unlike the rest of the export it carries ids and hashes: they are
 * what the person recomputes, so they are the proof, not internal detail.
 */
export function ledgerSection(models: Models): ExportSection<LedgerExport> {
  return {
    key: 'ledger',
    collect: ({ records }) => ledgerForExport(models, records.emailHash),
    describe(data, { locale }) {
      const words = LEDGER_WORDS[locale];
      if (data.chain.length === 0) return [];
      return [
        {
          heading: words.heading,
          paragraphs: [
            words.chained.replace('{count}', String(data.chain.length)),
            data.latestAnchor ? words.anchored.replace('{date}', data.latestAnchor.date) : words.notAnchored,
          ],
        },
      ];
    },
  };
}
