import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createClusterer, type ClusterDoc } from '../../src/stories/cluster.js';
import { evaluateClustering, pairwiseScores, parseLabelledJsonl } from '../../src/stories/evaluate.js';
import { evaluateThroughStore } from '../../src/stories/evaluate-store.js';
import { describeTerms, extractFeatures, stripLeadByline, termId } from '../../src/stories/features.js';

const fixture = parseLabelledJsonl(readFileSync(fileURLToPath(new URL('../fixtures/stories-labelled.jsonl', import.meta.url)), 'utf8'));

/** Final story of every fixture article, by title. */
function storiesByTitle(): Map<string, number> {
  const r = evaluateClustering(fixture);
  return new Map(fixture.map((a, i) => [a.title, r.stories[i]]));
}

function story(map: Map<string, number>, title: string): number {
  const s = map.get(title);
  if (s === undefined) throw new Error(`no fixture article titled ${title}`);
  return s;
}

const at = (iso: string) => new Date(iso);

describe('story clustering on the labelled fixture', () => {
  it('reaches precision >= 0.95 and recall >= 0.85', () => {
    const r = evaluateClustering(fixture);
    expect(r.precision).toBeGreaterThanOrEqual(0.95);
    expect(r.recall).toBeGreaterThanOrEqual(0.85);
  });

  it('groups the same way when the articles go through the store (what eval:stories measures)', async () => {
    const direct = evaluateClustering(fixture);
    const stored = await evaluateThroughStore(fixture);
    expect(stored.precision).toBeGreaterThanOrEqual(0.95);
    expect(stored.recall).toBeGreaterThanOrEqual(0.85);
    expect(pairwiseScores(direct.stories, stored.stories)).toMatchObject({ precision: 1, recall: 1 });
  });

  it('keeps decisive dates, numbers and places apart (hard negatives)', () => {
    const s = storiesByTitle();
    const apart: [string, string][] = [
      ['Giá vàng hôm nay 28/8: Vàng nhẫn tăng mạnh, SJC đứng yên', 'Giá vàng hôm nay 29/8: Vàng nhẫn giảm nhẹ, SJC đứng yên'],
      ['Giá vàng hôm nay 28/8: vàng nhẫn tiếp đà tăng', 'Giá vàng hôm nay 29/8: vàng nhẫn quay đầu giảm'],
      ['Kết quả xổ số miền Bắc ngày 27/8/2024', 'Kết quả xổ số miền Bắc ngày 28/8/2024'],
      ['XSMB 27/8 - Xổ số miền Bắc ngày 27/8', 'XSMB 28/8 - Xổ số miền Bắc ngày 28/8'],
      ['Bão số 5 giật cấp 12 tiến vào vịnh Bắc Bộ', 'Áp thấp nhiệt đới mạnh lên thành bão số 6'],
      ['Bão số 5 mạnh cấp 10, các tỉnh ven biển khẩn trương kêu gọi tàu thuyền vào bờ', 'Bão số 6 hình thành trên Biển Đông, giật cấp 10'],
      ['TP HCM: Hộ nghèo được vay 300 triệu đồng để sửa nhà', 'Hà Nội: Hộ nghèo được vay 300 triệu đồng để sửa nhà'],
    ];
    for (const [a, b] of apart) expect(story(s, a), `${a} ≠ ${b}`).not.toBe(story(s, b));
  });

  it('groups the same event reported by different outlets', () => {
    const s = storiesByTitle();
    const together: [string, string][] = [
      ['Giá vàng hôm nay 28/8: Vàng nhẫn tăng mạnh, SJC đứng yên', 'Giá vàng nhẫn 9999 hôm nay 28/8 tăng 300.000 đồng/lượng'],
      ['Kết quả xổ số miền Bắc ngày 28/8/2024', 'XSMB 28/8 - Xổ số miền Bắc ngày 28/8'],
      ['TP HCM: Hộ nghèo được vay 300 triệu đồng để sửa nhà', 'TP.HCM cho hộ nghèo vay đến 300 triệu đồng sửa chữa nhà ở'],
      ['Cháy chung cư mini ở quận Thanh Xuân, nhiều người mắc kẹt', 'Hà Nội: Cảnh sát giải cứu 20 người trong vụ cháy chung cư mini'],
      ['Tàu cá Quảng Ngãi bị sóng đánh chìm, 5 ngư dân mất tích', 'Chìm tàu cá ở Hoàng Sa, 5 ngư dân Quảng Ngãi mất liên lạc'],
      ['Tuyển Việt Nam thắng Thái Lan 2-1 ở Mỹ Đình', 'Quang Hải tỏa sáng, đội tuyển Việt Nam đánh bại Thái Lan'],
    ];
    for (const [a, b] of together) expect(story(s, a), `${a} = ${b}`).toBe(story(s, b));
  });

  it('treats old and new tone-mark placement in a headline as the same headline', () => {
    const s = storiesByTitle();
    expect(story(s, 'Thuỷ điện Hoà Bình mở thêm cửa xả đáy')).toBe(story(s, 'Thủy điện Hòa Bình mở thêm cửa xả đáy'));
    expect(extractFeatures('Thuỷ điện Hoà Bình mở thêm cửa xả đáy', null).titleKey).toBe(
      extractFeatures('Thủy điện Hòa Bình mở thêm cửa xả đáy', null).titleKey,
    );
  });

  it('joins syndicated copies (identical headline, NFD or Eth variants) without lead', () => {
    const c = createClusterer();
    const a = c.assign({ id: 1, title: 'Đà Nẵng khai mạc lễ hội pháo hoa quốc tế', summary: null, publishedAt: at('2024-06-01T10:00:00+07:00') });
    const b = c.assign({ id: 2, title: 'Đà Nẵng khai mạc lễ hội pháo hoa quốc tế'.normalize('NFD'), summary: null, publishedAt: at('2024-06-01T11:00:00+07:00') });
    const e = c.assign({ id: 3, title: '\u00D0à Nẵng khai mạc lễ hội pháo hoa quốc tế', summary: 'Tối nay, lễ hội khai mạc.', publishedAt: at('2024-06-01T12:00:00+07:00') });
    expect(a.storyId).toBe(1);
    expect(b.storyId).toBe(1);
    expect(b.score).toBe(1);
    expect(e.storyId).toBe(1);
  });

  it('is deterministic: same articles in the same order give the same stories', () => {
    const a = evaluateClustering(fixture);
    const b = evaluateClustering(fixture);
    expect(b.stories).toEqual(a.stories);
    expect(b.decisions).toEqual(a.decisions);
  });
});

