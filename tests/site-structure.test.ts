/**
 * Structure of the built pages, from real corpus reports: one h1, headings in
 * order, a caption on every table, every data cell of table 三 tied to its row
 * header and all three column header levels by headers/id, findings beside the
 * cells they name, absences in words, and the downloads.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { layouts, requestColumns } from '../src/template/layout.js';
import { buildTo, documentOf, htmlPages, makeContent, readSite, reportPage } from './site-helpers.js';

let out: string;
let pages: { path: string; html: string }[];
const parsed = new Map<string, Document>();

/** Each page is parsed once for all tests. */
function docOf(page: { path: string; html: string }): Document {
  let doc = parsed.get(page.path);
  if (!doc) {
    doc = documentOf(page.html);
    parsed.set(page.path, doc);
  }
  return doc;
}

beforeAll(async () => {
  const content = makeContent(
    {
      '000': '桐柏县应急管理局/2022.txt',
      '005': '平潭综合实验区/2021.txt',
      '004': '平潭综合实验区/2022.txt',
      '006': '平潭综合实验区/2020.txt',
      '020': '淮安市洪泽区人民政府/2023.txt',
      '012': '上海市科学技术委员会/2024.md',
    },
    {
      '淮安市洪泽区人民政府/2023.accept.yaml':
        '- rule: review-total\n  cells: [review.reconsideration.total]\n  reason: 原报告如此（测试用理由）\n',
    },
  );
  // 006, 012 and the second group of 020 keep their errors: the pages must show them.
  ({ out } = await buildTo(content, { allowErrors: true }));
  pages = htmlPages(out);
});

/** Places every cell of a table on its grid, honouring rowspan and colspan. */
function grid(table: HTMLTableElement) {
  const placed: { cell: HTMLTableCellElement; row: number; col: number; rows: number; cols: number; head: boolean }[] = [];
  const taken = new Set<string>();
  [...table.rows].forEach((tr, r) => {
    let c = 0;
    for (const cell of [...tr.cells]) {
      while (taken.has(`${r},${c}`)) c++;
      const rows = cell.rowSpan || 1;
      const cols = cell.colSpan || 1;
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) taken.add(`${r + i},${c + j}`);
      placed.push({ cell, row: r, col: c, rows, cols, head: tr.parentElement?.tagName === 'THEAD' });
      c += cols;
    }
  });
  return placed;
}

describe('every page', () => {
  it('has lang zh-CN, a CSP without inline script, a skip link to main, one h1 and headings in order', () => {
    expect(pages.length).toBeGreaterThan(10);
    for (const page of pages) {
      const { path } = page;
      const doc = docOf(page);
      expect(doc.documentElement.lang, path).toBe('zh-CN');
      const csp = doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).not.toContain('unsafe-inline');
      if (path === 'search/index.html') {
        // The search box is the one thing that needs JavaScript: one same-origin module, no inline script.
        expect(csp, path).toContain("script-src 'self' 'wasm-unsafe-eval'");
        const scripts = [...doc.querySelectorAll('script')];
        expect(scripts.map((s) => [s.getAttribute('type'), s.getAttribute('src'), s.textContent]), path).toEqual([['module', '../assets/search.js', '']]);
      } else {
        expect(csp, path).toContain("script-src 'none'");
        expect(doc.querySelectorAll('script').length, path).toBe(0);
      }
      const skip = doc.querySelector('a.skip-link');
      expect(skip?.getAttribute('href'), path).toBe('#main');
      expect(doc.querySelector('main#main'), path).not.toBeNull();
      expect(doc.querySelectorAll('h1').length, path).toBe(1);
      const levels = [...doc.querySelectorAll('h1,h2,h3,h4,h5,h6')].map((h) => Number(h.tagName[1]));
      levels.forEach((level, i) => {
        if (i > 0) expect(level - (levels[i - 1] ?? 1), `${path}: heading ${i}`).toBeLessThanOrEqual(1);
      });
    }
  });

  it('gives every table a caption and puts every table in a labelled, focusable region', () => {
    let tables = 0;
    for (const page of pages) {
      const { path } = page;
      const doc = docOf(page);
      for (const table of doc.querySelectorAll('table')) {
        tables++;
        expect(table.caption?.textContent?.trim(), path).toBeTruthy();
        const region = table.closest('[role="region"]');
        expect(region?.getAttribute('tabindex'), path).toBe('0');
        const label = doc.getElementById(region?.getAttribute('aria-labelledby') ?? '');
        expect(label?.textContent?.trim(), path).toBeTruthy();
        expect(table.querySelector('[align]'), path).toBeNull();
      }
    }
    expect(tables).toBeGreaterThan(20);
  });

  it('links only inside the site (no absolute URLs to other hosts for resources)', () => {
    for (const page of pages) {
      const { path } = page;
      const doc = docOf(page);
      for (const el of doc.querySelectorAll('[src], link[href]')) {
        const url = el.getAttribute('src') ?? el.getAttribute('href') ?? '';
        expect(url, path).not.toMatch(/^(?:[a-z]+:)?\/\//i);
      }
    }
  });
});

