// The text the intent rules read: folded (lower case, no diacritics, so "ludzu" meets "lūdzu"),
// whitespace collapsed, and no word longer than MAX_WORD letters, with a map back to the
// original so the deciding phrase can be quoted as the person wrote it. The word cap is what
// keeps the rules' "rest of the word" parts bounded on hostile input (one 1 MB "word").

export const MAX_WORD = 40;

export interface ScannedText {
  /** Folded text, whitespace runs as one space. */
  text: string;
  /** For each character of `text`, its index in the original. */
  origin: number[];
  original: string;
}

/** Lower case without diacritics: people type "ludzu vairs nesutiet" as often as "lūdzu". */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

export function scanText(original: string): ScannedText {
  const out: string[] = [];
  const origin: number[] = [];
  let wordLength = 0;
  let lastWasSpace = true;
  let i = 0;
  for (const ch of original) {
    const at = i;
    i += ch.length;
    if (ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v' || ch === '\u00a0') {
      wordLength = 0;
      if (!lastWasSpace) {
        out.push(' ');
        origin.push(at);
      }
      lastWasSpace = true;
      continue;
    }
    lastWasSpace = false;
    const folded = ch.charCodeAt(0) < 0x80 ? ch.toLowerCase() : fold(ch);
    if (LETTER_OR_DIGIT.test(ch)) {
      wordLength++;
      if (wordLength > MAX_WORD) continue;
    } else {
      wordLength = 0;
    }
    for (const f of folded) {
      out.push(f);
      origin.push(at);
    }
  }
  if (out[out.length - 1] === ' ') {
    out.pop();
    origin.pop();
  }
  return { text: out.join(''), origin, original };
}

/** The original text behind folded[start, end), at most `max` characters. */
export function originalSlice(scanned: ScannedText, start: number, end: number, max = 200): string {
  if (end <= start) return '';
  const from = scanned.origin[start];
  const lastFrom = scanned.origin[end - 1];
  const to = lastFrom + (scanned.original.codePointAt(lastFrom)! > 0xffff ? 2 : 1);
  return scanned.original.slice(from, Math.min(to, from + max)).replace(/\s+/g, ' ').trim();
}

/**
 * The sentence around folded[start, end): from the previous sentence end (. ! ? or a line break
 * in the original) to the next, at most `reach` characters either way.
 */
export function sentenceAround(scanned: ScannedText, start: number, end: number, reach = 240): { text: string; endsWithQuestion: boolean } {
  const original = scanned.original;
  const from = scanned.origin[start] ?? 0;
  const to = end > 0 ? (scanned.origin[end - 1] ?? from) + 1 : from;
  let left = from;
  while (left > 0 && from - left < reach && !/[.!?\n]/.test(original[left - 1])) left--;
  let right = to;
  while (right < original.length && right - to < reach && !/[.!?\n]/.test(original[right])) right++;
  const endsWithQuestion = original[right] === '?';
  return { text: fold(original.slice(left, right)), endsWithQuestion };
}
