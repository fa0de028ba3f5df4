/**
 * axe-core over the built pages in jsdom (no browser needed): WCAG 2.2 AA and
 * best-practice rules, 0 violations. Colour contrast is left to the browser
 * test, since jsdom computes no styles.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTo, htmlPages, makeContent } from './site-helpers.js';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResult {
  violations: { id: string; help: string; nodes: { target: string[] }[] }[];
}

let pages: { path: string; html: string }[];

beforeAll(async () => {
  const content = makeContent(
    {
      '000': '桐柏县应急管理局/2022.txt',
      '004': '平潭综合实验区/2022.txt',
      '005': '平潭综合实验区/2021.txt',
      '006': '平潭综合实验区/2020.txt',
      '020': '淮安市洪泽区人民政府/2023.txt',
    },
    {
      '淮安市洪泽区人民政府/2023.accept.yaml':
        '- rule: review-total\n  cells: [review.reconsideration.total]\n  reason: 原报告如此（测试用理由）\n',
    },
  );
  const { out } = await buildTo(content, { allowErrors: true });
  // Rule pages share one template and differ only in their examples: five of them stand for the rest.
  const all = htmlPages(out);
  const rulePages = all.filter((p) => p.path.startsWith('rules/'));
  const kept = new Set([...rulePages.filter((p) => /rules\/(review-total|requests-results-total|carry-over|cell-missing|sections)-/.test(p.path))]);
  expect(kept.size).toBe(5);
  pages = all.filter((p) => !p.path.startsWith('rules/') || kept.has(p));
});

async function axe(html: string, url: string): Promise<AxeResult> {
  const dom = new JSDOM(html, { url, runScripts: 'outside-only', pretendToBeVisual: true });
  const window = dom.window as unknown as Window & { eval(code: string): unknown; axe: { run(ctx: Document, options: object): Promise<AxeResult> } };
  window.eval(axeSource);
  const result = await window.axe.run(window.document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  dom.window.close();
  return result;
}

describe('axe-core in jsdom', () => {
  it('finds no violation on the pages of every kind', { timeout: 300_000 }, async () => {
    const kinds = new Map<string, { path: string; html: string }[]>();
    for (const page of pages) {
      const kind = page.path.split('/')[0]?.replace(/\.html$/, '') ?? '';
      kinds.set(kind, [...(kinds.get(kind) ?? []), page]);
    }
    expect([...kinds.keys()].sort()).toEqual(['404', 'bodies', 'index', 'rules', 'search', 'years']);
    // The body folders hold the comparison pages of consecutive years too.
    expect(pages.filter((p) => /\/compare\/\d{4}-\d{4}\/index\.html$/.test(p.path)).map((p) => p.path.replace(/^.*\/compare\//, ''))).toEqual([
      '2020-2021/index.html',
      '2021-2022/index.html',
    ]);
    const problems: string[] = [];
    let checked = 0;
    for (const page of pages) {
      const result = await axe(page.html, `http://localhost/${page.path}`);
      checked++;
      for (const v of result.violations) problems.push(`${page.path}: ${v.id} ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
    expect(problems).toEqual([]);
    expect(checked).toBe(pages.length);
  });
});