describe('table 三', () => {
  it('ties every data cell to its row header and all three column header levels', () => {
    const reportPages = pages.filter((p) => /^bodies\/[^/]+\/\d{4}\/index\.html$/.test(p.path));
    let checked = 0;
    for (const page of reportPages) {
      const { path } = page;
      const doc = docOf(page);
      const table = doc.querySelector<HTMLTableElement>('table.table-requests');
      if (!table) continue;
      const cells = grid(table);
      const headRows = table.tHead?.rows.length ?? 0;
      expect(headRows).toBe(3);
      const firstDataColumn = Math.min(...cells.filter((c) => c.cell.tagName === 'TD').map((c) => c.col));
      const tds = cells.filter((c) => c.cell.tagName === 'TD');
      const rowCount = tds.length / requestColumns.length;
      expect([layouts['2021'].requestRows.length, layouts['2019'].requestRows.length]).toContain(rowCount);
      for (const td of tds) {
        const columnHeaders = cells.filter((h) => h.head && h.col <= td.col && td.col < h.col + h.cols);
        const rowHeaders = cells.filter(
          (h) => !h.head && h.cell.tagName === 'TH' && h.col < firstDataColumn && h.row <= td.row && td.row < h.row + h.rows,
        );
        // The column headers cover all three header rows between them.
        const covered = new Set(columnHeaders.flatMap((h) => Array.from({ length: h.rows }, (_, i) => h.row + i)));
        expect([...covered].sort(), path).toEqual([0, 1, 2]);
        expect(rowHeaders.length, path).toBeGreaterThan(0);
        const expected = [...columnHeaders, ...rowHeaders].map((h) => h.cell.id).sort();
        const actual = (td.cell.getAttribute('headers') ?? '').split(/\s+/).sort();
        expect(actual, `${path} ${td.row},${td.col}`).toEqual(expected);
        for (const id of actual) expect(doc.getElementById(id)?.tagName, path).toBe('TH');
        checked++;
      }
    }
    // 000, 004, 005 (2021, 25 rows), 006 (2019, 23 rows), 020, 012: six reports.
    expect(checked).toBe(5 * 25 * 7 + 23 * 7);
  });

  it('shows a blank cell in words, never as 0 (012: 四、结转下年度继续办理 总计 lost in conversion)', () => {
    const doc = documentOf(reportPage(out, '上海市科学技术委员会', 2024));
    const row = doc.getElementById('requests-row-carriedForward')?.closest('tr');
    const total = row?.querySelector('td:last-of-type');
    expect(total?.textContent).toContain('空白');
    expect(total?.classList.contains('absent')).toBe(true);
  });
});

describe('tables 二 and 四', () => {
  it('name existing header cells from every data cell', () => {
    for (const page of pages) {
      const { path } = page;
      const doc = docOf(page);
      for (const td of doc.querySelectorAll('table.report-table td')) {
        const ids = (td.getAttribute('headers') ?? '').split(/\s+/).filter(Boolean);
        expect(ids.length, path).toBeGreaterThanOrEqual(2);
        for (const id of ids) expect(doc.getElementById(id)?.tagName, `${path} ${id}`).toBe('TH');
      }
    }
  });
});

