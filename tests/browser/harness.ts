/**
 * A built site served on localhost and opened in Debian's headless Chromium
 * (playwright-core), with every request that would leave the site recorded
 * and refused.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer } from '../../src/cli/preview.js';

export interface SiteInBrowser {
  origin: string;
  browser: Browser;
  context: BrowserContext;
  /** Requests for anything outside the site, which were refused. */
  leftSite: string[];
  /** The address of a page of the site, given by its path in the output folder. */
  url(path: string): string;
  close(): Promise<void>;
}

export async function openSite(out: string): Promise<SiteInBrowser> {
  const server: Server = await startServer(out, 0, '127.0.0.1');
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  // Without the background-networking flags Chromium tries to reach Google's hosts at start.
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const leftSite: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`)) return route.continue();
    leftSite.push(url);
    return route.abort();
  });
  return {
    origin,
    browser,
    context,
    leftSite,
    url: (path) => `${origin}/${path.replace(/index\.html$/, '').split('/').map(encodeURIComponent).join('/')}`,
    async close() {
      await browser.close();
      server.close();
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's WCAG 2.2 AA and best-practice violations on the page. */
export async function axe(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the page's CSP (no script) stays in force.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (o: object) => Promise<{ violations: unknown[] }> } }).axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return result.violations as AxeViolation[];
  });
}
