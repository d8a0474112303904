// A campaign's MIME message compiled once: multipart/alternative with a fixed boundary, the text
// and HTML parts quoted-printable encoded. Per recipient only the lines holding a merge field are
// encoded again (so soft breaks and trailing whitespace stay right), the headers are written and,
// with a key, the message is DKIM-signed over a body hash whose static pieces were canonicalized
// at compile time. Nodemailer's composer did all of this for every copy.
//
// Where merge fields sit and how each value is escaped is the renderer's business: the template
// finds them by running the renderer's own personalise() with unique markers as the values, and
// asks it again per recipient for each field's escaped value, so a new scanner needs no change here.
// compile() checks that model against personalise() itself (empty and awkward values); a template
// the model does not fit (say, a fallback for an empty field) gets no MimeTemplate, and the caller
// keeps the composer for that campaign.
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { MERGE_FIELDS, type CompiledCampaign, type MergeVars } from './campaign-renderer';
import { relaxedBodyLines, type DkimSigner } from './dkim';
import { CRLF, headerLine, qpEncode } from './mime-encoding';

/** The renderer's per-recipient substitution (campaign-renderer's personalise). */
export type Personalise = (compiled: CompiledCampaign, vars: MergeVars) => CompiledCampaign;

type Context = 'html' | 'text';
/** A line of a part with merge fields in it: literal text and field indexes, in order. */
type Line = { context: Context; pieces: Array<string | number> };
/** Static lines are encoded (and canonicalized for DKIM) once; merge lines per recipient. */
type Chunk = { bytes: Buffer; canonical: string } | Line;

const valuesOf = (value: (field: string) => string) => Object.fromEntries(MERGE_FIELDS.map((f) => [f, value(f)])) as MergeVars;
// Values that would show a mismatch between the marker model and the renderer: empty, every
// character HTML escaping or a line break could treat differently, and a name whose vocative is
// another word (a template using {{name.vocative}} is not a plain substitution of the name).
const AWKWARD: MergeVars[] = [valuesOf((f) => `<a href="x">&'Ā\r\n ${f} `), { ...valuesOf(() => ''), name: 'Jānis' }];
/** For a template that is only ever given a name (see compileCampaignMail): empty is not checked. */
export const CHECKS_WITH_NAME: MergeVars[] = AWKWARD;
/** Every value, empty included. */
export const CHECKS_ANY: MergeVars[] = [valuesOf(() => ''), ...AWKWARD];

export class MimeTemplate {
  /** The template, or undefined when the renderer's output is not the template with the values put in. */
  static compile(compiled: CompiledCampaign, personalise: Personalise, dkim?: DkimSigner, checks: MergeVars[] = CHECKS_ANY): MimeTemplate | undefined {
    const template = new MimeTemplate(compiled, personalise, dkim);
    return checks.every((vars) => template.fits(compiled, vars)) ? template : undefined;
  }

  private readonly probe: Record<Context, string>;
  private readonly marker: string;
  private readonly chunks: Chunk[];
  private readonly mimeHeaders: string[];
  /** DKIM body hash state after the first static chunk, copied for each message. */
  private readonly prefixHash?: Hash;

  private constructor(
    compiled: CompiledCampaign,
    private readonly personalise: Personalise,
    private readonly dkim?: DkimSigner,
  ) {
    const boundary = `----=_ej_${randomBytes(12).toString('hex')}`;
    // `=_` cannot occur in quoted-printable text, so the boundary can never appear in a part.
    const marker = `\uE000${randomBytes(8).toString('hex')}:`;
    const probe = personalise(
      { subject: '', html: compiled.html, text: compiled.text },
      Object.fromEntries(MERGE_FIELDS.map((f, i) => [f, `${marker}${i}\uE001`])) as MergeVars,
    );
    this.probe = { text: probe.text, html: probe.html };
    this.marker = marker;
    this.mimeHeaders = [`MIME-Version: 1.0${CRLF}`, `Content-Type: multipart/alternative;${CRLF} boundary="${boundary}"${CRLF}`];
    const chunks: Array<string | Line> = [];
    for (const [context, body] of [['text', probe.text], ['html', probe.html]] as const) {
      chunks.push(`--${boundary}${CRLF}Content-Type: text/${context === 'text' ? 'plain' : 'html'}; charset=utf-8${CRLF}` +
        `Content-Transfer-Encoding: quoted-printable${CRLF}${CRLF}`);
      chunks.push(...partLines(body, context, marker));
    }
    chunks.push(`--${boundary}--${CRLF}`);
    this.chunks = joinStatic(chunks).map((c) => (typeof c === 'string' ? { bytes: Buffer.from(c, 'latin1'), canonical: relaxedBodyLines(c) } : c));
    const first = this.chunks[0]!;
    if (dkim && 'bytes' in first) this.prefixHash = createHash('sha256').update(first.canonical, 'latin1');
  }

