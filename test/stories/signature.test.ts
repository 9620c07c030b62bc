import { describe, expect, it } from 'vitest';
import { extractFeatures } from '../../src/stories/features.js';
import { vetoReason } from '../../src/stories/signature.js';

const sig = (title: string) => extractFeatures(title, null).signature;

describe('headline vetoes', () => {
  it.each([
    ['Giá vàng hôm nay 28/8', 'Giá vàng hôm nay 29/8', 'date'],
    ['Xổ số miền Bắc ngày 27/8', 'Xổ số miền Bắc ngày 28/8', 'date'],
    ['Lịch cúp điện ngày 27 tháng 8', 'Lịch cúp điện 28/8', 'date'],
    ['Dự toán ngân sách năm 2024', 'Dự toán ngân sách năm 2025', 'year'],
    ['Bão số 5 đổ bộ Quảng Ninh', 'Bão số 6 đổ bộ Quảng Ninh', 'number'],
    ['Giá xăng E5 giảm mạnh', 'Giá xăng E10 giảm mạnh', 'number'],
    ['Vay 300 triệu để làm nhà', 'Vay 500 triệu để làm nhà', 'number'],
    ['TP HCM: Hộ nghèo được vay 300 triệu', 'Hà Nội: Hộ nghèo được vay 300 triệu', 'province'],
    ['TP.HCM: mưa lớn gây ngập', 'Đà Nẵng: mưa lớn gây ngập', 'province'],
    ['Nha Trang đón khách quốc tế', 'Đà Lạt đón khách quốc tế', 'province'],
    ['Xổ số miền Bắc hôm nay', 'Xổ số miền Nam hôm nay', 'region'],
  ])('%s | %s → %s', (a, b, reason) => {
    expect(vetoReason(sig(a), sig(b))).toBe(reason);
    expect(vetoReason(sig(b), sig(a))).toBe(reason);
  });

  it.each([
    ['Giá vàng hôm nay 28/8', 'Giá vàng nhẫn 28/8/2024 tăng mạnh'],
    ['Giá vàng hôm nay 28/8', 'Giá vàng hôm nay tăng mạnh'], // fact in one headline only
    ['TP HCM: mưa lớn', 'TP.HCM mưa lớn'],
    ['TPHCM: mưa lớn', 'Sài Gòn mưa lớn'],
    ['Mưa đá ở Biên Hòa', 'Mưa đá ở Đồng Nai'], // city within its province
    ['Giải Nobel Hòa bình 2024', 'Giải Nobel hòa bình được trao'], // "hòa bình" (peace) is not the province
    ['Bão số 5 giật cấp 12', 'Bão số 5 đổ bộ Quảng Ninh'],
    ['Vay 10.000 tỉ đồng', 'Vay 10000 tỉ đồng'],
    ['6 người chết vì sạt lở', 'Sạt lở làm 6 người chết'],
    ['Việt Nam thắng Thái Lan 2-1', 'Tuyển Việt Nam thắng Thái Lan'],
  ])('%s | %s → no veto', (a, b) => {
    expect(vetoReason(sig(a), sig(b))).toBeNull();
  });
});