describe('clusterer mechanics', () => {
  const doc = (id: number, title: string, summary: string | null, iso: string): ClusterDoc => ({ id, title, summary, publishedAt: at(iso) });

  it('uses the first article id as story id and reports merges, keeping the older story id', () => {
    const c = createClusterer({ mergeThreshold: 0.2 });
    const a = c.assign(doc(10, 'Sạt lở đất vùi lấp nhà dân ở Lào Cai', 'Mưa lớn kéo dài gây sạt lở đất vùi lấp ba ngôi nhà ở xã Ý Tý.', '2024-09-10T08:00:00+07:00'));
    const b = c.assign(doc(11, 'Ý Tý: lực lượng cứu hộ đào bới tìm người mất tích', 'Hàng trăm cán bộ chiến sĩ đang đào bới tìm kiếm các nạn nhân mất tích.', '2024-09-10T09:00:00+07:00'));
    expect(a.storyId).toBe(10);
    expect(b.storyId).toBe(11);
    const m = c.assign(
      doc(
        12,
        'Sạt lở đất ở Ý Tý, Lào Cai: cứu hộ đào bới tìm người mất tích',
        'Sau vụ sạt lở đất vùi lấp ba ngôi nhà ở xã Ý Tý, hàng trăm cán bộ chiến sĩ đang đào bới tìm kiếm các nạn nhân mất tích.',
        '2024-09-10T10:00:00+07:00',
      ),
    );
    expect(m.storyId).toBe(10);
    expect(m.merged).toEqual([11]);
    // later articles of the merged story land in the surviving story
    const d = c.assign(doc(13, 'Ý Tý: lực lượng cứu hộ đào bới tìm người mất tích', null, '2024-09-10T11:00:00+07:00'));
    expect(d.storyId).toBe(10);
  });

  it('only compares articles inside the time window and evicts older ones', () => {
    const c = createClusterer({ windowHours: 72 });
    const title = 'Hội chợ du lịch quốc tế khai mạc tại Hà Nội';
    c.assign(doc(1, title, null, '2024-05-01T09:00:00+07:00'));
    const later = c.assign(doc(2, title, null, '2024-05-05T09:00:00+07:00'));
    expect(later.storyId).toBe(2);
    expect(c.windowSize).toBe(1);
  });

  it('lets backfill outside the window go with the df horizon while the window keeps its own articles counted', () => {
    // A first poll: the newest item sets the clock, then each feed's older items (1–2 windows old)
    // are placed but never held by the window. Only the last dfHorizon of them stay counted.
    const run = (dfHorizon: number) => {
      const c = createClusterer({ windowHours: 72, dfHorizon });
      c.assign(doc(1, 'Khai mạc hội chợ du lịch quốc tế tại Hà Nội', null, '2024-05-10T09:00:00+07:00'));
      for (let i = 0; i < 50; i++) {
        // syllables of its own per article: terms that stay tracked only while it is counted
        const name = `Xyz${i}q Wvu${i}k`;
        c.assign(doc(100 + i, `${name} trình diễn tại lễ hội ${name}`, `Nghệ sĩ ${name} biểu diễn.`, '2024-05-06T09:00:00+07:00'));
      }
      expect(c.windowSize).toBe(1);
      // the article in the window is still counted and still found
      expect(c.assign(doc(200, 'Khai mạc hội chợ du lịch quốc tế tại Hà Nội', null, '2024-05-10T11:00:00+07:00')).storyId).toBe(1);
      return c.termCount;
    };
    expect(run(5)).toBeLessThan(run(100) / 4);
  });

  it('warm-starts from seeded articles', () => {
    const c = createClusterer();
    c.seed(doc(100, 'Khánh thành cầu Rạch Miễu 2 nối Tiền Giang và Bến Tre', 'Sáng nay, cầu Rạch Miễu 2 chính thức thông xe.', '2024-07-01T08:00:00+07:00'), 77);
    const r = c.assign(doc(101, 'Thông xe cầu Rạch Miễu 2 nối Tiền Giang với Bến Tre', 'Cầu Rạch Miễu 2 dài hơn 17 km chính thức thông xe sáng nay.', '2024-07-01T10:00:00+07:00'));
    expect(r.storyId).toBe(77);
    expect(r.matchedId).toBe(100);
  });

  it('never joins a story with a member whose headline conflicts', () => {
    const c = createClusterer();
    c.assign(doc(1, 'Giá xăng E5 giảm 500 đồng từ 15h chiều nay', 'Liên Bộ Công Thương - Tài chính điều chỉnh giá xăng dầu.', '2024-07-01T15:00:00+07:00'));
    const r = c.assign(doc(2, 'Giá xăng E10 giảm 500 đồng từ 15h chiều nay', 'Liên Bộ Công Thương - Tài chính điều chỉnh giá xăng dầu.', '2024-07-01T15:05:00+07:00'));
    expect(r.storyId).toBe(2);
  });
});

