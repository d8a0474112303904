// HTML to readable text in one left-to-right pass. Regular expressions like /<[^>]+>/g or a lazy
// /<script>[\s\S]*?<\/script>/ rescan the rest of the input from every '<' that has no end, which
// is quadratic (20 kB of '<' took seconds). Here each search for an end is done at most once per
// kind: when no '>' (or no </script>) is left after some point, none is left after any later one.

const SKIPPED_ELEMENTS = ['script', 'style', 'head'];
const LINE_BREAKING = new Set(['br', '/p', '/div', '/tr', '/li', '/h1', '/h2', '/h3', '/h4', '/h5', '/h6']);
const NAMED_ENTITIES: Record<string, string> = { nbsp: ' ', lt: '<', gt: '>', quot: '"', amp: '&', apos: "'" };

export function htmlToText(html: string): string {
  const lower = html.toLowerCase();
  const out: string[] = [];
  let textStart = 0;
  let nextGt = -2; // -2: not looked up yet; -1: there is none
  const noClosing = new Set<string>();
  let i = html.indexOf('<');
  while (i >= 0) {
    if (nextGt !== -1 && nextGt < i) nextGt = html.indexOf('>', i);
    if (nextGt === -1) break; // no tag can end any more: the rest is text
    out.push(html.slice(textStart, i));
    const name = tagName(lower, i + 1, nextGt);
    out.push(LINE_BREAKING.has(name) ? '\n' : ' ');
    let resume = nextGt + 1;
    if (SKIPPED_ELEMENTS.includes(name) && !noClosing.has(name)) {
      const close = lower.indexOf(`</${name}`, resume);
      if (close < 0) noClosing.add(name);
      else {
        const closeEnd = lower.indexOf('>', close);
        resume = closeEnd < 0 ? html.length : closeEnd + 1;
      }
    }
    textStart = resume;
    i = html.indexOf('<', resume);
  }
  out.push(html.slice(textStart));
  return decodeEntities(out.join('')).replace(/[ \t]+/g, ' ');
}

/** "br" for <br/>, "/p" for </p>: a slash and at most 8 name characters. */
function tagName(lower: string, from: number, to: number): string {
  let end = from;
  if (lower[end] === '/') end++;
  while (end < to && end - from < 9 && /[a-z0-9]/.test(lower[end])) end++;
  return lower.slice(from, end);
}

function decodeEntities(text: string): string {
  return text.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (whole, body: string) => {
    if (body[0] !== '#') return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : Number(body.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
