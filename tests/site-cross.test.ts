/**
 * Pages across reports on real corpus reports: year-over-year comparisons,
 * the combined-report check (tests/fixtures/combined/: a Markdown report
 * whose tables are the sums of 平潭 2025 and 沭阳 2025), year overviews with
 * outcomes and timeliness, the Atom feed and the search index.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseReport } from '../src/parse/index.js';
import { cellAt } from '../src/template/model.js';
import type { Report } from '../src/template/model.js';
import { corpusFile } from './helpers/corpus.js';
import { buildTo, documentOf, htmlPages, makeContent, readSite, reportPage } from './site-helpers.js';

const combinedFixture = readFileSync(join(import.meta.dirname, 'fixtures/combined/两地汇总示例/2025.md'), 'utf8');
const shuyang = readFileSync(corpusFile('011'), 'utf8');

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.2 AA and best-practice rules in jsdom (contrast is left to the browser test). */
async function axeViolations(html: string): Promise<string[]> {
  const dom = new JSDOM(html, { url: 'http://localhost/page/', runScripts: 'outside-only', pretendToBeVisual: true });
  const window = dom.window as unknown as { eval(code: string): unknown; document: Document; axe: { run(ctx: Document, options: object): Promise<{ violations: { id: string }[] }> } };
  window.eval(axeSource);
  const result = await window.axe.run(window.document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  dom.window.close();
  return result.violations.map((v) => v.id);
}

function pageAt(out: string, pattern: RegExp): { path: string; doc: Document } {
  const page = htmlPages(out).find((p) => pattern.test(p.path));
  if (!page) throw new Error(`no page matches ${pattern}`);
  return { path: page.path, doc: documentOf(page.html) };
}

/** Rows of a table as text cells (header cell first). */
function rowsOf(table: Element): string[][] {
  return [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? ''));
}

async function parsed(id: string): Promise<Report> {
  const result = await parseReport(corpusFile(id), readFileSync(corpusFile(id)));
  if (!result.ok) throw new Error(result.error.message);
  return result.report;
}

