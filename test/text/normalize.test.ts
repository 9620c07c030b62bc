import { describe, expect, it } from 'vitest';
import { foldAccents, toFoldedKey } from '../../src/text/fold.js';
import { normalizeDisplay, toMatchKey } from '../../src/text/normalize.js';
import { canonicalSyllable } from '../../src/text/tone.js';

const nfd = (s: string) => s.normalize('NFD');

describe('toMatchKey: tone-mark placement and case are unified', () => {
  it.each([
    ['hoà', 'hòa'],
    ['thuỷ', 'thủy'],
    ['uý', 'úy'],
    ['khoẻ', 'khỏe'],
    ['hoá', 'hóa'],
    ['Hoà Bình', 'hòa bình'],
    ['Thuỷ điện', 'Thủy điện'],
    ['THUỶ ĐIỆN', 'thủy điện'],
    ['quý', 'quí'], // y/i spelling variant after an onset
    ['Bác sỹ', 'bác sĩ'],
    ['kỹ thuật', 'kĩ thuật'],
    [nfd('Đà Nẵng'), 'Đà Nẵng'], // NFD input
    ['\u00D0à Nẵng', 'Đà Nẵng'], // Eth U+00D0 typed for Đ
    ['\u00F0à', 'đà'], // lower-case eth
    ['Đà\u200B Nẵng\u00AD', 'Đà Nẵng'], // zero-width space, soft hyphen
    ['Hà\uFEFF Nội\u2060', 'Hà Nội'],
    ['ngươì', 'người'], // misplaced mark (typing error)
    ['Hà Nôị', 'Hà Nội'],
    ['chiêù', 'chiều'],
    [nfd('Khoẻ'), 'khỏe'],
  ])('%s == %s', (a, b) => {
    expect(toMatchKey(a)).toBe(toMatchKey(b));
  });

  it.each([
    ['già', 'già'], // gi onset: the mark stays on a
    ['giữ', 'giữ'],
    ['giặt', 'giặt'],
    ['gìn', 'gìn'], // lone i after g keeps the mark
    ['quả', 'quả'], // qu onset: never on the u
    ['quà', 'quà'],
    ['quốc', 'quốc'],
    ['quyết', 'quyết'],
    ['quỳnh', 'quỳnh'],
    ['quý', 'quí'],
    ['người', 'người'], // ươ: on ơ
    ['mưa', 'mưa'],
    ['cửa', 'cửa'],
    ['hoàn', 'hoàn'], // closed syllable: on the last vowel
    ['toán', 'toán'],
    ['huỳnh', 'huỳnh'],
    ['hoà', 'hòa'], // open: on the first of two
    ['thuỷ', 'thủy'],
    ['mía', 'mía'],
    ['ngoái', 'ngoái'], // three vowels: middle
    ['khuỷu', 'khuỷu'],
    ['ý', 'ý'], // initial y stays y
    ['yêu', 'yêu'],
    ['café', 'café'], // not a Vietnamese syllable: untouched
    ['putin', 'putin'],
  ])('canonicalSyllable(%s) = %s', (input, expected) => {
    expect(canonicalSyllable(input.normalize('NFC'))).toBe(expected.normalize('NFC'));
  });

  it('keeps distinct words distinct', () => {
    expect(toMatchKey('bão')).not.toBe(toMatchKey('bảo'));
    expect(toMatchKey('thủy')).not.toBe(toMatchKey('thùy'));
    expect(toMatchKey('hoà')).not.toBe(toMatchKey('hoá'));
  });
});

describe('accent folding', () => {
  it.each([
    ['Đà Nẵng', 'da nang'],
    ['xăng E10', 'xang e10'],
    ['Thuỷ điện', 'thuy dien'],
    ['Thủy điện', 'thuy dien'],
    ['\u00D0à Nẵng', 'da nang'],
    [nfd('Đà Nẵng'), 'da nang'],
    ['Hà\u200B Nội', 'ha noi'],
    ['Người Việt', 'nguoi viet'],
  ])('foldAccents(%s) = %s', (input, expected) => {
    expect(foldAccents(input)).toBe(expected);
  });

  it('keeps punctuation in foldAccents, drops it in toFoldedKey', () => {
    expect(foldAccents('Đà Nẵng: mưa lớn!')).toBe('da nang: mua lon!');
    expect(toFoldedKey('Đà Nẵng: mưa lớn!')).toBe('da nang mua lon');
  });

  it('"thuy dien" matches both spellings of Thuỷ/Thủy điện', () => {
    const query = toFoldedKey('thuy dien');
    for (const title of ['Thuỷ điện Hoà Bình xả lũ', 'Thủy điện Hòa Bình xả lũ', 'THUỶ ĐIỆN xả lũ']) {
      expect(toFoldedKey(title)).toContain(query);
    }
  });

  it('folds without relying on Unicode decomposition of đ', () => {
    expect(foldAccents('đường Điện Biên Phủ')).toBe('duong dien bien phu');
  });
});

describe('normalizeDisplay', () => {
  it('returns NFC text without zero-width characters, keeping case and punctuation', () => {
    expect(normalizeDisplay(nfd('Hoà Bình: Thuỷ điện\u200B xả lũ'))).toBe('Hoà Bình: Thuỷ điện xả lũ'.normalize('NFC'));
  });
  it('does not move tone marks (display text stays as published)', () => {
    expect(normalizeDisplay('hoà')).toBe('hoà');
  });
});
