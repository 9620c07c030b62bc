/**
 * Synthetic Vietnamese news for the ingest benchmark: headlines and leads whose word statistics
 * look like a news stream, so story clustering sees realistic candidate counts.
 *
 * - Vocabulary: a few thousand syllables built from onsets × rhymes × tones, ranked by a seeded
 *   shuffle and drawn with Zipf frequencies (s ≈ 1), topped by real high-frequency news words.
 *   Words are one or two syllables (compounds recur, so bigrams repeat as they do in Vietnamese).
 * - Events: each hour of a stream has a number of shared events (Zipf-sized: a few big stories
 *   covered by many outlets, most by two or three) and every item either reports one of them —
 *   with its own framing, word order, omissions and the event's numbers, date and place — or is
 *   a story of its own. Items of one event published in one hour form a true story.
 * - Numbers and dates as headlines carry them: "12 người", "300 tỷ đồng", "ngày 26/11", "2026".
 *
 * Everything is a pure function of (stream, outlet, minute, sequence): feeds, the cached
 * databases and repeated runs see the same text.
 */

const ONSETS = ['', 'b', 'c', 'ch', 'd', 'đ', 'g', 'gi', 'h', 'k', 'kh', 'l', 'm', 'n', 'ng', 'nh', 'ph', 'qu', 'r', 's', 't', 'th', 'tr', 'v', 'x'];
/** Rhymes with the position of the vowel that carries the tone mark. */
const RHYMES: [string, number][] = [
  ['a', 0], ['ai', 0], ['am', 0], ['an', 0], ['ang', 0], ['anh', 0], ['ao', 0], ['au', 0], ['ay', 0], ['ăm', 0], ['ăn', 0], ['ăng', 0],
  ['âm', 0], ['ân', 0], ['âu', 0], ['ây', 0], ['e', 0], ['em', 0], ['en', 0], ['eo', 0], ['ê', 0], ['êm', 0], ['ên', 0], ['ênh', 0],
  ['i', 0], ['im', 0], ['in', 0], ['inh', 0], ['iêm', 1], ['iên', 1], ['iêu', 1], ['o', 0], ['oa', 1], ['oai', 1], ['oan', 1], ['oang', 1],
  ['oanh', 1], ['oi', 0], ['om', 0], ['on', 0], ['ong', 0], ['ô', 0], ['ôi', 0], ['ôm', 0], ['ôn', 0], ['ông', 0], ['ơ', 0], ['ơi', 0],
  ['ơn', 0], ['u', 0], ['ui', 0], ['um', 0], ['un', 0], ['ung', 0], ['uy', 1], ['uyên', 2], ['ư', 0], ['ưa', 0], ['ưi', 0], ['ươi', 1],
  ['ươn', 1], ['ương', 1], ['ưu', 0], ['ưng', 0], ['ac', 0], ['at', 0], ['ach', 0], ['ap', 0], ['ăc', 0], ['ăt', 0], ['âc', 0], ['ât', 0],
  ['ôc', 0], ['ôt', 0], ['ong', 0], ['uc', 0], ['ut', 0], ['ưc', 0], ['ươc', 1], ['ươt', 1], ['iêt', 1], ['ich', 0], ['it', 0], ['ep', 0],
];
/** Tone forms of each base vowel: level, grave, hook, tilde, acute, dot. */
const TONES: Record<string, string> = {
  a: 'aàảãáạ', ă: 'ăằẳẵắặ', â: 'âầẩẫấậ', e: 'eèẻẽéẹ', ê: 'êềểễếệ', i: 'iìỉĩíị', o: 'oòỏõóọ', ô: 'ôồổỗốộ', ơ: 'ơờởỡớợ', u: 'uùủũúụ', ư: 'ưừửữứự', y: 'yỳỷỹýỵ',
};
const STOP_FINAL = /[ctp]$|ch$/;

/** Real high-frequency words of Vietnamese news, at the top of the Zipf ranking. */
const COMMON_WORDS = (
  'người,năm,ngày,tỉnh,người dân,nước,thành phố,công ty,tiền,giá,vàng,bão,mưa lớn,lũ,học sinh,đại học,bóng đá,đội tuyển,' +
  'chính phủ,thủ tướng,bộ trưởng,quốc hội,luật,đất đai,thuế,doanh nghiệp,xuất khẩu,ngân hàng,lãi suất,chứng khoán,bất động sản,' +
  'dự án,cao tốc,sân bay,bệnh viện,y tế,công an,tai nạn,giao thông,xe máy,ô tô,cháy,nhà,vụ án,du lịch,lễ hội,thời tiết,' +
  'nắng nóng,công nghệ,điện thoại,trí tuệ nhân tạo,giáo dục,sức khỏe,xăng dầu,điện,mới,lớn,nhiều,đầu tiên,hàng nghìn,trẻ em,phụ nữ'
).split(',');
const COMMON = COMMON_WORDS.flatMap((w) => w.split(' '));