describe('year-over-year comparison', () => {
  let out: string;
  beforeAll(async () => {
    const content = makeContent({
      '006': '平潭综合实验区/2020.txt',
      '005': '平潭综合实验区/2021.txt',
      '004': '平潭综合实验区/2022.txt',
      '001': '平潭综合实验区/2025.txt',
    });
    out = (await buildTo(content, { allowErrors: true })).out;
  }, 120_000);

  it('leaves the comparison pages out of the search index, as their reports are in it', () => {
    // A comparison repeats its two reports' names and findings: a search finds the reports, which link to it.
    const pages = htmlPages(out);
    const indexed = (pattern: RegExp) => pages.filter((p) => pattern.test(p.path)).map((p) => p.html.includes('data-pagefind-body'));
    expect(indexed(/\/compare\/\d{4}-\d{4}\/index\.html$/)).toEqual([false, false]);
    const reports = indexed(/^bodies\/[^/]+\/\d{4}\/index\.html$/);
    expect(reports.length).toBeGreaterThanOrEqual(3);
    expect(reports).not.toContain(false);
  });

  it('makes one page per pair of consecutive years, none across the gap 2022 → 2025', () => {
    const compared = htmlPages(out)
      .map((p) => /\/compare\/(\d{4}-\d{4})\/index\.html$/.exec(p.path)?.[1])
      .filter(Boolean);
    expect(compared).toEqual(['2020-2021', '2021-2022']);
    const links = (year: number) =>
      [...documentOf(reportPage(out, '平潭综合实验区', year)).querySelectorAll('.report-links a')]
        .map((a) => /\/compare\/(\d{4}-\d{4})\/$/.exec(a.getAttribute('href') ?? '')?.[1])
        .filter(Boolean);
    expect(links(2020)).toEqual(['2020-2021']);
    expect(links(2021)).toEqual(['2020-2021', '2021-2022']);
    expect(links(2022)).toEqual(['2021-2022']);
    expect(links(2025)).toEqual([]);
  });

  it('sets every cell of 表三 side by side with the change in words and numbers', async () => {
    const [before, after] = [await parsed('005'), await parsed('004')];
    const { doc } = pageAt(out, /compare\/2021-2022\/index\.html$/);
    const table = doc.querySelector('#compare-requests-caption')?.closest('table');
    expect(table).not.toBeNull();
    const rows = rowsOf(table as Element);
    expect(rows.length).toBe(25 * 7);
    let changed = 0;
    for (const ref of ['requests.newReceived.total', 'requests.granted.naturalPerson', 'requests.unavailable.notHeld.total', 'requests.totalProcessed.total']) {
      const a = cellAt(before.tables, ref)?.value as number;
      const b = cellAt(after.tables, ref)?.value as number;
      const row = rows.find((r) => r[1] === String(a) && r[2] === String(b) && r[3]?.startsWith(b > a ? '增加' : b < a ? '减少' : '相同'));
      expect(row, ref).toBeDefined();
      if (a !== b) {
        changed++;
        expect(row?.[3], ref).toContain(`${Math.abs(b - a)}（`);
      }
    }
    expect(changed).toBeGreaterThan(0);
    // The row classes only repeat what the words say.
    for (const tr of (table as Element).querySelectorAll('tbody tr')) {
      const words = tr.lastElementChild?.textContent ?? '';
      const state = tr.className.replace('change-', '');
      expect(state).toBe(words === '相同' ? 'same' : words.startsWith('无法比较') ? 'incomparable' : 'changed');
    }
  });

  it('compares a 2019-format year with a 2021-format year without inventing the rows one format lacks', () => {
    const { doc } = pageAt(out, /compare\/2020-2021\/index\.html$/);
    const table = doc.querySelector('#compare-requests-caption')?.closest('table') as Element;
    const rows = rowsOf(table);
    const onlyIn2020 = rows.filter((r) => r[2] === '2021 年格式无此项');
    const onlyIn2021 = rows.filter((r) => r[1] === '2020 年格式无此项');
    expect(onlyIn2020.length).toBe(7);
    expect(onlyIn2021.length).toBe(21);
    for (const r of [...onlyIn2020, ...onlyIn2021]) expect(r[3]).toBe('无法比较（两年格式不同）');
  });

  it('shows section 五 passage by passage and marks passages copied from last year', async () => {
    // A minimally changed copy: 2021's report restated as 2022, so its section 五 repeats word for word.
    const copied = readFileSync(corpusFile('005'), 'utf8').replaceAll('2021', '2022');
    const content = makeContent({ '005': '平潭综合实验区/2021.txt' }, { '平潭综合实验区/2022.txt': copied });
    const { out: copiedOut } = await buildTo(content, { allowErrors: true });
    const { doc } = pageAt(copiedOut, /compare\/2021-2022\/index\.html$/);
    const section = doc.querySelector('#compare-problems-heading')?.parentElement as Element;
    expect(section.textContent).toContain('约 100% 相同');
    expect(section.querySelector('.rule-findings')?.textContent?.trim()).toMatch(/^警告：五、存在的主要问题及改进情况与上一年（2021 年.*相同/);
    const verdicts = [...section.querySelectorAll('tbody tr td:last-child')].map((td) => td.textContent ?? '');
    expect(verdicts.length).toBeGreaterThan(2);
    for (const v of verdicts) expect(v).toMatch(/^与上年重复（\d+% 相同）$/);
    // The real 2022 report rewrote its section 五: no passage is marked repeated.
    const real = pageAt(out, /compare\/2021-2022\/index\.html$/).doc;
    const realVerdicts = [...real.querySelectorAll('.passages tbody td:last-child')].map((td) => td.textContent ?? '');
    expect(realVerdicts.length).toBeGreaterThan(2);
    expect(realVerdicts.filter((v) => v.startsWith('与上年重复'))).toEqual([]);
  }, 120_000);
});

