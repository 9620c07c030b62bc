/**
 * Original-outlet attribution of republished articles.
 *
 * Vietnamese outlets that republish another outlet's article end it with a
 * credit line: "Theo <author> (<Outlet>)", "Theo <Outlet>" or
 * "Nguồn: <Outlet>". Only the end of the text is examined (the last line, or
 * the last sentence when the text is one paragraph), so "Theo quy định, …" or
 * "Theo Bộ Y tế, …" inside the body never count.
 */
import { normalizeDisplay } from '../text/clean.js';

const MAX_OUTLET_LENGTH = 40;
const MAX_OUTLET_WORDS = 5;

/** "Theo <author> (<Outlet>)" — the outlet is in parentheses. */
const THEO_AUTHOR_OUTLET = /(?:^|[\s.!?…"”’)\]])\(?\s*Theo\s+([^()\n]{1,60}?)\s*\(\s*([^()\n]{2,40}?)\s*\)\s*\)?[\s.]*$/u;
/** "Theo <Outlet>" / "(Theo <Outlet>)". */
const THEO_OUTLET = /(?:^|[\s.!?…"”’)\]])\(?\s*Theo\s+([^()\n.!?:;]{2,40}?)\s*\)?[\s.]*$/u;
/** "Nguồn: <Outlet>" / "Nguồn tin: <Outlet>". */
const NGUON = /(?:^|[\s.!?…"”’)\]])\(?\s*Nguồn(?:\s+tin)?\s*:\s*([^\n()]{2,60}?)\s*\)?[\s.]*$/iu;

/** The keyword NGUON needs, under the same flags. */
const NGUON_WORD = /Nguồn/iu;

/** First words that make "Theo X" a source of information, not a publication. */
const NOT_OUTLET_START = new Set([
  'đó', 'đây', 'như', 'kế', 'dự', 'quy', 'luật', 'nghị', 'thông', 'kết', 'số', 'các', 'những', 'một', 'nhiều',
  'bộ', 'sở', 'ủy', 'ubnd', 'cục', 'tổng', 'viện', 'trường', 'bệnh', 'công', 'ông', 'bà', 'anh', 'chị', 'em',
  'lãnh', 'đại', 'người', 'giới', 'chuyên', 'tôi', 'chúng', 'họ', 'cơ', 'phía', 'tin',
]);

function lastSegment(text: string): string {
  // trimEnd drops what /\s+$/ matches (WhiteSpace and LineTerminator) without trying the pattern at every position.
  const trimmed = text.trimEnd();
  const nl = trimmed.lastIndexOf('\n');
  if (nl >= 0) return trimmed.slice(nl + 1).trim();
  // one paragraph: last sentence (keep some context before it for the anchors)
  return trimmed.length > 200 ? trimmed.slice(-200) : trimmed;
}

function plausibleOutlet(name: string): string | null {
  const s = name.replace(/^[\s"“”'‘’]+|[\s"“”'‘’.,;:]+$/gu, '');
  if (s.length < 2 || s.length > MAX_OUTLET_LENGTH) return null;
  const words = s.split(/\s+/u);
  if (words.length > MAX_OUTLET_WORDS) return null;
  const first = words[0];
  const c = first[0];
  // outlet names are proper names: capitalised or a domain / acronym with a digit ("24h")
  if (c === c.toLowerCase() && !/^\d/u.test(first) && !/\.[a-z]{2,}$/u.test(first)) return null;
  if (NOT_OUTLET_START.has(first.toLowerCase())) return null;
  return s;
}

/**
 * The outlet credited at the end of an article's text ("Dân trí" for
 * "… Theo Hoàng Anh (Dân trí)"), or null when the text carries no credit line.
 */
export function detectOriginalOutlet(contentText: string): string | null {
  if (!contentText) return null;
  const tail = lastSegment(normalizeDisplay(contentText));
  if (!tail) return null;
  // Most texts carry no credit line: skip the three unanchored patterns (each tried at every
  // position of the tail) unless one of their keywords is there at all.
  if (!tail.includes('Theo') && !NGUON_WORD.test(tail)) return null;
  let m = THEO_AUTHOR_OUTLET.exec(tail);
  if (m) {
    const outlet = plausibleOutlet(m[2]);
    if (outlet) return outlet;
  }
  m = NGUON.exec(tail);
  if (m) {
    const outlet = plausibleOutlet(m[1]);
    if (outlet) return outlet;
  }
  m = THEO_OUTLET.exec(tail);
  if (m) {
    const outlet = plausibleOutlet(m[1]);
    if (outlet) return outlet;
  }
  return null;
}
