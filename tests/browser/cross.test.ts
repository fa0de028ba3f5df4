/**
 * The pages across reports in headless Chromium: the default content plus
 * the combined-report fixture. Searching 平潭 and 行政复议 finds the right
 * pages; comparison, combined, year and search pages pass axe-core (WCAG 2.2
 * AA and best practice), request nothing outside the site and are reached by
 * the keyboard; with JavaScript off everything but the search box works.
 */
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/site/build.js';
import { axe, openSite, type SiteInBrowser } from './harness.js';
import { documentOf, htmlPages, tempDir } from '../site-helpers.js';

const screenshots = resolve('test-output/screenshots');

let out: string;
let site: SiteInBrowser;

beforeAll(async () => {
  // The default content holds 平潭 2025 and 沭阳 2025, the two reports the fixture sums.
  const content = join(tempDir('cross-content'), 'content');
  cpSync('content', content, { recursive: true });
  cpSync('tests/fixtures/combined', content, { recursive: true });
  out = join(tempDir('cross'), 'dist');
  const result = await build({ content, out });
  expect(result.written).toBe(true);
  site = await openSite(out);
  mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await site?.close();
});

function find(pattern: RegExp): string {
  const path = htmlPages(out)
    .map((p) => p.path)
    .find((p) => pattern.test(p));
  if (!path) throw new Error(`no page matches ${pattern}`);
  return path;
}


function kinds(): Record<string, string> {
  return {
    compare: find(/^bodies\/平潭综合实验区-[^/]+\/compare\/2021-2022\/index\.html$/),
    'compare-formats': find(/^bodies\/平潭综合实验区-[^/]+\/compare\/2020-2021\/index\.html$/),
    combined: find(/^bodies\/两地汇总示例-[^/]+\/2025\/combined\/index\.html$/),
    'year-overview': find(/^years\/2025\/index\.html$/),
    search: 'search/index.html',
  };
}


/** Runs a query through the search box, as a reader would, and returns the result links. */
async function search(page: Page, query: string): Promise<{ text: string; href: string }[]> {
  await page.goto(site.url('search/index.html'));
  await page.fill('#search-input', query);
  await page.press('#search-input', 'Enter');
  await page.waitForFunction(() => /^(找到|没有找到|搜索索引)/.test(document.getElementById('search-status')?.textContent ?? ''));
  return page.$$eval('#search-results a', (links) => links.map((a) => ({ text: a.textContent ?? '', href: (a as HTMLAnchorElement).href })));
}

