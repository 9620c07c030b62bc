import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/load.js';

const topic = { slug: 'cong-nghe', name: 'Công nghệ', aliases: ['Số hóa'], keywords: [] };
const source = { slug: 'vnexpress-so-hoa', url: 'https://vnexpress.net/rss/so-hoa.rss', name: 'VnExpress Số hóa', topics: ['cong-nghe'], language: 'vi', intervalMinutes: 15 };

function problemsOf(json: unknown): string[] {
  try {
    parseConfig(json, 'feeds/x.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('config validation', () => {
  it('accepts the documented minimum shape and fills defaults', () => {
    const config = parseConfig({ topics: [topic], sources: [source], feeds: [], retentionDays: 90 });
    expect(config.sources[0].timezone).toBe('Asia/Ho_Chi_Minh');
    expect(config.fetch.timeoutSeconds).toBe(20);
    expect(config.fetch.maxBodyMiB).toBe(15);
    expect(Object.isFrozen(config.sources[0])).toBe(true);
  });

  it.each([
    ['unknown topic slug', { topics: [topic], sources: [{ ...source, topics: ['the-thao'] }] }, 'sources[0] (vnexpress-so-hoa).topics[0]: unknown topic slug "the-thao"'],
    ['duplicate source slug', { topics: [topic], sources: [source, { ...source, url: 'https://vnexpress.net/rss/khac.rss' }] }, 'sources[1] (vnexpress-so-hoa).slug: duplicate source slug "vnexpress-so-hoa"'],
    ['bad URL', { topics: [topic], sources: [{ ...source, url: 'ftp://vnexpress.net/x' }] }, 'sources[0] (vnexpress-so-hoa).url: must be an absolute http(s) URL'],
    ['relative URL', { topics: [topic], sources: [{ ...source, url: '/rss/x.rss' }] }, 'sources[0] (vnexpress-so-hoa).url: must be an absolute http(s) URL'],
    ['unknown field', { topics: [topic], sources: [{ ...source, intervall: 5 }] }, 'sources[0]'],
    ['bad time zone', { topics: [topic], sources: [{ ...source, timezone: 'Mars/Olympus' }] }, 'sources[0] (vnexpress-so-hoa).timezone: must be an IANA time zone'],
    ['negative retention', { topics: [topic], retentionDays: -1 }, 'retentionDays'],
    ['curated feed with unknown source', { topics: [topic], feeds: [{ slug: 'x', title: 'X', sources: ['nope'] }] }, 'feeds[0] (x).sources[0]: unknown source slug "nope"'],
  ])('rejects %s naming the entry and field', (_name, json, expected) => {
    expect(problemsOf(json).join('\n')).toContain(expected);
  });

  it('names the file in the error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsgate-config-'));
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "topics": [ }');
    expect(() => loadConfig(file)).toThrow(/broken\.json: invalid configuration[\s\S]*not valid JSON/);
    expect(() => loadConfig(join(dir, 'missing.json'))).toThrow(/missing\.json[\s\S]*cannot read file/);
  });

  it('accepts the default and demo config files shipped in feeds/', () => {
    const config = loadConfig('feeds/sources.json');
    expect(config.sources.length).toBeGreaterThan(20);
    expect(new Set(config.sources.map((s) => s.slug.split('-')[0]))).toEqual(new Set(['vnexpress', 'tuoitre', 'thanhnien', 'dantri', 'vietnamnet', 'nld']));
  });
});
