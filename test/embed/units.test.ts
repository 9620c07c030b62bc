import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { LOADER_JS, PAGE_SCRIPT, WIDGET_CSS } from '../../src/embed/client.js';
import { renderItemHtml } from '../../src/embed/page.js';
import { parseEmbedParams } from '../../src/embed/params.js';
import { frameAncestors, pageCsp } from '../../src/embed/policy.js';
import { relativeTime } from '../../src/embed/time.js';

const SLOW = { timeout: 60_000 };
const NOW = Date.parse('2026-11-28T12:00:00Z');
const ago = (seconds: number) => NOW - seconds * 1000;

describe('relativeTime', () => {
  const cases: [number, string, string][] = [
    [0, 'vừa xong', 'just now'],
    [-120, 'vừa xong', 'just now'], // a clock ahead of ours
    [59, 'vừa xong', 'just now'],
    [60, '1 phút trước', '1 minute ago'],
    [5 * 60 + 30, '5 phút trước', '5 minutes ago'],
    [59 * 60, '59 phút trước', '59 minutes ago'],
    [3600, '1 giờ trước', '1 hour ago'],
    [2 * 3600 + 59 * 60, '2 giờ trước', '2 hours ago'],
    [86400, '1 ngày trước', '1 day ago'],
    [3 * 86400, '3 ngày trước', '3 days ago'],
    [29 * 86400, '29 ngày trước', '29 days ago'],
    [30 * 86400, '29/10/2026', '29 Oct 2026'],
  ];
  it.each(cases)('%i s ago: "%s" / "%s"', (seconds, vi, en) => {
    expect(relativeTime(ago(seconds), NOW, 'vi')).toBe(vi);
    expect(relativeTime(ago(seconds), NOW, 'en')).toBe(en);
  });

  it('dates are in Vietnam time (+07:00)', () => {
    expect(relativeTime(Date.parse('2026-08-24T18:30:00Z'), NOW, 'vi')).toBe('25/8/2026');
    expect(relativeTime(Date.parse('2026-01-01T00:00:00+07:00'), NOW, 'en')).toBe('1 Jan 2026');
  });

  it('is the function the browser runs: serialised, it needs nothing from its module', () => {
    const browserCopy = runInNewContext(`(${relativeTime.toString()})`) as typeof relativeTime;
    for (const [seconds] of cases) for (const lang of ['vi', 'en']) expect(browserCopy(ago(seconds), NOW, lang)).toBe(relativeTime(ago(seconds), NOW, lang));
  });
});

describe('browser code', () => {
  it('parses, and embeds the time function', () => {
    expect(() => new Function(PAGE_SCRIPT)).not.toThrow();
    expect(() => new Function(LOADER_JS)).not.toThrow();
    expect(PAGE_SCRIPT).not.toContain('RELTIME');
    expect(PAGE_SCRIPT).toContain('vừa xong');
  });

  it('survives the production bundle (esbuild) unchanged in behaviour', SLOW, async () => {
    const result = await build({
      entryPoints: [new URL('../../src/embed/client.ts', import.meta.url).pathname],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
    });
    const code = result.outputFiles[0].text;
    const bundled = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as typeof import('../../src/embed/client.js');
    expect(() => new Function(bundled.PAGE_SCRIPT)).not.toThrow();
    expect(() => new Function(bundled.LOADER_JS)).not.toThrow();
    const rel = /var rel = (\(function[\s\S]*?\n\}\))/.exec(bundled.PAGE_SCRIPT)?.[1];
    expect(rel).toBeDefined();
    const fn = runInNewContext(rel!) as typeof relativeTime;
    expect(fn(ago(300), NOW, 'vi')).toBe('5 phút trước');
    expect(fn(ago(7200), NOW, 'en')).toBe('2 hours ago');
  });

  it('style sheet has no external references', () => {
    expect(WIDGET_CSS).not.toMatch(/url\(|@import|@font-face/);
  });
});

describe('renderItemHtml', () => {
  it('escapes every value it writes', () => {
    const html = renderItemHtml(
      {
        n: 1,
        s: 2,
        url: 'https://x.example/"><script>alert(1)</script>',
        title: `<img src=x onerror=alert(1)> "A" & 'B'`,
        outlets: ['<b>Bad</b>', 'O"Brien'],
        image: 'https://img.example/a.jpg?"onload="alert(1)',
        published: ago(300),
      },
      NOW,
      'vi',
    );
    expect(html).not.toMatch(/<script|<img src=x|<b>|"onload=|" onerror/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &quot;A&quot; &amp; &#39;B&#39;');
    expect(html).toContain('href="https://x.example/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).toContain('<span class="src">&lt;b&gt;Bad&lt;/b&gt;, O&quot;Brien</span>');
    expect(html).toContain('<time datetime="2026-11-28T11:55:00.000Z">5 phút trước</time>');
  });
});

describe('parseEmbedParams', () => {
  const parse = (query: string) => parseEmbedParams(new URLSearchParams(query));
  it('defaults: 10 items, auto theme, Vietnamese, the feed’s own collapse', () => {
    expect(parse('')).toEqual({ limit: 10, theme: 'auto', lang: 'vi' });
    expect(parse('limit=50&theme=dark&lang=en&collapse=story&utm=1')).toEqual({ limit: 50, theme: 'dark', lang: 'en', collapse: 'story' });
  });
  it.each(['limit=0', 'limit=51', 'limit=-1', 'limit=1e1', 'limit=', 'theme=', 'theme=Dark', 'lang=vi-VN', 'collapse=stories', 'lang=en&lang=vi'])('refuses %s', (query) => {
    expect(() => parse(query)).toThrow(/^bad parameter/);
  });
});

describe('frameAncestors', () => {
  it('is * when unset, the listed origins otherwise', () => {
    expect(frameAncestors(undefined)).toBe('*');
    expect(frameAncestors([])).toBe('*');
    expect(frameAncestors(['*'])).toBe('*');
    expect(frameAncestors(['https://a.example/', 'https://*.b.example', "'self'", 'http://localhost:8080'])).toBe("https://a.example https://*.b.example 'self' http://localhost:8080");
  });
  it('drops entries that would inject another directive; nothing valid means nobody', () => {
    expect(frameAncestors(["https://a.example; script-src 'unsafe-inline'", 'https://b.example'])).toBe('https://b.example');
    expect(frameAncestors(['https://a.example, https://c.example'])).toBe("'none'");
    expect(frameAncestors(['javascript:alert(1)'])).toBe("'none'");
  });
  it('ends the page policy', () => {
    expect(pageCsp("'sha256-a'", "'sha256-b'", 'https://a.example')).toBe(
      "default-src 'none'; script-src 'sha256-a'; style-src 'sha256-b'; img-src https: http: data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors https://a.example",
    );
  });
});