describe('search in Chromium', () => {
  it('finds the 平潭 reports and body page for 平潭, not the comparisons (each report page links to its own)', async () => {
    const page = await site.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const results = await search(page, '平潭');
    const paths = results.map((r) => decodeURIComponent(new URL(r.href).pathname));
    for (const year of [2020, 2021, 2022, 2025]) expect(paths.some((p) => new RegExp(`^/bodies/平潭综合实验区-[^/]+/${year}/$`).test(p)), String(year)).toBe(true);
    expect(paths.some((p) => /^\/bodies\/平潭综合实验区-[^/]+\/$/.test(p))).toBe(true);
    expect(paths.filter((p) => p.includes('/compare/'))).toEqual([]);
    expect(await page.textContent('#search-status')).toMatch(/^找到 \d+ 个包含“平潭”的页面/);
    // A result link leads to its page.
    const first = results.find((r) => /\/2025\/$/.test(r.href));
    const response = await page.goto(first?.href ?? '');
    expect(response?.status()).toBe(200);
    expect(await page.textContent('h1')).toContain('平潭');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('finds every report that mentions 行政复议, and reads the query from the address', async () => {
    const page = await site.context.newPage();
    const results = await search(page, '行政复议');
    const paths = new Set(results.map((r) => decodeURIComponent(new URL(r.href).pathname)));
    // Every report with table 四 names 行政复议 in its header: the 2021-format reports of the default content.
    const expected = htmlPages(out)
      .filter((p) => /^bodies\/[^/]+\/\d{4}\/index\.html$/.test(p.path) && p.html.includes('行政复议'))
      .map((p) => `/${p.path.replace(/index\.html$/, '')}`);
    expect(expected.length).toBeGreaterThan(5);
    expect(await page.textContent('#search-status')).toMatch(/^找到 \d+ 个包含“行政复议”的页面/);
    expect(results.length).toBeGreaterThan(0);
    // Beyond the first 30 the page lists: every such report is in the index's answer, through the same loader.
    // A string, so that the test runner does not rewrite the page's dynamic import.
    const all = (await page.evaluate(`(async () => {
      const engine = await import(new URL('../pagefind/pagefind.js', document.baseURI).href);
      await engine.options({ baseUrl: '/' });
      const found = await engine.search('行政复议');
      return Promise.all(found.results.map(async (r) => (await r.data()).url));
    })()`)) as string[];
    const everything = new Set(all.map((u) => decodeURIComponent(u)));
    expect(expected.filter((p) => !everything.has(p))).toEqual([]);
    expect([...paths].every((p) => everything.has(p))).toBe(true);
    await page.goto(`${site.url('search/index.html')}?q=${encodeURIComponent('行政复议')}`);
    await page.waitForFunction(() => /^找到/.test(document.getElementById('search-status')?.textContent ?? ''));
    expect(await page.inputValue('#search-input')).toBe('行政复议');
    await page.close();
  });

  it('finds by a body name, a title word and a phrase of prose exactly the pages whose searchable text holds it, and nothing by ignored boilerplate', async () => {
    /** What Pagefind reads of a page: its indexed main element without the parts marked data-pagefind-ignore. */
    const searchable = htmlPages(out).flatMap((p) => {
      const main = documentOf(p.html).querySelector('main[data-pagefind-body]');
      if (!main) return [];
      for (const ignored of main.querySelectorAll('[data-pagefind-ignore]')) ignored.remove();
      return [{ url: `/${p.path.replace(/index\.html$/, '')}`, text: main.textContent ?? '' }];
    });
    const page = await site.context.newPage();
    await page.goto(site.url('search/index.html'));
    const everyResult = async (query: string) =>
      new Set(
        ((await page.evaluate(`(async () => {
          const engine = await import(new URL('../pagefind/pagefind.js', document.baseURI).href);
          await engine.options({ baseUrl: '/' });
          const found = await engine.search(${JSON.stringify(query)});
          return Promise.all(found.results.map(async (r) => (await r.data()).url));
        })()`)) as string[]).map((u) => decodeURIComponent(u)),
      );
    // A body with one report, a word of two bodies' report titles, and a phrase of several reports' prose.
    for (const query of ['桐柏县应急管理局', '洪泽区', '门户网站']) {
      const holding = searchable.filter((p) => p.text.includes(query)).map((p) => p.url);
      expect(holding.length, query).toBeGreaterThan(0);
      expect([...(await everyResult(query))].sort(), query).toEqual(holding.sort());
    }
    // The downloads list every report page repeats is not in the index: JSON is found only where the text outside it says it (the home page).
    const reportPages = htmlPages(out).filter((p) => /^bodies\/[^/]+\/\d{4}\/index\.html$/.test(p.path) && p.html.includes('全部数据（JSON）'));
    expect(reportPages.length).toBeGreaterThan(5);
    const json = await everyResult('JSON');
    expect([...json].sort()).toEqual(searchable.filter((p) => p.text.includes('JSON')).map((p) => p.url).sort());
    expect(reportPages.filter((p) => json.has(`/${p.path.replace(/index\.html$/, '')}`))).toEqual([]);
    await page.close();
  });

  it('says so when nothing matches', async () => {
    const page = await site.context.newPage();
    expect(await search(page, 'qzxwvjk')).toEqual([]);
    expect(await page.textContent('#search-status')).toContain('没有找到');
    await page.close();
  });
});

describe('new page kinds in Chromium', () => {
  it('have 0 axe violations, request nothing outside the site, and are screenshotted', async () => {
    const problems: string[] = [];
    for (const [kind, path] of Object.entries(kinds())) {
      const page = await site.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const response = await page.goto(kind === 'search' ? `${site.url(path)}?q=${encodeURIComponent('平潭')}` : site.url(path), { waitUntil: 'load' });
      expect(response?.status(), kind).toBe(200);
      if (kind === 'search') await page.waitForFunction(() => /^找到/.test(document.getElementById('search-status')?.textContent ?? ''));
      for (const v of await axe(page)) problems.push(`${kind}: ${v.id} ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      await page.screenshot({ path: join(screenshots, `${kind}.png`), fullPage: true });
      expect(errors, kind).toEqual([]);
      await page.close();
    }
    expect(problems).toEqual([]);
    expect(site.leftSite).toEqual([]);
  });

  it('reach every table region, the search box and the results with the keyboard', async () => {
    for (const [kind, path] of Object.entries(kinds())) {
      const page = await site.context.newPage();
      await page.goto(kind === 'search' ? `${site.url(path)}?q=${encodeURIComponent('平潭')}` : site.url(path));
      if (kind === 'search') await page.waitForFunction(() => /^找到/.test(document.getElementById('search-status')?.textContent ?? ''));
      const wanted = await page.$$eval('[role="region"][tabindex="0"], #search-input, #search-results a', (els) =>
        els.map((el) => el.getAttribute('aria-labelledby') ?? (el.id || `result:${el.getAttribute('href')}`)),
      );
      const focusable = await page.$$eval('a[href], [tabindex="0"], input, button', (els) => els.length);
      const reached = new Set<string>();
      for (let i = 0; i < focusable + 2; i++) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el) return null;
          if (el.getAttribute('role') === 'region') return el.getAttribute('aria-labelledby');
          if (el.id === 'search-input') return el.id;
          if (el.closest('#search-results')) return `result:${el.getAttribute('href')}`;
          return null;
        });
        if (focused !== null) reached.add(focused);
      }
      expect([...reached].sort(), kind).toEqual([...new Set(wanted)].sort());
      await page.close();
    }
  });

  it('work with JavaScript off, where the search page says how to browse instead', async () => {
    const noScript = await site.browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' });
    const page = await noScript.newPage();
    for (const [kind, path] of Object.entries(kinds())) {
      const response = await page.goto(site.url(path));
      expect(response?.status(), kind).toBe(200);
      if (kind === 'search') {
        expect(await page.isVisible('#search-no-script')).toBe(true);
        expect(await page.textContent('#search-no-script')).toContain('搜索需要 JavaScript');
      } else {
        expect(await page.$$eval('table', (tables) => tables.length), kind).toBeGreaterThan(0);
      }
    }
    await noScript.close();
  });
});

describe('search over a sharded index in Chromium', () => {
  // Large sites split the index into shards that the search page merges; the default content is too small to
  // be split, so the same content is built here with four body buckets.
  let sharded: SiteInBrowser;
  let shardedOut: string;

  beforeAll(async () => {
    const content = join(tempDir('sharded-content'), 'content');
    cpSync('content', content, { recursive: true });
    shardedOut = join(tempDir('sharded'), 'dist');
    const result = await build({ content, out: shardedOut, searchBuckets: 4 });
    expect(result.written).toBe(true);
    sharded = await openSite(shardedOut);
  });

  afterAll(async () => {
    await sharded?.close();
  });

  it('merges the shards: 平潭 and 行政复议 find the same report pages as the site has', async () => {
    const shards = JSON.parse(readFileSync(join(shardedOut, 'pagefind', 'shards.json'), 'utf8')) as string[];
    expect(shards.length).toBeGreaterThan(1);
    const page = await sharded.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    for (const query of ['平潭', '行政复议']) {
      await page.goto(`${sharded.url('search/index.html')}?q=${encodeURIComponent(query)}`);
      await page.waitForFunction(() => /^(找到|没有找到|搜索索引)/.test(document.getElementById('search-status')?.textContent ?? ''));
      expect(await page.textContent('#search-status')).toMatch(new RegExp(`^找到 \\d+ 个包含“${query}”的页面`));
      const listed = new Set(
        await page.$$eval('#search-results a', (links) => links.map((a) => decodeURIComponent(new URL((a as HTMLAnchorElement).href).pathname))),
      );
      // Report pages naming the query in their text, from bodies that land in different shards.
      const expected = htmlPages(shardedOut)
        .filter((p) => /^bodies\/[^/]+\/\d{4}\/index\.html$/.test(p.path) && p.html.includes(query))
        .map((p) => `/${p.path.replace(/index\.html$/, '')}`);
      expect(expected.length, query).toBeGreaterThan(3);
      if (listed.size < 30) expect(expected.filter((p) => !listed.has(p)), query).toEqual([]);
      else expect(expected.some((p) => listed.has(p)), query).toBe(true);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