const FRAMES = ['Toàn cảnh', 'Clip:', 'Video:', 'Vụ', 'Nóng:', 'Chùm ảnh:', 'Cận cảnh', 'Diễn biến mới', 'Vì sao', 'Bất ngờ'];
const VERBS = ['tăng', 'giảm', 'bắt', 'khởi tố', 'công bố', 'phát hiện', 'đề xuất', 'yêu cầu', 'xử phạt', 'thông qua', 'khởi công', 'hoãn', 'lập', 'cảnh báo', 'hỗ trợ', 'điều tra', 'giải cứu', 'thắng', 'thua', 'ký'];
const UNITS = ['người', 'tỷ đồng', 'triệu đồng', 'ha', 'km', 'căn hộ', 'xe', 'học sinh', 'bệnh nhân', 'điểm', 'tấn', 'USD'];
const PLACES = ['Hà Nội', 'TP HCM', 'Đà Nẵng', 'Hải Phòng', 'Cần Thơ', 'Nghệ An', 'Thanh Hóa', 'Quảng Nam', 'Khánh Hòa', 'Lâm Đồng', 'Đồng Nai', 'Bình Dương', 'Quảng Ninh', 'Huế', 'Gia Lai', 'Kiên Giang', 'Lào Cai', 'Hà Tĩnh', 'Bắc Ninh', 'Long An'];
const LEAD_TAILS = ['theo thông tin ban đầu', 'chiều cùng ngày', 'lực lượng chức năng đã có mặt', 'người dân cho biết', 'cơ quan chức năng đang làm rõ', 'sáng nay'];