describe('combined report (tests/fixtures/combined)', () => {
  async function buildCombined(extra: Record<string, string>, corpus: Record<string, string>) {
    const content = makeContent(corpus, { '两地汇总示例/2025.md': combinedFixture, ...extra });
    return buildTo(content, { allowErrors: true });
  }

  it('passes the aggregate check when its figures are the sums of the two reports', async () => {
    const { out, result } = await buildCombined({}, { '001': '平潭综合实验区/2025.txt', '011': '沭阳县人民政府/2025.md' });
    expect(result.findings.filter((f) => f.ruleId === 'aggregate')).toEqual([]);
    const { doc } = pageAt(out, /两地汇总示例-[^/]+\/2025\/combined\/index\.html$/);
    const rows = rowsOf(doc.querySelector('#combined-caption')?.closest('table') as Element);
    expect(rows.length).toBe(25 * 7 + 3 * 5);
    expect(rows.every((r) => r[4] === '一致' && r[1] === r[3])).toBe(true);
    expect(doc.querySelector('.rule-findings')?.textContent).toContain('通过');
    const constituents = [...doc.querySelectorAll('#constituents-heading + ul a')].map((a) => a.textContent);
    expect(constituents).toHaveLength(2);
    // The report page links to its check.
    const reportLinks = [...documentOf(reportPage(out, '两地汇总示例', 2025)).querySelectorAll('.report-links a')].map((a) => a.getAttribute('href'));
    expect(reportLinks.filter((href) => href?.endsWith('/2025/combined/'))).toHaveLength(1);
    // The year's outcome totals count the two reports once, not the combined report again.
    const year = pageAt(out, /^years\/2025\/index\.html$/).doc;
    expect(year.querySelector('#outcomes-heading')?.parentElement?.textContent).toContain('两地汇总示例（汇总报告）');
    const outcomes = rowsOf(year.querySelector('#outcomes-caption')?.closest('table') as Element);
    expect(outcomes.find((r) => r[0] === '予以公开')?.[1]).toBe(rows.find((r) => r[0] === '（一）予以公开·总计')?.[3]);
    // So do the key-figure totals: 本年新收 sums the two reports, which the combined report equals.
    const figuresTable = year.querySelector('#year-caption')?.closest('table') as Element;
    const combinedRow = rowsOf(figuresTable).find((r) => r[0] === '两地汇总示例');
    const totalRow = [...(figuresTable.querySelector('tfoot tr')?.children ?? [])].map((c) => c.textContent?.trim());
    expect(totalRow[1]).toBe(combinedRow?.[1]);
    expect(year.body.textContent).toContain('合计不含汇总报告（两地汇总示例）');
    const html = htmlPages(out).find((p) => p.path.endsWith('/2025/combined/index.html'))?.html ?? '';
    expect(await axeViolations(html)).toEqual([]);
  }, 120_000);

  it('fails, cell by cell, when a constituent figure is changed', async () => {
    const changed = shuyang.replace('| 本年新收政府信息公开申请数量 | 705 |', '| 本年新收政府信息公开申请数量 | 706 |');
    expect(changed).not.toBe(shuyang);
    const { out, result } = await buildCombined({ '沭阳县人民政府/2025.md': changed }, { '001': '平潭综合实验区/2025.txt' });
    const aggregate = result.findings.filter((f) => f.ruleId === 'aggregate');
    expect(aggregate).toHaveLength(1);
    expect(aggregate[0]?.cells).toEqual(['requests.newReceived.naturalPerson']);
    const { doc } = pageAt(out, /两地汇总示例-[^/]+\/2025\/combined\/index\.html$/);
    const rows = rowsOf(doc.querySelector('#combined-caption')?.closest('table') as Element);
    const different = rows.filter((r) => r[4] !== '一致');
    expect(different).toEqual([['一、本年新收·自然人', '856', '151 + 706', '857', '不符：汇总数比各部分之和少 1']]);
    expect(doc.querySelector('.rule-findings')?.textContent).toContain('汇总数与 2 份被汇总年报之和不符 1 处');
  }, 120_000);

  it('lists a constituent whose report is missing', async () => {
    const { out, result } = await buildCombined({}, { '001': '平潭综合实验区/2025.txt' });
    expect(result.findings.filter((f) => f.ruleId === 'aggregate').map((f) => f.message)).toEqual([
      '无法核对汇总：声明汇总的 沭阳县人民政府 的 2025 年报告不在本次检查范围内',
    ]);
    const { doc } = pageAt(out, /两地汇总示例-[^/]+\/2025\/combined\/index\.html$/);
    expect(doc.querySelector('#constituents-heading')?.parentElement?.textContent).toContain('沭阳县人民政府：本站未收录其同年的年报');
    const rows = rowsOf(doc.querySelector('#combined-caption')?.closest('table') as Element);
    expect(rows.every((r) => r[4] === '无法核对：缺少被汇总机关的年报')).toBe(true);
  }, 120_000);
});

