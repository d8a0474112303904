// The few MIME encodings a precompiled newsletter needs: quoted-printable bodies (RFC 2045 6.7),
// RFC 2047 encoded words for headers with non-ASCII text, and header folding. Pure and linear.

export const CRLF = '\r\n';
// RFC 2045: encoded lines at most 76 characters, the soft break's `=` included.
const QP_LINE = 76;
// RFC 5322 recommends 78; a folded header never goes past it unless one word is longer.
const HEADER_LINE = 78;
const HEX = '0123456789ABCDEF';

/** Bytes a quoted-printable body may carry as they are: printable ASCII but `=`, plus SP and TAB. */
const QP_LITERAL = new Uint8Array(256);
for (let b = 0x20; b <= 0x7e; b++) QP_LITERAL[b] = b === 0x3d ? 0 : 1;
QP_LITERAL[0x09] = 1;

/**
 * Quoted-printable for text whose line breaks are hard breaks: every line ends in CRLF, long lines
 * get soft breaks, whitespace at the end of a line is encoded. The output ends with CRLF.
 */
export function qpEncode(text: string): string {
  let out = '';
  let start = 0;
  for (;;) {
    const lf = text.indexOf('\n', start);
    const end = lf < 0 ? text.length : lf;
    // A CR before the LF belongs to the line break.
    const lineEnd = end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    out += qpLine(text.slice(start, lineEnd)) + CRLF;
    if (lf < 0) return out;
    start = lf + 1;
  }
}

/** One line (no LF in it), encoded and soft-wrapped, without its CRLF. */
function qpLine(line: string): string {
  // Plain ASCII lines short enough and without `=` or trailing space: the common case, as is.
  if (line.length < QP_LINE && /^[\x20-\x3c\x3e-\x7e\t]*$/.test(line) && !/[ \t]$/.test(line)) return line;
  const bytes = Buffer.from(line, 'utf8');
  let out = '';
  let column = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const last = i === bytes.length - 1;
    const literal = QP_LITERAL[b] === 1 && !(last && (b === 0x20 || b === 0x09));
    const token = literal ? String.fromCharCode(b) : `=${HEX[b >> 4]}${HEX[b & 15]}`;
    // Room for the token and, unless it ends the line, a soft break after it.
    if (column + token.length > (last ? QP_LINE : QP_LINE - 1)) {
      out += '=' + CRLF;
      column = 0;
    }
    out += token;
    column += token.length;
  }
  return out;
}

/** Header text that can go as it is: printable ASCII, and nothing a decoder would take for an encoded word. */
function plainHeaderText(value: string): boolean {
  return /^[\x20-\x7e]*$/.test(value) && !value.includes('=?');
}

/**
 * An unstructured header value (Subject by default): as it is when plain ASCII with words short enough to
 * fold, else UTF-8 Q encoded words of at most 75 characters, never splitting a character,
 * separated by folding whitespace.
 */
export function encodeUnstructured(value: string, headerName = 'Subject'): string {
  if (plainHeaderText(value) && !/\S{72}/.test(value)) return value;
  const words: string[] = [];
  let word = '';
  // `=?UTF-8?Q?` + `?=` is 12 characters of the 75 an encoded word may have, and a line that holds
  // one is at most 76 (RFC 2047 2): the first shares its line with the field name.
  let room = 75 - 12 - (headerName.length + 1);
  for (const ch of value) {
    let encoded = '';
    const code = ch.codePointAt(0)!;
    if (code === 0x20) encoded = '_';
    else if (code < 0x80 && /[A-Za-z0-9!*+\-/]/.test(ch)) encoded = ch;
    else for (const b of Buffer.from(ch, 'utf8')) encoded += `=${HEX[b >> 4]}${HEX[b & 15]}`;
    if (word.length + encoded.length > room) {
      words.push(word);
      word = '';
      room = 75 - 12;
    }
    word += encoded;
  }
  if (word) words.push(word);
  return words.map((w) => `=?UTF-8?Q?${w}?=`).join(CRLF + ' ');
}

/** A mailbox (`Name <addr>` or `addr`) for From/To: the display name quoted or encoded as needed. */
export function encodeMailbox(address: string, name?: string): string {
  if (!name) return address;
  if (!plainHeaderText(name)) return `${encodeUnstructured(name)} <${address}>`;
  // RFC 5322 atext and spaces go as they are; anything else in a quoted string.
  if (/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$/.test(name)) return `${name} <${address}>`;
  return `"${name.replace(/[\\"]/g, '\\$&')}" <${address}>`;
}

/** `Name <addr>`, `"Name" <addr>` or a bare address, as MAIL_FROM is written; undefined when it is none of these. */
export function parseMailbox(text: string): { name?: string; address: string } | undefined {
  const trimmed = text.trim();
  if (/^[^\s<>"@]+@[^\s<>"@]+$/.test(trimmed)) return { address: trimmed };
  const match = /^(?:"((?:[^"\\]|\\.)*)"|([^"<>]*?))\s*<([^\s<>"@]+@[^\s<>"@]+)>$/.exec(trimmed);
  if (!match) return undefined;
  const name = match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!.trim();
  return { name: name || undefined, address: match[3]! };
}

/** `Name: value` folded before spaces to stay near 78 characters a line (a longer word stays whole). */
export function headerLine(name: string, value: string): string {
  const line = `${name}: ${value}`;
  if (line.length <= HEADER_LINE && !value.includes(CRLF)) return line + CRLF;
  const lines: string[] = [];
  // Encoded words come folded already; their breaks stay, the parts between are folded further.
  for (const segment of line.split(CRLF)) {
    let current = '';
    for (const word of segment.split(/(?= )/)) {
      // Never a line of whitespace only, nor a first line with the field name alone.
      const breakable = current.startsWith(' ') ? current.trim() !== '' : /:\s*\S/.test(current);
      if (breakable && current.length + word.length > HEADER_LINE) {
        lines.push(current);
        current = word;
      } else current += word;
    }
    lines.push(current);
  }
  return lines.join(CRLF) + CRLF;
}
