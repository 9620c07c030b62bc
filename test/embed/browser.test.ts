/**
 * The widget in a real browser: Debian's Chromium driven by playwright-core (never a
 * downloaded browser). A host page on another origin embeds the iframe and the script; the
 * database is filled by the real pipeline from local fixture feeds.
 *
 * Without /usr/bin/chromium these tests skip, unless REQUIRE_BROWSER=1 (as in CI), where they fail.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedWorld, type EmbedWorld } from './harness.js';
import { gradientPng } from './png.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const required = process.env.REQUIRE_BROWSER === '1';
const HOW_TO = 'install it with `apt-get install -y chromium` (Debian); set REQUIRE_BROWSER=1 to make these tests mandatory';
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const LIVE_DEADLINE_MS = 5_000;
const SLOW = { timeout: 120_000 };

if (!hasChromium && !required) {
  console.warn(`embed browser tests skipped: ${CHROMIUM} is missing — ${HOW_TO}`);
  describe('embed widget in Chromium', () => {
    it.skip(`skipped: ${CHROMIUM} is missing — ${HOW_TO}`, () => {});
  });
} else if (!hasChromium) {
  describe('embed widget in Chromium', () => {
    it('needs Chromium (REQUIRE_BROWSER=1)', () => {
      throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM} is missing: ${HOW_TO}`);
    });
  });
} else {
  browserSuite();
}

interface Row {
  n: string | null;
  s: string | null;
  href: string | null;
  target: string | null;
  rel: string | null;
  title: string;
  outlets: string;
  datetime: string | null;
  when: string;
  image: string | null;
}

/** Each list row as data, read the same way from the iframe document and from the shadow root. */
function readRows(root: Locator): Promise<Row[]> {
  return root.locator('li.it').evaluateAll((lis) =>
    lis.map((li) => {
      const a = li.querySelector('a.tt')!;
      const time = li.querySelector('time')!;
      return {
        n: li.getAttribute('data-n'),
        s: li.getAttribute('data-s'),
        href: a.getAttribute('href'),
        target: a.getAttribute('target'),
        rel: a.getAttribute('rel'),
        title: a.textContent ?? '',
        outlets: li.querySelector('.src')!.textContent ?? '',
        datetime: time.getAttribute('datetime'),
        when: time.textContent ?? '',
        image: li.querySelector('img')?.getAttribute('src') ?? null,
      };
    }),
  );
}

/** playwright-core has no assertions of its own: wait with vitest's expect.poll. */
const POLL = { timeout: 30_000, interval: 50 };
const count = (l: Locator, n: number, timeout = POLL.timeout) => expect.poll(() => l.count(), { ...POLL, timeout }).toBe(n);
const text = (l: Locator, t: string | RegExp, timeout = POLL.timeout) =>
  typeof t === 'string' ? expect.poll(() => l.textContent(), { ...POLL, timeout }).toBe(t) : expect.poll(() => l.textContent(), { ...POLL, timeout }).toMatch(t);
const attribute = (l: Locator, name: string, value: string | RegExp, timeout = POLL.timeout) =>
  typeof value === 'string'
    ? expect.poll(() => l.getAttribute(name), { ...POLL, timeout }).toBe(value)
    : expect.poll(() => l.getAttribute(name), { ...POLL, timeout }).toMatch(value);
const visible = (l: Locator) => l.waitFor({ state: 'visible', timeout: POLL.timeout });

