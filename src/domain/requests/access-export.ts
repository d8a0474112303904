// GDPR art. 15: the answer to an access request, written for the person. The mail says in their
// language what we hold, where it came from, and what the privacy policy promises (purposes, legal
// basis, recipients, retention, rights, the Datu valsts inspekcija); the attached JSON holds the
// same data under documented, stable names (docs/access-export.md). Sent only to the verified
// address itself (invariant 7).
//
// The export is a list of sections, each owning one top-level key of the JSON and, if it has one,
// its part of the mail. A new part of the export is one more entry in `sections`.
import type { Config } from '../../config';
import type { Models } from '../../data/models';
import { ledgerSection } from './access-export-ledger';
import { readableHtml, readableText, type ReadableSection } from './export-format';
import {
  consentHistorySection,
  doNotMailSection,
  mailingsSection,
  messagesToUsSection,
  personSection,
  policyVersionsSection,
  requestsSection,
  sourcesSection,
  subscriptionsSection,
} from './export-sections';
import { PersonRecords } from './person-records';
import { processingSection } from './processing-notice';
import type { MailLocale, RequesterMail } from './requester-mail';

/** Names the file format; `version` changes only when a key is renamed, removed or changes meaning. */
export const EXPORT_FORMAT = 'e-jaunumi-access-export';
export const EXPORT_VERSION = 1;

export interface ExportRequest {
  number: string;
  email: string;
  emailHash: string;
  locale: MailLocale;
}

/** What every section gets: the person's records (each read once) and the export's language. */
export interface ExportContext {
  records: PersonRecords;
  locale: MailLocale;
  requestNumber: string;
  generatedAt: Date;
}

export interface ExportSection<T = unknown> {
  /** Its top-level key in the JSON; documented in docs/access-export.md. */
  readonly key: string;
  collect(ctx: ExportContext): Promise<T>;
  /** Its part of the mail, in ctx.locale; without it the section is in the JSON only. */
  describe?(data: T, ctx: ExportContext): ReadableSection[] | Promise<ReadableSection[]>;
}

export interface AccessExportDeps {
  models: Models;
  requesterMail: RequesterMail;
  now: () => Date;
  settings: { retention: Config['retention']; publicBaseUrl: string; mailboxAddress: string };
}

export interface AccessExportDocument {
  format: string;
  version: number;
  generatedAt: string;
  requestNumber: string;
  language: MailLocale;
  email: string;
  [section: string]: unknown;
}

export class AccessExport {
  /** In the order of the JSON and of the mail. */
  private readonly sections: ExportSection[];

  constructor(private readonly deps: AccessExportDeps) {
    this.sections = [
      personSection,
      subscriptionsSection,
      sourcesSection,
      consentHistorySection,
      policyVersionsSection(deps.settings.publicBaseUrl),
      mailingsSection,
      requestsSection,
      doNotMailSection,
      messagesToUsSection,
      processingSection(deps.settings),
      ledgerSection(deps.models),
    ] as ExportSection[];
  }

  /** The JSON document and the mail's readable parts for one person. */
  async build(request: ExportRequest, ctx = this.context(request)): Promise<{ document: AccessExportDocument; readable: ReadableSection[] }> {
    const document: AccessExportDocument = {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      generatedAt: ctx.generatedAt.toISOString(),
      requestNumber: request.number,
      language: request.locale,
      email: request.email,
    };
    const readable: ReadableSection[] = [];
    for (const section of this.sections) {
      const data = await section.collect(ctx);
      document[section.key] = data;
      if (section.describe) readable.push(...(await section.describe(data, ctx)));
    }
    return { document, readable };
  }

  async send(request: ExportRequest): Promise<void> {
    const ctx = this.context(request);
    const { document, readable } = await this.build(request, ctx);
    const subscriber = await ctx.records.subscriber();
    await this.deps.requesterMail.send({
      to: request.email,
      subscriberId: subscriber ? String(subscriber._id) : undefined,
      locale: request.locale,
      template: 'access-export',
      vars: {
        number: request.number,
        email: request.email,
        sectionsHtml: readableHtml(readable),
        sectionsText: readableText(readable),
        preheader: request.number,
      },
      attachments: [
        { filename: `e-jaunumi-${request.number}.json`, content: JSON.stringify(document, null, 2), contentType: 'application/json; charset=utf-8' },
      ],
    });
  }

  private context(request: ExportRequest): ExportContext {
    return {
      records: new PersonRecords(this.deps.models, request.email, request.emailHash),
      locale: request.locale,
      requestNumber: request.number,
      generatedAt: this.deps.now(),
    };
  }
}
