// Finds email addresses in untrusted text in one pass. A regular expression for this
// (local-part+@(label.)+tld, tried at every position) is quadratic on long runs of letters:
// 40 kB of them took seconds. Here every '@' looks left and right a bounded distance.

const LOCAL_CHARS = /[a-z0-9.!#$%&'*+/=?^_`{|}~-]/i;
const DOMAIN_CHARS = /[a-z0-9.-]/i;
/**
 * RFC 5321 allows 64 characters of local part, but our own unsubscribe+TOKEN@ addresses carry a
 * signed token that is longer. The scan stays linear whatever the bound: it never goes back past
 * the previous '@'.
 */
const MAX_LOCAL = 1024;
const MAX_DOMAIN = 255;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const TLD_START = /^[a-z]{2,63}/i;

/** Address-shaped substrings, as written, in order of appearance. */
export function scanAddresses(text: string): string[] {
  const out: string[] = [];
  let consumedTo = 0;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > consumedTo && at - start < MAX_LOCAL && LOCAL_CHARS.test(text[start - 1])) start--;
    if (start === at) continue;
    let end = at + 1;
    while (end < text.length && end - at <= MAX_DOMAIN && DOMAIN_CHARS.test(text[end])) end++;
    const domain = validDomainPrefix(text.slice(at + 1, end));
    if (!domain) continue;
    out.push(text.slice(start, at + 1) + domain);
    consumedTo = at + 1 + domain.length;
  }
  return out;
}

/** The longest prefix that is labels ending in a top-level domain of letters ("mail.example.lv"). */
function validDomainPrefix(run: string): string | undefined {
  const labels = run.split('.');
  let best: string | undefined;
  for (let i = 1; i < labels.length; i++) {
    if (!LABEL.test(labels[i - 1])) break;
    const tld = TLD_START.exec(labels[i])?.[0];
    if (tld) best = labels.slice(0, i).join('.') + '.' + tld;
  }
  return best;
}