describe('findings on the report page', () => {
  it('marks the cells of a finding in words, lists it under the table and links its rule (020 review-total)', () => {
    const doc = documentOf(reportPage(out, '淮安市洪泽区人民政府', 2023));
    const table = doc.querySelector('table.table-review');
    const markers = [...(table?.querySelectorAll('a.marker') ?? [])];
    expect(markers.length).toBeGreaterThan(0);
    for (const marker of markers) {
      expect(marker.textContent).toMatch(/^见问题 \d+$/);
      const item = doc.getElementById((marker.getAttribute('href') ?? '').slice(1));
      expect(item?.tagName).toBe('LI');
      expect(item?.closest('section')?.id).toBe('section-review');
    }
    const items = [...doc.querySelectorAll('#section-review li.finding')];
    const texts = items.map((li) => li.textContent ?? '');
    // One group accepted with its reason, the other standing as an error.
    expect(texts.filter((t) => t.includes('已接受') && t.includes('原报告如此（测试用理由）'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('错误') && !t.includes('已接受'))).toHaveLength(1);
    for (const li of items) {
      expect(li.querySelector('a[href*="rules/review-total"]')).not.toBeNull();
    }
  });

  it('shows the error of 006 (requests-results-total, 2019 template) beside （七）总计', () => {
    const doc = documentOf(reportPage(out, '平潭综合实验区', 2020));
    const total = doc.getElementById('requests-row-totalProcessed')?.closest('tr');
    const cells = [...(total?.querySelectorAll('td') ?? [])];
    expect(cells[0]?.textContent).toMatch(/^20 见问题 \d+/);
    expect(cells.at(-1)?.textContent).toMatch(/^21 见问题 \d+/);
  });
});

describe('other pages and downloads', () => {
  it('builds home, body, year, rule and 404 pages, sitemap and downloads', () => {
    const files = readSite(out);
    const paths = [...files.keys()];
    expect(paths).toContain('index.html');
    expect(paths).toContain('404.html');
    expect(paths).toContain('sitemap.xml');
    expect(paths).toContain('assets/site.css');
    expect(paths).toContain('downloads/key-figures.csv');
    expect(paths.filter((p) => /^years\/\d{4}\/index\.html$/.test(p))).toHaveLength(5);
    expect(paths.filter((p) => /^rules\/[^/]+\/index\.html$/.test(p)).length).toBeGreaterThan(5);
    expect(paths.filter((p) => /^bodies\/[^/]+\/index\.html$/.test(p))).toHaveLength(4);
    const sitemap = files.get('sitemap.xml')?.toString() ?? '';
    expect(sitemap.match(/<loc>/g)?.length).toBe(pages.length - 1);
  });

  it('writes each report JSON in the parse --json shape and one CSV per table without turning absences into 0', () => {
    const files = readSite(out);
    const jsonPath = [...files.keys()].find((p) => p.startsWith('bodies/上海市科学技术委员会-') && p.endsWith('/report.json'));
    const json = JSON.parse(files.get(jsonPath ?? '')?.toString() ?? '{}');
    expect(json.template).toBe('2021');
    expect(json.tables.requests.carriedForward[6]).toBeNull();
    const csv = files.get(jsonPath?.replace('report.json', 'table-3-requests.csv') ?? '')?.toString() ?? '';
    const line = csv.split('\r\n').find((l) => l.startsWith('carriedForward,') && l.includes(',total,'));
    expect(line).toMatch(/,blank,,/);
  });

  it('shows the 平潭 carry-over chain with the rule result and a chart with a text alternative', () => {
    const page = pages.find((p) => /^bodies\/平潭综合实验区-[^/]+\/index\.html$/.test(p.path));
    const doc = documentOf(page?.html ?? '');
    const svg = doc.querySelector('svg[role="img"]');
    const labelled = (svg?.getAttribute('aria-labelledby') ?? '').split(' ').map((id) => doc.getElementById(id)?.textContent ?? '');
    expect(labelled.join('')).toMatch(/2021年 \d+/);
    const carryRows = [...doc.querySelectorAll('table')].find((t) => t.caption?.textContent?.includes('结转'))?.tBodies[0]?.rows;
    expect(carryRows?.length).toBe(2);
    for (const row of carryRows ?? []) expect(row.cells[4]?.textContent?.trim()).not.toBe('');
  });
});