describe('features', () => {
  it('is pure and deterministic', () => {
    const a = extractFeatures('Giá vàng hôm nay 28/8', 'Sáng 28/8, giá vàng tăng.');
    const b = extractFeatures('Giá vàng hôm nay 28/8', 'Sáng 28/8, giá vàng tăng.');
    expect(b).toEqual(a);
    expect(a.termIds).toContain(termId('giá vàng'));
    expect(a.termIds).toContain(termId('vàng'));
    expect(a.termIds.every((id) => Number.isSafeInteger(id) && id >= 0)).toBe(true);
    expect(a.signature.dates).toEqual(['28/8']);
  });

  it('describes every term id it extracts', () => {
    const title = 'TP.HCM: Giá vàng hôm nay 28/8 tăng mạnh';
    const lead = 'TTO - Sáng 28/8, giá vàng nhẫn tại TP.HCM tăng 300.000 đồng.';
    const names = describeTerms(title, lead);
    const f = extractFeatures(title, lead);
    for (const id of f.termIds) expect(names.has(id)).toBe(true);
    expect([...names.values()]).toContain('giá vàng');
    expect([...names.values()]).toContain('@hcm');
  });

  it('adds one canonical term for every spelling of a province', () => {
    for (const t of ['TP.HCM mưa lớn', 'TPHCM mưa lớn', 'Sài Gòn mưa lớn', 'TP Hồ Chí Minh mưa lớn']) {
      expect(extractFeatures(t, null).termIds).toContain(termId('@hcm'));
    }
  });

  it.each([
    ['TTO - Sáng 26/8, tâm bão cách đất liền 300km.', 'Sáng 26/8, tâm bão cách đất liền 300km.'],
    ['(Dân trí) - Mở cửa phiên sáng, vàng tăng.', 'Mở cửa phiên sáng, vàng tăng.'],
    ['VOV.VN-Những vấn đề về chính sách.', 'Những vấn đề về chính sách.'],
    ['(TNO) Cuộc thi ảnh lần thứ hai.', 'Cuộc thi ảnh lần thứ hai.'],
    ['(SGGPO). - Ngày 1-11, công an cho biết.', 'Ngày 1-11, công an cho biết.'],
    ['QĐND Online – Chiều 29-10, thông tin từ công ty.', 'Chiều 29-10, thông tin từ công ty.'],
    ['Chiều 23/10 - Quốc hội thảo luận.', 'Chiều 23/10 - Quốc hội thảo luận.'],
    ['Sau nhiều tháng chờ đợi - cuối cùng cũng ra mắt.', 'Sau nhiều tháng chờ đợi - cuối cùng cũng ra mắt.'],
  ])('stripLeadByline(%j)', (lead, expected) => {
    expect(stripLeadByline(lead)).toBe(expected);
  });
});

describe('pairwiseScores', () => {
  it('counts pairs', () => {
    expect(pairwiseScores(['a', 'a', 'b', 'b'], [1, 1, 1, 2])).toMatchObject({ goldPairs: 2, predictedPairs: 3, correctPairs: 1 });
    expect(pairwiseScores(['a', 'b'], [1, 2])).toMatchObject({ precision: 1, recall: 1 });
  });
});
