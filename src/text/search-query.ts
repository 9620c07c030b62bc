/**
 * Full-text search, the text side: what goes into the index and what a user's search string
 * means. Both sides go through the same tokenizer and fold, so "da nang", "Đà Nẵng" and an
 * NFD-encoded "Đà Nẵng" are the same query, "thuy dien" finds "Thuỷ điện" and "Thủy điện",
 * and "xang e10" finds "xăng E10". The store turns a parsed query into its engine's syntax
 * (FTS5 MATCH today); nothing a user types is ever passed to the engine as syntax.
 */
import { foldToken } from './fold.js';
import { forEachRawToken, tokenizeSyllables, tokenKey } from './tokenize.js';

/** Longest search string accepted, in characters. */
export const MAX_SEARCH_LENGTH = 200;
/** Most words (and phrases) in one search. */
export const MAX_SEARCH_TERMS = 16;

/** A word or a phrase: consecutive tokens that must appear in this order. */
export interface SearchTerm {
  tokens: string[];
  /** The last token is a prefix ("tuyen*" finds "tuyển", "tuyên", "tuyến"…). */
  prefix: boolean;
}

/** Every term of `include` must match and none of `exclude`. */
export interface SearchClause {
  include: SearchTerm[];
  exclude: SearchTerm[];
}

/** The clauses combine with OR ("bão OR lũ"). */
export interface SearchQuery {
  clauses: SearchClause[];
  /** The text as the user gave it (trimmed), for titles and logs. */
  text: string;
}

export class SearchQueryError extends Error {
  override name = 'SearchQueryError';
}

/**
 * One indexed token: folded, with the separators kept inside numbers ("28/8", "1,6",
 * "10.000") turned into "_" so the engine keeps the number whole.
 */
function indexToken(token: string): string {
  return foldToken(token).replace(/[.,/:-]/g, '_');
}

const indexCache = new Map<string, string>();
const INDEX_CACHE_LIMIT = 200_000;

/**
 * The indexed form of a text: folded tokens separated by spaces. The same as folding
 * `tokenizeSyllables(text)` token by token, with one memo lookup per raw token (the index
 * triggers call this for every title and summary written).
 */
export function toSearchText(text: string | null | undefined): string {
  if (!text) return '';
  const out: string[] = [];
  forEachRawToken(text, (raw, numeric) => {
    let token = indexCache.get(raw);
    if (token === undefined) {
      token = indexToken(tokenKey(raw, numeric));
      if (indexCache.size >= INDEX_CACHE_LIMIT) indexCache.clear();
      indexCache.set(raw, token);
    }
    out.push(token);
  });
  return out.join(' ');
}

/**
 * Parses a user's search. Understood: words (all must match), "quoted phrases", `-word` or
 * `NOT word` to exclude, `OR` between alternatives, `word*` for a prefix; `AND` is accepted
 * and implied. Everything else (brackets, `NEAR(`, `^`, SQL) is just punctuation between words.
 * Throws SearchQueryError when the text is too long or has nothing to search for.
 */
export function parseSearchQuery(input: string): SearchQuery {
  const text = input.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (text.length === 0) throw new SearchQueryError('the search is empty');
  if (text.length > MAX_SEARCH_LENGTH) throw new SearchQueryError(`the search is limited to ${MAX_SEARCH_LENGTH} characters (got ${text.length})`);
  const clauses: SearchClause[] = [];
  let clause: SearchClause = { include: [], exclude: [] };
  let negateNext = false;
  let terms = 0;
  const add = (raw: string, negated: boolean, quoted: boolean) => {
    const prefix = !quoted && /\*+$/.test(raw);
    const tokens = tokenizeSyllables(raw).map(indexToken);
    if (tokens.length === 0) return;
    if (++terms > MAX_SEARCH_TERMS) throw new SearchQueryError(`the search has more than ${MAX_SEARCH_TERMS} words`);
    // A one-letter prefix would walk a large part of the index for little meaning ("1*" is fine: few terms start with a digit).
    const last = tokens[tokens.length - 1];
    const term = { tokens, prefix: prefix && (last.length >= 2 || /^\d/.test(last)) };
    (negated ? clause.exclude : clause.include).push(term);
  };
  const closeClause = () => {
    if (clause.include.length === 0 && clause.exclude.length === 0) return;
    if (clause.include.length === 0) throw new SearchQueryError('the search needs a word to find besides the excluded ones');
    clauses.push(clause);
    clause = { include: [], exclude: [] };
  };
  // Terms: "phrase", -"phrase", word, -word; separated by spaces.
  const pattern = /(-?)"([^"]*)"?|(\S+)/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const [, minus, phrase, word] = match;
    if (phrase !== undefined) {
      add(phrase, negateNext || minus === '-', true);
      negateNext = false;
      continue;
    }
    if (word === 'OR' || word === '|') {
      closeClause();
      negateNext = false;
    } else if (word === 'AND' || word === '&&') {
      // Implied between terms.
    } else if (word === 'NOT') {
      negateNext = true;
    } else {
      const negated = negateNext || (word.length > 1 && word.startsWith('-'));
      add(negated && word.startsWith('-') ? word.slice(1) : word, negated, false);
      negateNext = false;
    }
  }
  closeClause();
  if (clauses.length === 0) throw new SearchQueryError('the search has no words in it');
  return { clauses, text };
}
