/**
 * Story-clustering evaluation through the real store path: each labelled article is stored
 * by storeArticles (as a poll stores it, one article per transaction in publication order) in
 * an in-memory SQLite database with the production story assigner, and the story ids are read
 * back from the articles table — so merges, aliases and the assigner's window behave exactly
 * as in the gateway.
 */
import { parseConfig } from '../config/load.js';
import type { ArticleInput } from '../model/article.js';
import { storeArticles } from '../store/articles.js';
import { openStore } from '../store/database.js';
import { listSources, listTopicIdsBySource, syncConfig } from '../store/sources.js';
import { createStoryAssigner } from './assigner.js';
import type { ClusterOptions } from './cluster.js';
import { pairwiseScores, type EvaluationResult, type LabelledArticle } from './evaluate.js';

export async function evaluateThroughStore(articles: readonly LabelledArticle[], options: Partial<ClusterOptions> = {}): Promise<EvaluationResult> {
  const order = articles.map((_, i) => i).sort((a, b) => articles[a].publishedAt.getTime() - articles[b].publishedAt.getTime() || a - b);
  const outlets = [...new Set(articles.map((a) => a.outlet ?? 'unknown'))];
  const config = parseConfig(
    {
      topics: [{ slug: 'tin-tuc', name: 'Tin tức' }],
      sources: outlets.map((name, i) => ({ slug: `outlet-${i + 1}`, url: `http://127.0.0.1/outlet-${i + 1}.rss`, name, topics: ['tin-tuc'] })),
    },
    'eval-stories',
  );
  const store = await openStore(':memory:');
  try {
    const first = articles.length > 0 ? articles[order[0]].publishedAt.getTime() : Date.now();
    await syncConfig(store.db, config, first);
    const sourceIds = new Map((await listSources(store.db)).map((s) => [s.slug, s.id]));
    const topicIds = await listTopicIdsBySource(store.db, [...sourceIds.values()]);
    const stories = await createStoryAssigner(store.db, { ...options, now: first });
    const start = process.hrtime.bigint();
    for (const i of order) {
      const a = articles[i];
      const sourceId = sourceIds.get(`outlet-${outlets.indexOf(a.outlet ?? 'unknown') + 1}`)!;
      const input: ArticleInput = {
        key: `eval:${i}`,
        link: `http://127.0.0.1/eval/${i}`,
        guid: null,
        title: a.title,
        summary: a.summary,
        contentHtml: null,
        author: null,
        imageUrl: null,
        categories: [],
        publishedAt: a.publishedAt,
      };
      await storeArticles(store.db, { sourceId, sourceTopicIds: topicIds.get(sourceId) ?? [], articles: [input], stories, now: a.publishedAt.getTime() });
    }
    const elapsed = Number(process.hrtime.bigint() - start) / 1000;
    const rows = await store.db.selectFrom('articles').select(['key', 'story_id']).execute();
    const storyOf = new Map(rows.map((r) => [r.key, r.story_id]));
    const predicted = articles.map((_, i) => storyOf.get(`eval:${i}`)!);
    const aliases = await store.db.selectFrom('story_aliases').select('alias_id').execute();
    return {
      ...pairwiseScores(
        articles.map((a) => a.cluster),
        predicted,
      ),
      articles: articles.length,
      goldClusters: new Set(articles.map((a) => a.cluster)).size,
      predictedStories: new Set(predicted).size,
      merges: aliases.length,
      microsPerArticle: articles.length === 0 ? 0 : elapsed / articles.length,
      stories: predicted,
      decisions: [],
    };
  } finally {
    await store.close();
  }
}
