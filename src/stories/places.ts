/**
 * A small gazetteer of Vietnamese provinces, centrally-run cities, major
 * cities/districts (mapped to their province) and macro-regions, used to veto
 * merging two headlines that name different places ("TP HCM: …" vs "Hà Nội: …").
 *
 * Names are matched on accent-folded syllable tokens; every syllable of the
 * name proper must be capitalised in the headline (so "hòa bình" = peace is
 * not the province Hòa Bình), except generic prefixes such as "tp", "tỉnh",
 * "thành phố", "miền".
 */
import { TOKEN_CAPITALIZED } from '../text/tokenize.js';

/** Province id → names (first one is the canonical display name). */
const PROVINCES: Record<string, string[]> = {
  hanoi: ['Hà Nội', 'HN', 'Ba Đình', 'Hoàn Kiếm', 'Đống Đa', 'Cầu Giấy', 'Long Biên', 'Hà Đông', 'Thanh Xuân', 'Tây Hồ', 'Hai Bà Trưng', 'Sóc Sơn', 'Linh Đàm'],
  hcm: ['TP HCM', 'TPHCM', 'HCM', 'TP Hồ Chí Minh', 'Thành phố Hồ Chí Minh', 'Sài Gòn', 'Thủ Đức', 'Củ Chi', 'Cần Giờ', 'Bình Thạnh', 'Gò Vấp', 'Tân Bình', 'Hóc Môn'],
  haiphong: ['Hải Phòng'],
  danang: ['Đà Nẵng'],
  cantho: ['Cần Thơ'],
  angiang: ['An Giang', 'Long Xuyên', 'Châu Đốc'],
  baria: ['Bà Rịa Vũng Tàu', 'Bà Rịa', 'Vũng Tàu', 'BR VT', 'Côn Đảo'],
  bacgiang: ['Bắc Giang'],
  backan: ['Bắc Kạn', 'Bắc Cạn'],
  baclieu: ['Bạc Liêu'],
  bacninh: ['Bắc Ninh'],
  bentre: ['Bến Tre'],
  binhdinh: ['Bình Định', 'Quy Nhơn', 'Qui Nhơn'],
  binhduong: ['Bình Dương', 'Thủ Dầu Một'],
  binhphuoc: ['Bình Phước'],
  binhthuan: ['Bình Thuận', 'Phan Thiết'],
  camau: ['Cà Mau'],
  caobang: ['Cao Bằng'],
  daklak: ['Đắk Lắk', 'Đắc Lắc', 'Đăk Lăk', 'Daklak', 'Buôn Ma Thuột', 'Buôn Mê Thuột'],
  daknong: ['Đắk Nông', 'Đắc Nông', 'Đăk Nông'],
  dienbien: ['Điện Biên'],
  dongnai: ['Đồng Nai', 'Biên Hòa'],
  dongthap: ['Đồng Tháp', 'Cao Lãnh', 'Sa Đéc'],
  gialai: ['Gia Lai', 'Pleiku'],
  hagiang: ['Hà Giang'],
  hanam: ['Hà Nam', 'Phủ Lý'],
  hatinh: ['Hà Tĩnh'],
  haiduong: ['Hải Dương'],
  haugiang: ['Hậu Giang'],
  hoabinh: ['Hòa Bình'],
  hungyen: ['Hưng Yên'],
  khanhhoa: ['Khánh Hòa', 'Nha Trang', 'Cam Ranh'],
  kiengiang: ['Kiên Giang', 'Phú Quốc', 'Rạch Giá'],
  kontum: ['Kon Tum', 'Kontum'],
  laichau: ['Lai Châu'],
  lamdong: ['Lâm Đồng', 'Đà Lạt', 'Bảo Lộc'],
  langson: ['Lạng Sơn'],
  laocai: ['Lào Cai', 'Sa Pa', 'Sapa'],
  longan: ['Long An'],
  namdinh: ['Nam Định'],
  nghean: ['Nghệ An'],
  ninhbinh: ['Ninh Bình'],
  ninhthuan: ['Ninh Thuận', 'Phan Rang'],
  phutho: ['Phú Thọ', 'Việt Trì'],
  phuyen: ['Phú Yên', 'Tuy Hòa'],
  quangbinh: ['Quảng Bình', 'Đồng Hới'],
  quangnam: ['Quảng Nam', 'Hội An', 'Tam Kỳ'],
  quangngai: ['Quảng Ngãi'],
  quangninh: ['Quảng Ninh', 'Hạ Long', 'Móng Cái', 'Cẩm Phả'],
  quangtri: ['Quảng Trị'],
  soctrang: ['Sóc Trăng'],
  sonla: ['Sơn La'],
  tayninh: ['Tây Ninh'],
  thaibinh: ['Thái Bình'],
  thainguyen: ['Thái Nguyên'],
  thanhhoa: ['Thanh Hóa'],
  thuathienhue: ['Thừa Thiên Huế', 'Huế'],
  tiengiang: ['Tiền Giang', 'Mỹ Tho'],
  travinh: ['Trà Vinh'],
  tuyenquang: ['Tuyên Quang'],
  vinhlong: ['Vĩnh Long'],
  vinhphuc: ['Vĩnh Phúc'],
  yenbai: ['Yên Bái'],
};

