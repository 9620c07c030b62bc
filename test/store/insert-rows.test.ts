import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/database.js';
import { insertRows } from '../../src/store/insert-rows.js';
import { makeConfig } from '../helpers/config.js';
import { testDialects } from '../helpers/dialects.js';

const dialects = await testDialects();
let store: Store;
afterEach(async () => store?.close());

for (const d of dialects)
describe.skipIf(d.skip !== null)(`insertRows [${d.dialect}]${d.skip ? ` (skipped: ${d.skip})` : ''}`, () => {
  it('inserts batches of any size through one compiled shape each, nulls for missing values, and skips conflicts when asked', async () => {
    store = await d.open(makeConfig({}));
    const story = (id: number, headline: string) => ({ id, headline, article_count: 1, first_seen_at: id, last_seen_at: id });
    await insertRows(store.db, 'stories', ['id', 'headline', 'article_count', 'first_seen_at', 'last_seen_at'], [story(1, 'một'), story(2, 'hai')]);
    await insertRows(store.db, 'stories', ['id', 'headline', 'article_count', 'first_seen_at', 'last_seen_at'], [story(3, 'ba')]);
    // The same shape again, with other values: the compiled text is reused, the values are not.
    await insertRows(store.db, 'stories', ['id', 'headline', 'article_count', 'first_seen_at', 'last_seen_at'], [story(4, 'bốn'), story(5, 'năm')]);
    const rows = await store.db.selectFrom('stories').select(['id', 'headline']).orderBy('id').execute();
    expect(rows).toEqual([1, 2, 3, 4, 5].map((id) => ({ id, headline: ['một', 'hai', 'ba', 'bốn', 'năm'][id - 1] })));

    await expect(insertRows(store.db, 'stories', ['id', 'headline', 'article_count', 'first_seen_at', 'last_seen_at'], [story(1, 'trùng')])).rejects.toThrow();
    await insertRows(store.db, 'story_aliases', ['alias_id', 'story_id'], [{ alias_id: 9, story_id: 1 }]);
    await insertRows(store.db, 'story_aliases', ['alias_id', 'story_id'], [{ alias_id: 9, story_id: 2 }, { alias_id: 10, story_id: 2 }], { onConflictDoNothing: ['alias_id'] });
    expect(await store.db.selectFrom('story_aliases').selectAll().orderBy('alias_id').execute()).toEqual([
      { alias_id: 9, story_id: 1 },
      { alias_id: 10, story_id: 2 },
    ]);
  });
});
