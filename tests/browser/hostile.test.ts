/**
 * The hostile-text matrix (tests/helpers/hostile-content.ts) built and opened
 * page by page in headless Chromium: no dialog opens, no console line carries
 * the marker a payload would print, no script error, no request leaves the
 * site, and mouse, focus and click events on every element run nothing.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/site/build.js';
import { openSite, type SiteInBrowser } from './harness.js';
import { hostileContent, MARKER } from '../helpers/hostile-content.js';
import { htmlPages, tempDir } from '../site-helpers.js';

let out: string;
let site: SiteInBrowser;
const dialogs: string[] = [];
const marked: string[] = [];

beforeAll(async () => {
  out = join(tempDir('hostile-browser'), 'dist');
  const result = await build({ content: hostileContent(), out, allowErrors: true });
  expect(result.written).toBe(true);
  site = await openSite(out);
});

afterAll(async () => {
  await site?.close();
});

describe('hostile text in Chromium', () => {
  it('runs nothing and fetches nothing on any page, even when every element is hovered and clicked', { timeout: 600_000 }, async () => {
    const paths = htmlPages(out).map((p) => p.path);
    expect(paths.length).toBeGreaterThan(8);
    for (const path of paths) {
      const page = await site.context.newPage();
      const scriptErrors: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(`${path}: ${dialog.message()}`);
        void dialog.dismiss();
      });
      page.on('console', (message) => {
        // A payload that ran prints the marker; one that reached the page but was stopped by the CSP is reported too.
        if (message.text().includes(MARKER) || /Content Security Policy/i.test(message.text())) marked.push(`${path}: ${message.text()}`);
      });
      page.on('pageerror', (error) => scriptErrors.push(error.message));
      await page.goto(site.url(path), { waitUntil: 'load', timeout: 30_000 });
      // Every element hovered, focused and clicked in place (events dispatched, so no navigation leaves the page).
      await page.evaluate(() => {
        for (const el of document.querySelectorAll('body *')) {
          for (const type of ['mouseover', 'mouseenter', 'focus', 'click']) {
            const event = type === 'click' ? new MouseEvent(type, { bubbles: true, cancelable: true }) : new Event(type, { bubbles: true });
            if (type === 'click') event.preventDefault();
            el.dispatchEvent(event);
          }
        }
      });
      await page.waitForTimeout(50);
      expect(scriptErrors, path).toEqual([]);
      await page.close();
    }
    expect(dialogs).toEqual([]);
    expect(marked).toEqual([]);
    expect(site.leftSite).toEqual([]);
  });
});
