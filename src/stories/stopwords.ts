/**
 * Vietnamese function words (match-key form: lower case, canonical tone
 * placement). They carry no topic; dropping them as unigrams keeps similarity
 * meaningful while document frequencies are still young (few documents seen).
 */
export const STOPWORDS: ReadonlySet<string> = new Set([
  'và', 'của', 'là', 'có', 'được', 'cho', 'với', 'trong', 'các', 'những', 'một', 'đã', 'sẽ', 'đang',
  'này', 'đó', 'khi', 'thì', 'mà', 'để', 'từ', 'tại', 'về', 'theo', 'vào', 'ra', 'lên', 'xuống',
  'không', 'như', 'bị', 'do', 'sau', 'trên', 'dưới', 'đến', 'cũng', 'còn', 'hơn', 'rất', 'nhưng',
  'hay', 'hoặc', 'nếu', 'vì', 'nên', 'ở', 'vừa', 'mới', 'đây', 'ấy', 'cả', 'chỉ', 'lại', 'đều',
  'qua', 'nhằm', 'việc', 'nhiều', 'này', 'gì', 'ai', 'nào', 'thế', 'vẫn', 'đi', 'tới', 'cùng',
  'bởi', 'rằng', 'thêm', 'nhất', 'trước', 'giữa', 'ngoài', 'hết', 'luôn', 'đang',
]);

