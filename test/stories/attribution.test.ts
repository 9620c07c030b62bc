import { describe, expect, it } from 'vitest';
import { detectOriginalOutlet } from '../../src/stories/attribution.js';

describe('detectOriginalOutlet', () => {
  const body = 'Chiều 28/8, lực lượng chức năng đã khống chế đám cháy sau hơn hai giờ. Không có thiệt hại về người.';
  it.each([
    ['author and outlet in parentheses', `${body}\nTheo Hoàng Anh (Dân trí)`, 'Dân trí'],
    ['author and outlet, trailing period', `${body}\n\nTheo Minh Anh (VOV.VN).`, 'VOV.VN'],
    ['outlet only on its own line', `${body}\nTheo VnExpress`, 'VnExpress'],
    ['outlet in parentheses at the end of a paragraph', `${body} (Theo TTXVN)`, 'TTXVN'],
    ['outlet after the last sentence', `${body} Theo Tuổi Trẻ`, 'Tuổi Trẻ'],
    ['Nguồn line', `${body}\nNguồn: Thanh Niên`, 'Thanh Niên'],
    ['Nguồn tin with spaces before the colon', `${body}\nNguồn tin : Reuters`, 'Reuters'],
    ['domain as outlet', `${body}\nNguồn: vietnamnet.vn`, 'vietnamnet.vn'],
    ['trailing whitespace and zero-width space', `${body}\nTheo Zing News \u200B \n  `, 'Zing News'],
    ['NFD input', `${body}\nTheo Tuổi Trẻ`.normalize('NFD'), 'Tuổi Trẻ'],
    ['several outlets', `${body}\nTheo Reuters, AFP`, 'Reuters, AFP'],
  ])('%s', (_name, text, expected) => {
    expect(detectOriginalOutlet(text)).toBe(expected);
  });

  it.each([
    ['no credit line', body],
    ['empty text', ''],
    ['"Theo quy định" inside the body', `Theo quy định, các cửa hàng phải đóng cửa trước 22h. ${body}`],
    ['"Theo Bộ Y tế" as a source of information', `${body}\nTheo Bộ Y tế, số ca mắc mới giảm 20% so với tuần trước.`],
    ['"Theo đó" at the end', `${body} Theo đó`],
    ['long sentence after Theo', `${body}\nTheo kết quả khảo sát của nhiều tổ chức quốc tế và trong nước thì chỉ số này tăng mạnh`],
    ['lower-case phrase', `${body}\nNguồn: không rõ ràng`],
  ])('%s → null', (_name, text) => {
    expect(detectOriginalOutlet(text)).toBeNull();
  });
});