/** Deterministic 32-bit PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p & 0xffff), 0x01000193);
    h = Math.imul(h ^ (p >>> 16), 0x01000193);
  }
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995);
  return (h ^ (h >>> 15)) >>> 0;
}

function toned(rhyme: string, at: number, tone: number): string {
  const chars = [...rhyme];
  const forms = TONES[chars[at]];
  if (forms) chars[at] = [...forms][tone];
  return chars.join('');
}

function buildSyllables(): string[] {
  const out = new Set<string>(COMMON);
  for (const onset of ONSETS) {
    for (const [rhyme, at] of RHYMES) {
      // stop-final rhymes take only acute or dot tones
      const tones = STOP_FINAL.test(rhyme) ? [4, 5] : [0, 1, 2, 3, 4, 5];
      for (const tone of tones) out.add(onset + toned(rhyme, at, tone));
    }
  }
  const all = [...out];
  const common = all.slice(0, new Set(COMMON).size);
  const rest = all.slice(common.length);
  const r = rng(17);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [rest[i], rest[j]] = [rest[j], rest[i]];
  }
  return [...common, ...rest.slice(0, 3_000)];
}

/** Zipf sampler over ranks 0..n-1 (inverse CDF, binary search). */
function zipf(n: number, s: number): (u: number) => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / Math.pow(k + 1, s);
  for (let k = 0; k < n; k++) cdf[k] /= sum;
  return (u) => {
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const SYLLABLES = buildSyllables();
/** Lexicon of words (one or two syllables), ranked; word k is drawn with Zipf frequency. */
const WORDS: string[] = (() => {
  const pick = zipf(SYLLABLES.length, 0.9);
  const r = rng(29);
  const words = new Set<string>();
  for (const w of COMMON_WORDS) words.add(w);
  while (words.size < 8_000) {
    const a = SYLLABLES[pick(r())];
    words.add(r() < 0.65 ? `${a} ${SYLLABLES[pick(r())]}` : a);
  }
  return [...words];
})();
const pickWord = zipf(WORDS.length, 1.0);

export interface NewsItem {
  title: string;
  summary: string;
  /** Shared event this item reports, or null for a story of its own. */
  event: string | null;
}

export interface NewsStreamOptions {
  /** Namespace: streams with different names share no events. */
  stream: string;
  /** Items per hour across all outlets of the stream (sets how many events an hour has). */
  itemsPerHour: number;
  /** Share of items that report a shared event (the rest are stories of their own). */
  shared?: number;
  /** Mean outlets per shared event. */
  reportersPerEvent?: number;
}

interface Event {
  subject: string[];
  object: string[];
  verb: string;
  place: string | null;
  count: number | null;
  unit: string;
  date: string | null;
  extra: string[];
}

function makeEvent(seed: number, hourMs: number): Event {
  const r = rng(seed);
  const words = (n: number) => Array.from({ length: n }, () => WORDS[pickWord(r())]);
  const when = new Date(hourMs);
  return {
    subject: words(2 + Math.floor(r() * 2)),
    object: words(2 + Math.floor(r() * 3)),
    verb: VERBS[Math.floor(r() * VERBS.length)],
    place: r() < 0.45 ? PLACES[Math.floor(r() * PLACES.length)] : null,
    count: r() < 0.4 ? [2, 3, 5, 7, 10, 12, 15, 20, 30, 50, 100, 120, 300, 500, 1000][Math.floor(r() * 15)] : null,
    unit: UNITS[Math.floor(r() * UNITS.length)],
    date: r() < 0.15 ? `${when.getUTCDate()}/${when.getUTCMonth() + 1}` : null,
    extra: words(3),
  };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** One outlet's headline and lead for an event: its own framing, order and omissions. */
function render(e: Event, variant: number): { title: string; summary: string } {
  const r = rng(variant);
  const parts: string[] = [];
  const subject = e.subject.join(' ');
  const object = (r() < 0.25 ? e.object.slice(0, -1) : e.object).join(' ') || e.object[0];
  const amount = e.count !== null && r() < 0.85 ? `${e.count} ${e.unit}` : null;
  const date = e.date !== null && r() < 0.8 ? `ngày ${e.date}` : null;
  const extra = r() < 0.5 ? e.extra.slice(0, 1 + Math.floor(r() * 2)).join(' ') : null;
  const shape = Math.floor(r() * 4);
  if (r() < 0.15) parts.push(FRAMES[Math.floor(r() * FRAMES.length)]);
  if (e.place && shape === 0) parts.push(`${e.place}:`);
  if (shape === 1 && amount) parts.push(amount, object, e.verb, subject);
  else parts.push(subject, e.verb, ...(amount ? [amount] : []), object);
  if (extra) parts.push(extra);
  if (e.place && shape !== 0 && r() < 0.6) parts.push('ở', e.place);
  if (date) parts.push(date);
  const title = capitalise(parts.join(' '));
  const lead: string[] = [];
  if (e.place) lead.push(`(${e.place})`);
  lead.push(capitalise(subject), e.verb, object, ...e.extra);
  if (amount) lead.push(amount);
  lead.push(LEAD_TAILS[Math.floor(r() * LEAD_TAILS.length)] + ',');
  for (let i = 0, n = 6 + Math.floor(r() * 10); i < n; i++) lead.push(WORDS[pickWord(r())]);
  return { title, summary: lead.join(' ') + '.' };
}

export interface NewsStream {
  /** The item an outlet publishes at time `publishedAt` (ms); `seq` tells apart items of one outlet. */
  item(outlet: number, seq: number, publishedAt: number): NewsItem;
}

export function newsStream(options: NewsStreamOptions): NewsStream {
  const shared = options.shared ?? 0.4;
  const reporters = options.reportersPerEvent ?? 4;
  const eventsPerHour = Math.max(1, Math.round((options.itemsPerHour * shared) / reporters));
  const pickEvent = zipf(eventsPerHour, 0.8);
  const ns = hash(...[...options.stream].map((c) => c.charCodeAt(0)));
  const cache = new Map<string, Event>();
  return {
    item(outlet, seq, publishedAt) {
      const hour = Math.floor(publishedAt / 3_600_000);
      const r = rng(hash(ns, outlet, seq));
      if (r() < shared) {
        const j = pickEvent(r());
        const key = `${options.stream}:${hour}:${j}`;
        let e = cache.get(key);
        if (!e) {
          if (cache.size > 4_096) cache.clear();
          e = makeEvent(hash(ns, hour, j, 1), hour * 3_600_000);
          cache.set(key, e);
        }
        return { ...render(e, hash(ns, outlet, seq, 2)), event: key };
      }
      return { ...render(makeEvent(hash(ns, outlet, seq, 3), hour * 3_600_000), hash(ns, outlet, seq, 4)), event: null };
    },
  };
}
