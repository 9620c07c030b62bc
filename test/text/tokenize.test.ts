import { describe, expect, it } from 'vitest';
import { scanTokens, syllableNgrams, TOKEN_CAPITALIZED, TOKEN_NUMERIC, tokenizeSyllables } from '../../src/text/tokenize.js';

describe('tokenizeSyllables', () => {
  it.each([
    ['Giá vàng hôm nay 28/8', ['giá', 'vàng', 'hôm', 'nay', '28/8']],
    ['Lãi suất tăng 1,6% trong quý', ['lãi', 'suất', 'tăng', '1,6', 'trong', 'quí']],
    ['127 người, 300 triệu đồng', ['127', 'người', '300', 'triệu', 'đồng']],
    ['Xăng E10 sắp bán', ['xăng', 'e10', 'sắp', 'bán']],
    ['U-21 Việt Nam thắng 3-0', ['u21', 'việt', 'nam', 'thắng', '3-0']],
    ['Chuyến bay MH-17', ['chuyến', 'bay', 'mh17']],
    ['10.000 người dự; 19:30 bắt đầu', ['10.000', 'người', 'dự', '19:30', 'bắt', 'đầu']],
    ['“Hiệp sĩ” Bình Dương: bắt trộm!', ['hiệp', 'sĩ', 'bình', 'dương', 'bắt', 'trộm']],
    ['TP.HCM - Sài Gòn', ['tp', 'hcm', 'sài', 'gòn']],
    ['năm 2013.', ['năm', '2013']],
    ['Thuỷ\u00A0điện\tHoà Bình', ['thủy', 'điện', 'hòa', 'bình']],
    ['Covid-19 và F0', ['covid19', 'và', 'f0']],
    ['', []],
    ['  ...  ', []],
  ])('%j', (text, expected) => {
    expect(tokenizeSyllables(text)).toEqual(expected);
  });

  it('flags numeric and capitalised tokens', () => {
    const { keys, flags } = scanTokens('Bão số 5 đổ bộ Hà Nội');
    expect(keys).toEqual(['bão', 'số', '5', 'đổ', 'bộ', 'hà', 'nội']);
    expect(flags.map((f) => (f & TOKEN_NUMERIC) !== 0)).toEqual([false, false, true, false, false, false, false]);
    expect(flags.map((f) => (f & TOKEN_CAPITALIZED) !== 0)).toEqual([true, false, false, false, false, true, true]);
  });
});

describe('syllableNgrams', () => {
  it('builds contiguous n-grams', () => {
    const t = ['giá', 'vàng', 'hôm', 'nay'];
    expect(syllableNgrams(t, 1)).toEqual(t);
    expect(syllableNgrams(t, 2)).toEqual(['giá vàng', 'vàng hôm', 'hôm nay']);
    expect(syllableNgrams(t, 3)).toEqual(['giá vàng hôm', 'vàng hôm nay']);
    expect(syllableNgrams(t, 5)).toEqual([]);
  });
  it('rejects n < 1', () => {
    expect(() => syllableNgrams(['a'], 0)).toThrow(RangeError);
  });
});
