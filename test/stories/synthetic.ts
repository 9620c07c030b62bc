/**
 * Deterministic synthetic Vietnamese-like articles for load tests.
 *
 * Syllables are generated from onsets × rhymes × tones (a few thousand, like
 * the real inventory) and combined into a lexicon of mostly two-syllable
 * words; running text draws words from a Zipf distribution, and each article
 * mixes in words of one of many topics (names, places), so postings lengths
 * and candidate counts resemble a real news stream.
 */
import type { ClusterDoc } from '../../src/stories/cluster.js';

const ONSETS = ['', 'b', 'c', 'ch', 'd', 'đ', 'g', 'gi', 'h', 'k', 'kh', 'l', 'm', 'n', 'ng', 'nh', 'ph', 'qu', 'r', 's', 't', 'th', 'tr', 'v', 'x'];
const RHYMES = [
  'a', 'ai', 'am', 'an', 'ang', 'anh', 'ao', 'at', 'ac', 'ach', 'ăn', 'ăng', 'âm', 'ân', 'âu', 'ây', 'e', 'em', 'en', 'eo',
  'ê', 'êm', 'ên', 'ênh', 'i', 'im', 'in', 'inh', 'iêu', 'iên', 'o', 'oi', 'om', 'on', 'ong', 'ô', 'ôi', 'ông', 'ơ', 'ơi',
  'u', 'ui', 'um', 'un', 'ung', 'ư', 'ưa', 'ưng', 'ươi', 'ương',
];
const TONES = ['', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function inventory(): string[] {
  const out: string[] = [];
  for (const o of ONSETS) {
    for (const r of RHYMES) {
      for (const t of TONES) {
        // tone on the first vowel letter is good enough for a synthetic corpus
        const i = r.search(/[aăâeêioôơuưy]/);
        out.push((o + r.slice(0, i + 1) + t + r.slice(i + 1)).normalize('NFC'));
      }
    }
  }
  return out;
}

/** `count` articles spread evenly over `hours`, in time order, ids 1..count. */
export function syntheticArticles(count: number, hours: number, seed = 42): ClusterDoc[] {
  const rand = rng(seed);
  const syllables = inventory();
  const syllable = (): string => syllables[Math.floor(rand() * syllables.length)];
  const vocab: string[] = [];
  for (let i = 0; i < 30_000; i++) {
    const x = rand();
    vocab.push(x < 0.2 ? syllable() : x < 0.9 ? `${syllable()} ${syllable()}` : `${syllable()} ${syllable()} ${syllable()}`);
  }
  const cum: number[] = [];
  let total = 0;
  for (let r = 1; r <= vocab.length; r++) cum.push((total += 1 / r));
  const zipf = (): string => {
    const x = rand() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return vocab[lo];
  };
  const uniform = (): string => `${syllable()} ${syllable()}`;
  const topics: string[][] = [];
  const topicCount = Math.max(10, Math.floor(count / 4));
  for (let i = 0; i < topicCount; i++) {
    const words: string[] = [];
    for (let k = 0; k < 4; k++) words.push(uniform());
    topics.push(words);
  }
  const start = Date.UTC(2024, 7, 1);
  const out: ClusterDoc[] = [];
  for (let i = 0; i < count; i++) {
    const topic = topics[Math.floor(rand() * topics.length)];
    const text = (len: number, topicShare: number): string => {
      const w: string[] = [];
      while (w.length < len) w.push(rand() < topicShare ? topic[Math.floor(rand() * topic.length)] : zipf());
      return w.join(' ');
    };
    const title = text(6, 0.3);
    out.push({
      id: i + 1,
      title: title[0].toUpperCase() + title.slice(1),
      summary: text(22, 0.1) + '.',
      publishedAt: new Date(start + Math.floor((i / count) * hours * 3_600_000)),
    });
  }
  return out;
}