  /**
   * One recipient's raw message. `headers` are written in order, each value already encoded for
   * its header (ASCII); the template adds MIME-Version and Content-Type, and DKIM-Signature first.
   */
  render(vars: MergeVars, headers: Array<[string, string]>): Buffer {
    const values = this.fieldValues(vars);
    const body: Buffer[] = [];
    const hash = this.dkim ? (this.prefixHash ? this.prefixHash.copy() : createHash('sha256')) : undefined;
    for (let i = 0; i < this.chunks.length; i++) {
      const chunk = this.chunks[i]!;
      if ('bytes' in chunk) {
        body.push(chunk.bytes);
        if (hash && (i > 0 || !this.prefixHash)) hash.update(chunk.canonical, 'latin1');
        continue;
      }
      const encoded = qpEncode(chunk.pieces.map((p) => (typeof p === 'number' ? values[chunk.context][p]! : p)).join(''));
      body.push(Buffer.from(encoded, 'latin1'));
      hash?.update(relaxedBodyLines(encoded), 'latin1');
    }
    const lines = headers.map(([name, value]) => headerLine(name, value));
    lines.push(...this.mimeHeaders);
    const signature = hash ? this.dkim!.sign(lines, hash.digest('base64')) : '';
    return Buffer.concat([Buffer.from(signature + lines.join('') + CRLF, 'latin1'), ...body]);
  }

  /** Whether substituting `vars` into the marked parts gives what personalise() gives. */
  private fits(compiled: CompiledCampaign, vars: MergeVars): boolean {
    const values = this.fieldValues(vars);
    const expected = this.personalise({ subject: '', html: compiled.html, text: compiled.text }, vars);
    const at = new RegExp(`${this.marker}(\\d+)\uE001`, 'g');
    return (['html', 'text'] as const).every((c) => this.probe[c].replace(at, (_m, i: string) => values[c][Number(i)]!) === expected[c]);
  }

  /** Each merge field's value as the renderer escapes it in each part. */
  private fieldValues(vars: MergeVars): Record<Context, string[]> {
    const html: string[] = [];
    const text: string[] = [];
    for (const field of MERGE_FIELDS) {
      const one = this.personalise({ subject: '', html: `{{${field}}}`, text: `{{${field}}}` }, vars);
      html.push(one.html);
      text.push(one.text);
    }
    return { html, text };
  }
}

/** A part's lines: runs of static lines encoded as one string, each line with a marker as a Line. */
function partLines(body: string, context: Context, marker: string): Array<string | Line> {
  const out: Array<string | Line> = [];
  let staticStart = 0;
  let at = body.indexOf(marker);
  while (at >= 0) {
    const lineStart = body.lastIndexOf('\n', at) + 1;
    const lf = body.indexOf('\n', at);
    // A CR before the LF is part of the line break, not of the line.
    const lineEnd = lf < 0 ? body.length : body.charCodeAt(lf - 1) === 0x0d ? lf - 1 : lf;
    if (lineStart > staticStart) out.push(qpEncode(body.slice(staticStart, lineStart - (body.charCodeAt(lineStart - 2) === 0x0d ? 2 : 1))));
    const pieces: Array<string | number> = [];
    let cursor = lineStart;
    for (let m = body.indexOf(marker, lineStart); m >= 0 && m < lineEnd; m = body.indexOf(marker, cursor)) {
      const close = body.indexOf('\uE001', m);
      if (m > cursor) pieces.push(body.slice(cursor, m));
      pieces.push(Number(body.slice(m + marker.length, close)));
      cursor = close + 1;
    }
    if (lineEnd > cursor) pieces.push(body.slice(cursor, lineEnd));
    out.push({ context, pieces });
    staticStart = lf < 0 ? body.length + 1 : lf + 1;
    at = lf < 0 ? -1 : body.indexOf(marker, staticStart);
  }
  if (staticStart <= body.length) out.push(qpEncode(body.slice(staticStart)));
  return out;
}

function joinStatic(chunks: Array<string | Line>): Array<string | Line> {
  const out: Array<string | Line> = [];
  for (const c of chunks) {
    const last = out[out.length - 1];
    if (typeof c === 'string' && typeof last === 'string') out[out.length - 1] = last + c;
    else out.push(c);
  }
  return out;
}