describe('year overview, feed and search index', () => {
  let out: string;
  let findings: Awaited<ReturnType<typeof buildTo>>['result']['findings'];
  beforeAll(async () => {
    const content = makeContent({
      '001': '平潭综合实验区/2025.txt',
      '011': '沭阳县人民政府/2025.md',
      '004': '平潭综合实验区/2022.txt',
      '000': '桐柏县应急管理局/2022.txt',
    });
    const built = await buildTo(content, { allowErrors: true });
    out = built.out;
    findings = built.result.findings;
  }, 120_000);

  it('sums the outcomes of table 三 over the year and draws them as a labelled chart beside the table', async () => {
    const { doc } = pageAt(out, /^years\/2025\/index\.html$/);
    const reports = [await parsed('001'), await parsed('011')];
    const rows = rowsOf(doc.querySelector('#outcomes-caption')?.closest('table') as Element);
    const granted = reports.reduce((sum, r) => sum + (cellAt(r.tables, 'requests.granted.total')?.value as number), 0);
    const partly = reports.reduce((sum, r) => sum + (cellAt(r.tables, 'requests.partiallyGranted.total')?.value as number), 0);
    expect(rows.find((r) => r[0] === '予以公开')?.[1]).toBe(String(granted));
    expect(rows.find((r) => r[0] === '部分公开')?.[1]).toBe(String(partly));
    expect(rows.map((r) => r[0])).toEqual(['予以公开', '部分公开', '不予公开', '无法提供', '不予处理', '其他处理']);
    const svg = doc.querySelector('figure svg[role="img"]');
    const labelled = (svg?.getAttribute('aria-labelledby') ?? '').split(' ').map((id) => doc.getElementById(id)?.textContent ?? '');
    expect(labelled[0]).toContain('办理结果分布');
    expect(labelled[1]).toContain(`予以公开 ${granted} 件`);
    expect(doc.querySelector('figure figcaption')).not.toBeNull();
  });

  it('ranks bodies by findings and sets each publication date against its deadline as the deadline rule does', () => {
    const { doc } = pageAt(out, /^years\/2025\/index\.html$/);
    const ranking = rowsOf(doc.querySelector('#ranking-caption')?.closest('table') as Element);
    const standing = (agencyFile: string, severity: string) =>
      findings.filter((f) => f.file.startsWith(agencyFile) && f.severity === severity && f.accepted === undefined).length;
    for (const row of ranking) {
      const folder = row[1]?.startsWith('平潭') ? '平潭综合实验区/2025' : '沭阳县人民政府/2025';
      expect(row.slice(2, 5), row[1]).toEqual([standing(folder, 'error'), standing(folder, 'warning'), standing(folder, 'info')].map(String));
    }
    const timeliness = rowsOf(doc.querySelector('#timeliness-caption')?.closest('table') as Element);
    expect(timeliness).toHaveLength(2);
    for (const row of timeliness) {
      const folder = row[0]?.startsWith('平潭') ? '平潭综合实验区/2025' : '沭阳县人民政府/2025';
      const late = findings.some((f) => f.file.startsWith(folder) && f.ruleId === 'deadline');
      expect(row[4]?.startsWith('逾期'), row[0]).toBe(late);
    }
    expect(timeliness.find((r) => r[0]?.startsWith('沭阳'))?.slice(1)).toEqual(['县级人民政府', '2026-02-20', '2026-01-23', '按期（提前 28 天）']);
    const unknown = rowsOf(pageAt(out, /^years\/2022\/index\.html$/).doc.querySelector('#timeliness-caption')?.closest('table') as Element);
    expect(unknown.find((r) => r[0]?.startsWith('桐柏'))?.[4]).toBe('发布日期未知，无法判断');
  });

  it('writes a valid Atom feed of the reports with a publication date, newest first', () => {
    const xml = readSite(out).get('feed.xml')?.toString('utf8') ?? '';
    const doc = new JSDOM(xml, { contentType: 'application/xml' }).window.document;
    expect(doc.querySelector('parsererror')).toBeNull();
    expect(doc.documentElement.namespaceURI).toBe('http://www.w3.org/2005/Atom');
    const published = [...doc.querySelectorAll('entry published')].map((e) => e.textContent);
    expect(published).toEqual(['2026-03-10T00:00:00Z', '2026-01-23T00:00:00Z', '2023-02-20T00:00:00Z']);
    expect(doc.querySelector('feed > subtitle')?.textContent).toContain('另有 1 份发布日期未知');
    for (const link of doc.querySelectorAll('entry link')) expect(link.getAttribute('href')).toMatch(/^http:\/\/localhost:4173\/bodies\//);
  });

  it('escapes report text in the feed', async () => {
    const hostile = combinedFixture.replace(/^title: .*$/m, 'title: 两地<script>alert(1)</script>&amp; "汇总"').replace(/^year: 2025$/m, 'year: 2025\npublished: 2026-01-05');
    const { out: hostileOut } = await buildTo(makeContent({}, { '两地汇总示例/2025.md': hostile }), { allowErrors: true });
    const xml = readSite(hostileOut).get('feed.xml')?.toString('utf8') ?? '';
    expect(xml).not.toContain('<script>');
    const doc = new JSDOM(xml, { contentType: 'application/xml' }).window.document;
    expect(doc.querySelector('parsererror')).toBeNull();
    expect(doc.querySelector('entry title')?.textContent).toBe('两地<script>alert(1)</script>&amp; "汇总"');
  }, 120_000);

  it('builds a search index of the content pages, without the search and 404 pages', () => {
    const site = readSite(out);
    const index = [...site.keys()].filter((p) => p.startsWith('pagefind/'));
    expect(index).toContain('pagefind/pagefind.js');
    expect(index).toContain('pagefind/pagefind-entry.json');
    expect(index.some((p) => p.endsWith('.pf_meta'))).toBe(true);
    // The main index and the shards the search script merges into it: every indexed page in exactly one.
    const shards = JSON.parse(site.get('pagefind/shards.json')?.toString('utf8') ?? 'null') as string[];
    const entries = ['', ...shards].map((dir) => {
      expect(index).toContain(`pagefind/${dir}pagefind-entry.json`);
      expect(index.some((p) => p.startsWith(`pagefind/${dir}`) && /^[^/]+\.pf_meta$/.test(p.slice(`pagefind/${dir}`.length)))).toBe(true);
      return JSON.parse(site.get(`pagefind/${dir}pagefind-entry.json`)?.toString('utf8') ?? '{}') as { languages: Record<string, { page_count: number }> };
    });
    // The loader and its WebAssembly once, with the main index.
    expect(index.filter((p) => p.endsWith('pagefind.js'))).toEqual(['pagefind/pagefind.js']);
    const indexed = htmlPages(out).filter((p) => p.html.includes('data-pagefind-body'));
    expect(indexed.map((p) => p.path)).not.toContain('search/index.html');
    expect(indexed.map((p) => p.path)).not.toContain('404.html');
    const pageCount = entries.flatMap((e) => Object.values(e.languages)).reduce((sum, l) => sum + l.page_count, 0);
    expect(pageCount).toBe(indexed.length);
  });
});
