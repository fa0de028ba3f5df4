/**
 * Rule pages list every report a rule flags; past 200 findings the list goes
 * on over further pages, each with a navigation of real links, so that no
 * page grows with the site. Every finding is listed exactly once, in order.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../src/parse/index.js';
import { rules } from '../src/rules/run.js';
import type { Finding } from '../src/rules/types.js';
import { createRenderer } from '../src/site/render.js';
import { bodiesPerPage, buildSite, flaggedPerPage, loadOnDemand, reportsPerPage } from '../src/site/view/site.js';
import { relativeHref } from '../src/site/view/urls.js';
import { documentOf } from './site-helpers.js';

const seed = 'tests/fixtures/corpus/reports/000-tongbai-yingji-2022.txt';

async function siteWith(findings: number) {
  await loadOnDemand(rules);
  const read = await parseReport(seed, readFileSync(seed));
  if (!read.ok) throw new Error('seed report unreadable');
  const report = { ...read.report, file: '桐柏县应急管理局/2022.txt' };
  const flagged: Finding[] = Array.from({ length: findings }, (_, i) => ({
    ruleId: 'repeated-text',
    severity: 'warning',
    message: `第 ${i + 1} 项`,
    line: i + 1,
    column: 1,
    file: report.file,
    fingerprint: `f${i}`,
  }));
  return buildSite({ reports: [report], findings: flagged, failures: [], rules, baseUrl: 'http://localhost:4173/' });
}

/** The rule's pages as planned, and as made (each page a part of its own). */
function rulePages(site: Awaited<ReturnType<typeof siteWith>>) {
  const parts = site.parts.filter((p) => p.pages[0]?.path.startsWith('rules/repeated-text-'));
  if (parts.length === 0) throw new Error('no repeated-text page');
  return { pages: parts.flatMap((part) => part.pages), make: () => ({ pages: parts.flatMap((part) => part.make().pages) }) };
}

describe('rule pages', () => {
  it('keep a short list on one page, without page navigation', async () => {
    const part = rulePages(await siteWith(3));
    expect(part.pages).toHaveLength(1);
    const doc = documentOf(createRenderer()(part.make().pages[0]!));
    expect(doc.querySelectorAll('ul.flagged li')).toHaveLength(3);
    expect(doc.querySelector('nav.pagination')).toBeNull();
  });

  it('split a long list over pages linked to one another, each finding once and in order', async () => {
    const count = flaggedPerPage * 2 + 7;
    const part = rulePages(await siteWith(count));
    const made = part.make();
    expect(made.pages.map((p) => p.path)).toEqual(part.pages.map((p) => p.path));
    expect(made.pages).toHaveLength(3);
    // Only the first page, with the description, is indexed for search.
    expect(part.pages.map((p) => p.indexed)).toEqual([true, false, false]);
    const render = createRenderer();
    const listed: string[] = [];
    const paths = new Set(made.pages.map((p) => p.path));
    made.pages.forEach((page, n) => {
      const doc = documentOf(render(page));
      expect(doc.querySelectorAll('h1')).toHaveLength(1);
      expect(doc.querySelector('main')?.hasAttribute('data-pagefind-body')).toBe(n === 0);
      // The description and examples only on the first page; the others link back to it.
      expect(doc.querySelector('#description-heading') !== null).toBe(n === 0);
      listed.push(...[...doc.querySelectorAll('ul.flagged li')].map((li) => li.textContent?.split('，').at(-1) ?? ''));
      const nav = doc.querySelector('nav.pagination');
      expect(nav?.getAttribute('aria-label')).toBe('被标出的报告分页');
      const links = [...(nav?.querySelectorAll('a') ?? [])];
      expect(links.map((a) => a.textContent)).toEqual(['第 1 页', '第 2 页', '第 3 页']);
      expect(links.map((a) => a.getAttribute('aria-current'))).toEqual([0, 1, 2].map((i) => (i === n ? 'page' : null)));
      // Every link leads to one of the rule's pages.
      for (const [i, a] of links.entries()) {
        const target = `${made.pages[i]!.path.replace(/index\.html$/, '')}`;
        expect(a.getAttribute('href')).toBe(relativeHref(page.path, target));
        expect(paths.has(`${target}index.html`)).toBe(true);
      }
    });
    expect(listed).toEqual(Array.from({ length: count }, (_, i) => `第 ${i + 1} 项`));
  });
});

