/**
 * Query parameters of the embed routes: limit, theme, lang, collapse. Unknown parameters are
 * ignored (hosts add cache-busters); a known one given twice or with a bad value is a 400.
 */
import { ParamError } from '../output/params.js';

export { ParamError };

export const DEFAULT_EMBED_LIMIT = 10;
export const MAX_EMBED_LIMIT = 50;

export type Theme = 'light' | 'dark' | 'auto';
export type Lang = 'vi' | 'en';

export interface EmbedParams {
  limit: number;
  theme: Theme;
  lang: Lang;
  /** Undefined: the feed's own setting (curated feeds may collapse by default). */
  collapse?: 'none' | 'story';
}

const THEMES: readonly Theme[] = ['light', 'dark', 'auto'];
const LANGS: readonly Lang[] = ['vi', 'en'];

export function parseEmbedParams(search: URLSearchParams): EmbedParams {
  const one = (name: string): string | undefined => {
    const all = search.getAll(name);
    if (all.length > 1) throw new ParamError(name, 'given more than once');
    return all[0];
  };
  const params: EmbedParams = { limit: DEFAULT_EMBED_LIMIT, theme: 'auto', lang: 'vi' };
  const limit = one('limit');
  if (limit !== undefined) {
    if (!/^\d{1,3}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_EMBED_LIMIT) {
      throw new ParamError('limit', `must be an integer from 1 to ${MAX_EMBED_LIMIT}`);
    }
    params.limit = Number(limit);
  }
  const theme = one('theme');
  if (theme !== undefined) {
    if (!(THEMES as readonly string[]).includes(theme)) throw new ParamError('theme', 'must be "light", "dark" or "auto"');
    params.theme = theme as Theme;
  }
  const lang = one('lang');
  if (lang !== undefined) {
    if (!(LANGS as readonly string[]).includes(lang)) throw new ParamError('lang', 'must be "vi" or "en"');
    params.lang = lang as Lang;
  }
  const collapse = one('collapse');
  if (collapse !== undefined) {
    if (collapse !== 'story' && collapse !== 'none') throw new ParamError('collapse', 'must be "story" or "none"');
    params.collapse = collapse;
  }
  return params;
}

/** The parameters that select data (not presentation), in a fixed order, for the widget's JSON URL. */
export function dataQuery(params: EmbedParams): string {
  const search = new URLSearchParams();
  search.set('limit', String(params.limit));
  if (params.collapse) search.set('collapse', params.collapse);
  search.set('lang', params.lang);
  return search.toString();
}