/** Region id → names. */
const REGIONS: Record<string, string[]> = {
  north: ['miền Bắc', 'Bắc Bộ'],
  central: ['miền Trung', 'Trung Bộ', 'Bắc Trung Bộ', 'Nam Trung Bộ'],
  south: ['miền Nam', 'Nam Bộ', 'Tây Nam Bộ', 'ĐBSCL', 'Đồng bằng sông Cửu Long', 'miền Tây'],
  highlands: ['Tây Nguyên'],
  northwest: ['Tây Bắc'],
};

/** Syllables that need not be capitalised inside a place name. */
const GENERIC = new Set(['tp', 'thanh', 'pho', 'tinh', 'mien', 'song', 'bang']);

interface Entry {
  tokens: string[];
  needCaps: boolean[];
  id: string;
}

function foldName(name: string): string[] {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .split(/[\s.\-–]+/)
    .filter((t) => t.length > 0);
}

function buildIndex(table: Record<string, string[]>): Map<string, Entry[]> {
  const index = new Map<string, Entry[]>();
  for (const [id, names] of Object.entries(table)) {
    for (const name of names) {
      const tokens = foldName(name);
      const entry: Entry = { tokens, needCaps: tokens.map((t) => !GENERIC.has(t)), id };
      const list = index.get(tokens[0]) ?? [];
      list.push(entry);
      list.sort((a, b) => b.tokens.length - a.tokens.length); // longest match first
      index.set(tokens[0], list);
    }
  }
  return index;
}

const provinceIndex = buildIndex(PROVINCES);
const regionIndex = buildIndex(REGIONS);

function scan(index: Map<string, Entry[]>, folded: readonly string[], flags: readonly number[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < folded.length; i++) {
    const list = index.get(folded[i]);
    if (!list) continue;
    for (const e of list) {
      const n = e.tokens.length;
      if (i + n > folded.length) continue;
      let ok = true;
      for (let k = 0; k < n && ok; k++) {
        if (folded[i + k] !== e.tokens[k]) ok = false;
        else if (e.needCaps[k] && (flags[i + k] & TOKEN_CAPITALIZED) === 0) ok = false;
      }
      if (ok) {
        if (!found.includes(e.id)) found.push(e.id);
        i += n - 1;
        break;
      }
    }
  }
  return found;
}

/**
 * Province ids named in a token sequence.
 * @param folded accent-folded tokens (see `foldToken`)
 * @param flags token flags from `scanTokens` (capitalisation)
 */
export function findProvinces(folded: readonly string[], flags: readonly number[]): string[] {
  return scan(provinceIndex, folded, flags);
}

/** Whether an accent-folded syllable can start a province name (cheap pre-check before `findProvinces`). */
export function startsProvinceName(folded: string): boolean {
  return provinceIndex.has(folded);
}

/** Whether an accent-folded syllable can start a region name. */
export function startsRegionName(folded: string): boolean {
  return regionIndex.has(folded);
}

/** Region ids ("north", "central", "south", …) named in a token sequence. */
export function findRegions(folded: readonly string[], flags: readonly number[]): string[] {
  return scan(regionIndex, folded, flags);
}
