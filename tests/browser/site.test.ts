/**
 * The default content's site in headless Chromium (playwright-core, Debian's
 * chromium): every page kind passes axe-core with the WCAG 2.2 AA and
 * best-practice rules, no request leaves the site, the keyboard reaches every
 * table region, and a screenshot of each page kind is written to
 * test-output/screenshots/ for people to look at.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/site/build.js';
import { axe, openSite, type SiteInBrowser } from './harness.js';
import { htmlPages, tempDir } from '../site-helpers.js';

const screenshots = resolve('test-output/screenshots');

let out: string;
let site: SiteInBrowser;

beforeAll(async () => {
  out = join(tempDir('browser'), 'dist');
  const result = await build({ content: 'content', out });
  expect(result.written).toBe(true);
  site = await openSite(out);
  mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await site?.close();
});

/** One page of each kind, by its path in the built site. */
function pageKinds(): Record<string, string> {
  const paths = htmlPages(out).map((p) => p.path);
  const find = (pattern: RegExp) => {
    const path = paths.find((p) => pattern.test(p));
    if (!path) throw new Error(`no page matches ${pattern}`);
    return path;
  };
  return {
    home: 'index.html',
    report: find(/^bodies\/平潭综合实验区-[^/]+\/2025\/index\.html$/),
    'report-with-findings': find(/^bodies\/淮安市洪泽区人民政府-[^/]+\/2023\/index\.html$/),
    'report-2019-template': find(/^bodies\/平潭综合实验区-[^/]+\/2020\/index\.html$/),
    body: find(/^bodies\/平潭综合实验区-[^/]+\/index\.html$/),
    year: find(/^years\/2024\/index\.html$/),
    rule: find(/^rules\/review-total-[^/]+\/index\.html$/),
    'not-found': 'no/such/page/',
  };
}



describe('every page kind in Chromium', () => {
  it('has 0 axe violations, requests nothing outside the site, and is screenshotted', async () => {
    const kinds = pageKinds();
    const report: string[] = [];
    for (const [kind, path] of Object.entries(kinds)) {
      const page = await site.context.newPage();
      const scriptErrors: string[] = [];
      page.on('pageerror', (e) => scriptErrors.push(e.message));
      const response = await page.goto(site.url(path), { waitUntil: 'load' });
      expect(response?.status(), kind).toBe(kind === 'not-found' ? 404 : 200);
      // The stylesheet loaded (the CSP allows 'self'): the skip link sits off-screen until focused.
      const skipTop = await page.$eval('.skip-link', (el) => el.getBoundingClientRect().top);
      expect(skipTop, kind).toBeLessThan(0);
      const violations = await axe(page);
      for (const v of violations) report.push(`${kind}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      await page.screenshot({ path: join(screenshots, `${kind}.png`), fullPage: true });
      expect(scriptErrors, kind).toEqual([]);
      await page.close();
    }
    expect(report).toEqual([]);
    expect(site.leftSite).toEqual([]);
  });

  it('reaches every table region with the keyboard', async () => {
    for (const [kind, path] of Object.entries(pageKinds())) {
      const page = await site.context.newPage();
      await page.goto(site.url(path));
      const regions = await page.$$eval('[role="region"][tabindex="0"]', (els) => els.map((el) => el.getAttribute('aria-labelledby')));
      const reached = new Set<string>();
      const focusable = await page.$$eval('a[href], [tabindex="0"], summary', (els) => els.length);
      for (let i = 0; i < focusable + 2 && reached.size < regions.length; i++) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const el = document.activeElement;
          return el?.getAttribute('role') === 'region' ? el.getAttribute('aria-labelledby') : null;
        });
        if (focused) reached.add(focused);
      }
      expect([...reached].sort(), kind).toEqual([...regions].sort());
      await page.close();
    }
  });

  it('shows the skip link when it receives focus first', async () => {
    const page = await site.context.newPage();
    await page.goto(site.url('index.html'));
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({
      cls: document.activeElement?.className,
      top: document.activeElement?.getBoundingClientRect().top ?? -1,
    }));
    expect(focused.cls).toBe('skip-link');
    expect(focused.top).toBeGreaterThanOrEqual(0);
    await page.close();
  });
});
