import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import type { ConfigInput } from '../../src/config/schema.js';

export const testTopics: ConfigInput['topics'] = [
  { slug: 'thoi-su', name: 'Thời sự', aliases: ['Xã hội'], keywords: [] },
  { slug: 'kinh-doanh', name: 'Kinh doanh', aliases: ['Kinh tế'], keywords: [] },
  { slug: 'cong-nghe', name: 'Công nghệ', aliases: ['Số hóa', 'Technology'], keywords: [] },
];

export function makeConfig(input: Partial<ConfigInput>): Config {
  return parseConfig({ topics: testTopics, ...input }, 'test-config.json');
}