function hostPage(app: string, options: { theme?: string; width?: number; feed?: string }): string {
  const theme = options.theme ?? 'light';
  const width = options.width ?? 380;
  const path = options.feed ? options.feed : 'topics/cong-nghe';
  const data = options.feed ? `data-feed="${options.feed}"` : 'data-topic="cong-nghe"';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host page</title>
<style>
  /* Hostile host styles: none of them may reach the widget. */
  body { font: 30px/2 Georgia, serif; color: rgb(200, 0, 0); background: #efe9dc; margin: 16px; letter-spacing: 3px; }
  li { color: rgb(255, 0, 0) !important; font-size: 40px !important; }
  a { color: rgb(0, 128, 0) !important; }
  img { filter: invert(1) !important; border: 7px solid rgb(0, 0, 255) !important; }
  .grid { display: flex; gap: 16px; align-items: flex-start; }
  .cell { width: ${width}px; }
  h1 { font-size: 16px; margin: 0 0 8px; }
</style></head><body>
<h1>Host page</h1>
<ul class="ls"><li class="it" id="host-item">host item</li></ul>
<div class="grid">
  <div class="cell"><iframe id="frame" title="Tin công nghệ" src="${app}/embed/${path}?limit=5&amp;theme=${theme}" width="${width}" height="620" style="border:0;display:block"></iframe></div>
  <div class="cell" id="slot"><script src="${app}/embed.js" ${data} data-limit="5" data-theme="${theme}" async></script></div>
</div>
</body></html>`;
}

function browserSuite() {
  describe('embed widget in Chromium', SLOW, () => {
    let world: EmbedWorld;
    let host: Server;
    let hostBase: string;
    let userDataDir: string;
    let context: BrowserContext;
    const problems: string[] = [];
    /** Set while a test drops connections on purpose: the browser reports the cut streams. */
    let dropping = false;
    let published = 0;

    beforeAll(async () => {
      world = await startEmbedWorld();
      host = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://host');
        const theme = url.searchParams.get('theme') ?? 'light';
        const width = Number(url.searchParams.get('width') ?? 380);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(hostPage(world.base, { theme, width, feed: url.searchParams.get('feed') ?? undefined }));
      });
      await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
      hostBase = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
      await mkdir(ARTIFACTS, { recursive: true });
      userDataDir = await mkdtemp(join(tmpdir(), 'newsgate-chromium-'));
      const { chromium } = await import('playwright-core');
      context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
        viewport: { width: 900, height: 760 },
        timeout: 90_000,
      });
      context.setDefaultTimeout(30_000);
      // Thumbnails point at the outlets' CDNs: answer them locally with a gradient, refuse anything else off this machine.
      await context.route(
        (url) => url.hostname !== '127.0.0.1',
        async (route) => {
          const url = new URL(route.request().url());
          if (route.request().resourceType() === 'image') {
            const seed = [...url.pathname].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
            const from: [number, number, number] = [60 + (seed % 120), 90 + ((seed >>> 8) % 100), 140 + ((seed >>> 16) % 100)];
            await route.fulfill({ status: 200, contentType: 'image/png', body: gradientPng(96, 64, from, [230, 225, 210]) });
          } else {
            await route.abort();
          }
        },
      );
    }, 180_000);

    afterAll(async () => {
      await context?.close();
      if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
      host?.closeAllConnections();
      await new Promise<void>((resolve) => (host ? host.close(() => resolve()) : resolve()));
      await world?.close();
    }, 120_000);

    async function open(path: string, setup?: (page: Page) => Promise<void>): Promise<{ page: Page; frame: Frame; inline: Locator; framed: Locator }> {
      const page = await context.newPage();
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (dropping && /ERR_INCOMPLETE_CHUNKED_ENCODING/.test(message.text())) return;
        if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(`console: ${message.text()}`);
      });
      await setup?.(page);
      await page.goto(`${hostBase}${path}`);
      const frameElement = await page.waitForSelector('#frame');
      const frame = (await frameElement.contentFrame())!;
      await frame.waitForLoadState('load');
      return { page, frame, inline: page.locator('#slot section.ng'), framed: frame.locator('section.ng') };
    }

    async function expectedTitles(limit: number): Promise<string[]> {
      const response = await fetch(`${world.base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ articles(first: ${limit}, filter: { topics: ["cong-nghe"] }) { edges { node { title } } } }` }),
      });
      const body = (await response.json()) as { data: { articles: { edges: { node: { title: string } }[] } } };
      return body.data.articles.edges.map((e) => e.node.title);
    }

    const live = (root: Locator) => attribute(root, 'data-live', 'sse');

    it('shows the same latest items in the iframe and in the inline widget, without style leaks', SLOW, async () => {
      const { page, inline, framed } = await open('/');
      const expected = await expectedTitles(5);
      expect(expected).toHaveLength(5);
      await count(framed.locator('li.it'), 5);
      await count(inline.locator('li.it'), 5);
      const fromFrame = await readRows(framed);
      const fromScript = await readRows(inline);
      expect(fromFrame.map((r) => r.title)).toEqual(expected);
      // The script builds exactly the markup the server renders.
      expect(fromScript).toEqual(fromFrame);
      expect(fromFrame.every((r) => r.target === '_blank' && r.rel === 'noopener' && /^https:\/\//.test(r.href ?? ''))).toBe(true);
      expect(fromFrame[0].when).toBe('5 phút trước');
      expect(fromFrame[1].when).toBe('42 phút trước');
      expect(fromFrame[2].when).toBe('2 giờ trước');
      expect(fromFrame[0].outlets).toBe('VnExpress, Tuổi Trẻ');
      expect(fromFrame.filter((r) => r.image).length).toBeGreaterThan(0);
      await text(inline.locator('h2'), 'Công nghệ');
      await count(framed.locator('[role=status][aria-live=polite]'), 1);
      await count(inline.locator('[role=status][aria-live=polite]'), 1);

      // Host styles stay out of the shadow root (also inherited ones), widget styles out of the host page.
      const inside = await inline.locator('a.tt').first().evaluate((a) => {
        const style = getComputedStyle(a);
        const li = getComputedStyle(a.closest('li')!);
        const img = a.closest('li')!.querySelector('img');
        return { color: style.color, letterSpacing: style.letterSpacing, font: style.fontFamily, liSize: li.fontSize, imgFilter: img ? getComputedStyle(img).filter : 'none' };
      });
      expect(inside.color).not.toBe('rgb(0, 128, 0)');
      expect(inside.liSize).not.toBe('40px');
      expect(inside.letterSpacing).toBe('normal');
      expect(inside.font).not.toMatch(/Georgia/);
      expect(inside.imgFilter).toBe('none');
      const hostItem = await page.locator('#host-item').evaluate((li) => ({ list: getComputedStyle(li.parentElement!).listStyleType, padding: getComputedStyle(li).paddingTop }));
      expect(hostItem).toEqual({ list: 'disc', padding: '0px' });

      // Keyboard focus is visible.
      await inline.locator('a.tt').first().focus();
      await page.keyboard.press('Tab');
      const focused = await inline.locator('a.tt').nth(1).evaluate((a) => ({ active: a.getRootNode() instanceof ShadowRoot && (a.getRootNode() as ShadowRoot).activeElement === a, outline: getComputedStyle(a).outlineStyle }));
      expect(focused).toEqual({ active: true, outline: 'solid' });
      await page.close();
    });

    it('shows an article ingested while the page is open within 5 seconds, in both', SLOW, async () => {
      const { page, inline, framed } = await open('/');
      await live(framed);
      await live(inline);
      const title = `Tin mới: robot giao hàng chạy thử ở Hà Nội (${++published})`;
      const report = await world.publish([
        { title, link: `https://vnexpress.net/robot-giao-hang-${published}.html`, image: `https://i1-sohoa.vnecdn.net/2026/11/28/robot-${published}.jpg`, minutesAgo: 0 },
      ]);
      expect(report.new).toBe(1);
      const stored = Date.now();
      await text(framed.locator('li.it').first().locator('a.tt'), title, LIVE_DEADLINE_MS);
      await text(inline.locator('li.it').first().locator('a.tt'), title, Math.max(100, LIVE_DEADLINE_MS - (Date.now() - stored)));
      expect(Date.now() - stored).toBeLessThanOrEqual(LIVE_DEADLINE_MS);
      // Still the limit, the new one announced politely, its time relative.
      await count(framed.locator('li.it'), 5);
      await count(inline.locator('li.it'), 5);
      await text(framed.locator('[role=status]'), `Tin mới: ${title}`);
      await text(inline.locator('[role=status]'), `Tin mới: ${title}`);
      await text(framed.locator('li.it time').first(), 'vừa xong');
      await attribute(inline.locator('li.it img').first(), 'src', /robot-/);
      expect(await readRows(inline)).toEqual(await readRows(framed));

      await page.waitForTimeout(4_500); // let the "new" highlight fade before the screenshots
      await page.locator('#frame').screenshot({ path: join(ARTIFACTS, 'embed-iframe-light.png') });
      await page.locator('#slot').screenshot({ path: join(ARTIFACTS, 'embed-script-light.png') });
      await page.close();
    });

    it('applies the dark theme, and follows the system preference with theme=auto', SLOW, async () => {
      const { page, inline, framed } = await open('/?theme=dark');
      await visible(framed.locator('li.it').first());
      await visible(inline.locator('li.it').first());
      const background = (root: Locator) => root.evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(await background(framed)).toBe('rgb(22, 24, 27)');
      expect(await background(inline)).toBe('rgb(22, 24, 27)');
      expect(await framed.locator('a.tt').first().evaluate((a) => getComputedStyle(a).color)).toBe('rgb(230, 232, 235)');
      await page.locator('#frame').screenshot({ path: join(ARTIFACTS, 'embed-iframe-dark.png') });
      await page.locator('#slot').screenshot({ path: join(ARTIFACTS, 'embed-script-dark.png') });
      await page.close();

      const auto = await open('/?theme=auto', (p) => p.emulateMedia({ colorScheme: 'dark' }));
      await visible(auto.framed.locator('li.it').first());
      await visible(auto.inline.locator('li.it').first());
      expect(await background(auto.framed)).toBe('rgb(22, 24, 27)');
      expect(await background(auto.inline)).toBe('rgb(22, 24, 27)');
      await auto.page.emulateMedia({ colorScheme: 'light' });
      expect(await background(auto.framed)).toBe('rgb(255, 255, 255)');
      expect(await background(auto.inline)).toBe('rgb(255, 255, 255)');
      await auto.page.close();
    });

    it('fits 280 px without horizontal scrolling', SLOW, async () => {
      const { page, frame, inline, framed } = await open('/?width=280');
      await visible(framed.locator('li.it').first());
      await visible(inline.locator('li.it').first());
      const overflow = await frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const inlineBox = await inline.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, width: el.getBoundingClientRect().width }));
      expect(inlineBox.width).toBeLessThanOrEqual(280);
      expect(inlineBox.scroll).toBeLessThanOrEqual(inlineBox.client);
      const thumb = framed.locator('img.th').first();
      expect(await thumb.evaluate((img) => img.getBoundingClientRect().width)).toBe(64);
      await page.locator('#frame').screenshot({ path: join(ARTIFACTS, 'embed-iframe-280.png') });
      await page.close();
    });

    it('reconnects after the stream drops and catches up on what it missed', SLOW, async () => {
      const { page, inline, framed } = await open('/');
      await live(framed);
      await live(inline);
      // Drop every connection (both event streams among them), then store while they are down.
      dropping = true;
      world.server.closeAllConnections();
      const title = `Tin bỏ lỡ khi mất kết nối (${++published})`;
      expect((await world.publish([{ title, link: `https://vnexpress.net/bo-lo-${published}.html`, minutesAgo: 0 }])).new).toBe(1);
      await text(framed.locator('li.it a.tt').first(), title, 20_000);
      await text(inline.locator('li.it a.tt').first(), title, 20_000);
      await live(framed);
      await live(inline);
      await page.close();
      dropping = false;
    });

    it('polls the GraphQL query where EventSource is missing', SLOW, async () => {
      const { page, inline, framed } = await open('/', async (p) => {
        await p.addInitScript(() => {
          delete (window as { EventSource?: unknown }).EventSource;
        });
        await p.clock.install();
      });
      await attribute(framed, 'data-live', 'poll');
      await attribute(inline, 'data-live', 'poll');
      const title = `Tin đến qua thăm dò (${++published})`;
      expect((await world.publish([{ title, link: `https://vnexpress.net/tham-do-${published}.html`, minutesAgo: 0 }])).new).toBe(1);
      await page.clock.runFor(31_000);
      await text(framed.locator('li.it a.tt').first(), title, 15_000);
      await text(inline.locator('li.it a.tt').first(), title, 15_000);
      await page.close();
    });

    it('keeps a curated feed with include words exact: re-reads the widget data instead of trusting the subscription', SLOW, async () => {
      const { page, inline, framed } = await open('/?feed=xang-dien');
      await live(framed);
      await live(inline);
      await text(inline.locator('h2'), 'Xăng & điện');
      const n = ++published;
      const match = `Giá xăng RON 95 giảm nhẹ (${n})`;
      const other = `Robot hút bụi mới ra mắt (${n})`;
      expect(
        (
          await world.publish([
            { title: other, link: `https://vnexpress.net/robot-hut-bui-${n}.html`, minutesAgo: 0 },
            { title: match, link: `https://vnexpress.net/gia-xang-${n}.html`, minutesAgo: 1 },
          ])
        ).new,
      ).toBe(2);
      await text(framed.locator('li.it a.tt').first(), match, LIVE_DEADLINE_MS);
      await text(inline.locator('li.it a.tt').first(), match, LIVE_DEADLINE_MS);
      const shown = [...(await readRows(framed)), ...(await readRows(inline))].map((r) => r.title);
      expect(shown).not.toContain(other);
      await page.close();
    });

    it('logged no script errors and no CSP violations', () => {
      expect(problems).toEqual([]);
    });
  });
}