describe('year pages', () => {
  it('list a year of many reports over linked pages, each report once, the year-wide totals on each', async () => {
    const read = await parseReport(seed, readFileSync(seed));
    if (!read.ok) throw new Error('seed report unreadable');
    const count = reportsPerPage * 2 + 3;
    const reports = Array.from({ length: count }, (_, i) => ({
      ...read.report,
      file: `机构${String(i).padStart(4, '0')}/2022.txt`,
      meta: { ...read.report.meta, agency: `机构${String(i).padStart(4, '0')}` },
    }));
    const site = buildSite({ reports, findings: [], failures: [], rules, baseUrl: 'http://localhost:4173/' });
    const part = site.parts.find((p) => p.pages[0]?.path === 'years/2022/index.html');
    if (!part) throw new Error('no year page');
    expect(part.pages.map((p) => p.path)).toEqual(['years/2022/index.html', 'years/2022/page/2/index.html', 'years/2022/page/3/index.html']);
    expect(part.pages.map((p) => p.indexed)).toEqual([true, false, false]);
    const render = createRenderer();
    const bodies: string[] = [];
    const totals = new Set<string>();
    for (const [n, page] of part.make().pages.entries()) {
      const doc = documentOf(render(page));
      const main = doc.querySelector('#year-caption')?.closest('table');
      bodies.push(...[...(main?.querySelectorAll('tbody th[scope="row"]') ?? [])].map((th) => th.textContent ?? ''));
      totals.add(main?.querySelector('tfoot')?.textContent ?? '');
      expect(main?.querySelector('tfoot th')?.textContent).toBe('全年合计');
      // The outcomes only on the first page.
      expect(doc.querySelector('#outcomes-heading') !== null).toBe(n === 0);
      const links = [...doc.querySelectorAll('nav.pagination a')];
      expect(links.map((a) => a.getAttribute('aria-current'))).toEqual([0, 1, 2].map((i) => (i === n ? 'page' : null)));
      for (const [i, a] of links.entries()) expect(a.getAttribute('href')).toBe(relativeHref(page.path, part.pages[i]!.path.replace(/index\.html$/, '')));
      // Each table has rows: an empty ranking slice is said in words.
      for (const table of doc.querySelectorAll('table')) expect(table.querySelectorAll('tbody tr').length).toBeGreaterThan(0);
    }
    expect(bodies).toEqual(reports.map((r) => r.meta.agency));
    expect(totals.size).toBe(1);
  });
});

describe('the home page', () => {
  it('lists the first bodies and links to further pages that list the rest, each body once', async () => {
    const read = await parseReport(seed, readFileSync(seed));
    if (!read.ok) throw new Error('seed report unreadable');
    const count = bodiesPerPage + 5;
    const reports = Array.from({ length: count }, (_, i) => ({
      ...read.report,
      file: `机构${String(i).padStart(4, '0')}/2022.txt`,
      meta: { ...read.report.meta, agency: `机构${String(i).padStart(4, '0')}` },
    }));
    const site = buildSite({ reports, findings: [], failures: [], rules, baseUrl: 'http://localhost:4173/' });
    // Each page a part of its own, keyed by what it lists: a change to one body remakes only its page of the list.
    const listParts = ['index.html', 'body-list/2/index.html'].map((path) => site.parts.find((p) => p.pages[0]?.path === path));
    if (listParts.some((part) => !part)) throw new Error('no home page or list page');
    expect(listParts.flatMap((part) => part!.pages.map((p) => [p.path, p.kind, p.indexed]))).toEqual([
      ['index.html', 'home', true],
      ['body-list/2/index.html', 'bodies', false],
    ]);
    expect(listParts.every((part) => part!.key !== null)).toBe(true);
    const render = createRenderer();
    const listed: string[] = [];
    const titles = new Set<string>();
    for (const [n, page] of listParts.flatMap((part) => part!.make().pages).entries()) {
      const doc = documentOf(render(page));
      titles.add(doc.title);
      listed.push(...[...doc.querySelectorAll('ul.bodies > li > a')].map((a) => a.textContent ?? ''));
      const links = [...doc.querySelectorAll('nav.pagination a')];
      expect(links.map((a) => a.getAttribute('href'))).toEqual(n === 0 ? ['./#bodies', 'body-list/2/'] : ['../../#bodies', '../../body-list/2/']);
      expect(links.map((a) => a.getAttribute('aria-current'))).toEqual([0, 1].map((i) => (i === n ? 'page' : null)));
      expect(doc.querySelector('main')?.hasAttribute('data-pagefind-body')).toBe(n === 0);
    }
    expect(listed).toEqual(reports.map((r) => r.meta.agency));
    expect(titles.size).toBe(2);
  });
});
