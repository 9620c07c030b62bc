import type { ArticleInput } from '../model/article.js';
import { toFoldedKey } from '../text/fold.js';
import { toMatchKey } from '../text/normalize.js';

export interface TopicRule {
  id: number;
  aliases: readonly string[];
  keywords: readonly string[];
}

/**
 * Builds the function that adds topics from an article's own words: its feed categories
 * through each topic's aliases (accent- and case-insensitive, so "So hoa", "Số hóa" and
 * "Số hoá" all match), and each topic's keywords as whole syllable sequences in the title
 * or summary. A keyword written with diacritics must match them (tone placement, case and
 * NFD aside), so "bão" does not catch "bảo hiểm"; one written without any matches folded
 * text. Keys are computed once here so matching an article is lookups and substring tests.
 */
export function createTopicMatcher(topics: readonly TopicRule[]): (article: ArticleInput) => number[] {
  const byAlias = new Map<string, number[]>();
  const keywords: { key: string; id: number; folded: boolean }[] = [];
  for (const topic of topics) {
    for (const alias of topic.aliases) {
      const key = toFoldedKey(alias);
      if (!key) continue;
      byAlias.set(key, [...(byAlias.get(key) ?? []), topic.id]);
    }
    for (const keyword of topic.keywords) {
      const exact = toMatchKey(keyword);
      const folded = toFoldedKey(keyword);
      if (folded) keywords.push({ key: ` ${exact === folded ? folded : exact} `, id: topic.id, folded: exact === folded });
    }
  }
  if (byAlias.size === 0 && keywords.length === 0) return () => [];
  return (article) => {
    const found = new Set<number>();
    for (const category of article.categories) {
      for (const id of byAlias.get(toFoldedKey(category)) ?? []) found.add(id);
    }
    if (keywords.length > 0) {
      // Padding with spaces makes substring search respect syllable boundaries.
      const raw = `${article.title} ${article.summary ?? ''}`;
      const exact = ` ${toMatchKey(raw)} `;
      const folded = ` ${toFoldedKey(raw)} `;
      for (const { key, id, folded: isFolded } of keywords) if ((isFolded ? folded : exact).includes(key)) found.add(id);
    }
    return [...found];
  };
}
