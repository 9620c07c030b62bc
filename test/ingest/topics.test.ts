import { describe, expect, it } from 'vitest';
import { createTopicMatcher } from '../../src/ingest/topics.js';
import type { ArticleInput } from '../../src/model/article.js';

const match = createTopicMatcher([
  { id: 1, aliases: ['Số hóa', 'Technology'], keywords: ['trí tuệ nhân tạo'] },
  { id: 2, aliases: ['Kinh doanh'], keywords: ['giá vàng', 'xăng E10'] },
  { id: 3, aliases: [], keywords: ['bão'] },
  { id: 4, aliases: [], keywords: ['iphone'] },
]);

const article = (patch: Partial<ArticleInput>): ArticleInput => ({
  key: 'k', link: 'https://x.vn/1', guid: null, title: '', summary: null, contentHtml: null, author: null, imageUrl: null, categories: [], publishedAt: new Date(0), ...patch,
});

describe('topic matching', () => {
  it.each([
    ['alias, same spelling', { categories: ['Số hóa'] }, [1]],
    ['alias, old-style tone mark', { categories: ['Số hoá'] }, [1]],
    ['alias, without diacritics', { categories: ['So hoa'] }, [1]],
    ['alias, case', { categories: ['TECHNOLOGY'] }, [1]],
    ['alias, NFD', { categories: ['Số hóa'.normalize('NFD')] }, [1]],
    ['keyword in title', { title: 'Ứng dụng trí tuệ nhân tạo trong y tế' }, [1]],
    ['keyword in summary, old-style tones and case', { title: 'Thị trường', summary: 'GIÁ VÀNG hôm nay tăng mạnh' }, [2]],
    ['keyword with accents does not match unaccented text', { title: 'Gia vang hom nay' }, []],
    ['keyword with a number', { title: 'Công bố nghiên cứu về xăng E10' }, [2]],
    ['keyword must be whole syllables', { title: 'Bảo hiểm xã hội' }, []],
    ['keyword bão does not match inside other words', { title: 'Bãobình thường' }, []],
    ['several topics', { title: 'Bão số 6 làm giá vàng tăng', categories: ['Technology'] }, [1, 2, 3]],
    ['unaccented keyword matches anywhere', { title: 'Người dùng iPhone 17 tại Việt Nam' }, [4]],
    ['no match', { title: 'Thời tiết hôm nay', categories: ['Thời sự'] }, []],
  ])('%s', (_name, patch, expected) => {
    expect(match(article(patch)).sort()).toEqual(expected);
  });
});
