/**
 * The Markdown authoring form, on the seed report (000) written in that form
 * and on minimally changed copies of it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test, vi } from 'vitest';
import { parseDocument } from 'yaml';
import { parseSource, prepareForms } from '../src/parse/index.js';
import { scanFast, scanWithRemark } from '../src/parse/markdown-blocks.js';
import { plainFrontMatter } from '../src/parse/markdown.js';
import { Source } from '../src/read/source.js';
import { requestColumns } from '../src/template/layout.js';
import type { Report } from '../src/template/model.js';
import { toReportJson } from '../src/template/schema.js';
import { toAuthoringMarkdown } from '../src/write/markdown.js';
import { parseCorpus } from './helpers/corpus.js';

// parseSource reads with what the adapters' prepare loads (remark, yaml): all of it, for any document below.
await prepareForms();
const seed = await parseCorpus('000');
const seedMarkdown = toAuthoringMarkdown(seed.report);

function parseMarkdown(text: string, file = 'content/报告/2022.md'): Report {
  const result = parseSource(new Source(file, text));
  if (!result.ok) throw new Error(result.error.message);
  return result.report;
}

/** Line indexes of table 三 (header first) in a document's lines. */
function requestsTableLines(lines: string[]): number[] {
  const header = lines.findIndex((l) => l.startsWith('| 项目 |'));
  const indexes: number[] = [];
  for (let i = header; i < lines.length && lines[i]?.startsWith('|'); i++) if (i !== header + 1) indexes.push(i);
  return indexes;
}

function cellsOf(line: string): string[] {
  return line.replace(/^\|/, '').replace(/\|$/, '').split('|');
}

function rowOf(cells: string[]): string {
  return `|${cells.join('|')}|`;
}

/** The document with every row of table 三 (header included) changed by `edit`. */
function editRequestsTable(text: string, edit: (cells: string[], isHeader: boolean) => string[]): string {
  const lines = text.split('\n');
  const [header, ...rows] = requestsTableLines(lines);
  for (const i of [header as number, ...rows]) lines[i] = rowOf(edit(cellsOf(lines[i] as string), i === header));
  const delimiter = (header as number) + 1;
  lines[delimiter] = rowOf(edit(cellsOf(lines[delimiter] as string), false).map(() => ' --- '));
  return lines.join('\n');
}

function replaceRequestCell(text: string, rowStart: string, column: number, value: string): string {
  return editRequestsTable(text, (cells, isHeader) => {
    if (isHeader || !cells[0]?.trim().startsWith(rowStart)) return cells;
    const copy = [...cells];
    copy[column + 1] = ` ${value} `;
    return copy;
  });
}

describe('the full authoring form', () => {
  const report = parseMarkdown(seedMarkdown);

  test('is read by the Markdown adapter to the same tables, metadata and template', () => {
    expect(report.form).toBe('markdown');
    const json = toReportJson(report);
    expect(json.tables).toEqual(seed.json.tables);
    expect(json.meta).toEqual(seed.json.meta);
    expect(json.template).toBe(seed.json.template);
  });

  test('finds all six sections and keeps their prose as Markdown without the tables', () => {
    expect(report.sections.map((s) => s.id)).toEqual(['overview', 'active', 'requests', 'review', 'problems', 'other']);
    expect(report.messages.filter((m) => m.ruleId === 'section-missing')).toEqual([]);
    for (const section of report.sections) expect(section.text).not.toMatch(/^\|/m);
    const overview = seed.report.sections.find((s) => s.id === 'overview');
    expect(report.sections[0]?.text).toBe(overview?.text);
  });

  test('places every cell at its text in the source', () => {
    const lines = seedMarkdown.split('\n');
    const cells = Object.values(report.tables.requests ?? {}).flat();
    expect(cells).toHaveLength(25 * requestColumns.length);
    for (const cell of cells) {
      const at = cell.position;
      expect(at).not.toBeNull();
      const line = lines[(at?.line ?? 0) - 1] ?? '';
      expect(line.slice((at?.column ?? 0) - 1).startsWith(cell.text)).toBe(true);
    }
  });

  test('is scanned line by line to exactly the blocks remark gives', () => {
    const fast = scanFast(seedMarkdown);
    expect(fast).not.toBeNull();
    expect(fast).toEqual(scanWithRemark(seedMarkdown));
  });

  test('plain front matter is read as the YAML parser reads it', () => {
    const frontMatter = scanFast(seedMarkdown)?.frontMatter?.value ?? '';
    const plain = plainFrontMatter(frontMatter);
    expect(plain).not.toBeNull();
    expect(plain).toEqual(parseDocument(frontMatter).toJS());
    expect(plainFrontMatter('title: a: b')).toBeNull();
    expect(plainFrontMatter('year: 0x10')).toBeNull();
  });
});

test('the complete example of docs/authoring.md reads to the seed report tables', () => {
  const doc = readFileSync(new URL('../docs/authoring.md', import.meta.url), 'utf8');
  const example = [...doc.matchAll(/```markdown\n([\s\S]*?)\n```/g)].at(-1)?.[1] ?? '';
  const report = parseMarkdown(example);
  expect(report.form).toBe('markdown');
  expect(toReportJson(report).tables).toEqual(seed.json.tables);
  expect(report.sections).toHaveLength(6);
  expect(report.messages).toEqual([]);
});

describe('rows and columns are found by their labels', () => {
  test('reordered rows and columns land in the same cells', () => {
    let swappedRows = false;
    const reordered = editRequestsTable(seedMarkdown, (cells) => {
      // 自然人 and 总计 change places in the header and in every row.
      const copy = [...cells];
      [copy[1], copy[7]] = [copy[7] as string, copy[1] as string];
      return copy;
    }).replace(/^(\| 一、本年新收.*)\n(\| 二、上年结转.*)$/m, (_, first: string, second: string) => {
      swappedRows = true;
      return `${second}\n${first}`;
    });
    expect(swappedRows).toBe(true);
    expect(reordered).not.toBe(seedMarkdown);
    const report = parseMarkdown(reordered);
    expect(toReportJson(report).tables).toEqual(seed.json.tables);
    expect(report.messages.filter((m) => m.severity !== 'info')).toEqual([]);
  });

  test('a missing column gives unread cells and a positioned message, never shifted numbers', () => {
    const research = requestColumns.findIndex((c) => c.key === 'research');
    const without = editRequestsTable(seedMarkdown, (cells) => cells.filter((_, i) => i !== research + 1));
    const report = parseMarkdown(without);
    const headerLine = without.split('\n').findIndex((l) => l.startsWith('| 项目 |')) + 1;
    const message = report.messages.find((m) => m.ruleId === 'column-missing');
    expect(message).toMatchObject({ line: headerLine, column: 1 });
    expect(message?.message).toContain('科研机构');
    for (const [row, cells] of Object.entries(report.tables.requests ?? {})) {
      expect(cells[research]?.state).toBe('unread');
      cells.forEach((cell, i) => {
        if (i !== research) expect(cell.value).toBe(seed.report.tables.requests?.[row]?.[i]?.value);
      });
    }
  });

  test('a missing row gives unread cells and a message', () => {
    const without = seedMarkdown.replace(/^\| 四、结转下年度继续办理.*\n/m, '');
    expect(without).not.toBe(seedMarkdown);
    const report = parseMarkdown(without);
    expect(report.tables.requests?.carriedForward?.every((c) => c.state === 'unread')).toBe(true);
    expect(report.messages.some((m) => m.ruleId === 'row-missing' && m.message.includes('结转下年度'))).toBe(true);
    expect(toReportJson(report).tables.requests?.totalProcessed).toEqual(seed.json.tables.requests?.totalProcessed);
  });
});

describe('cells', () => {
  test('blank, "/" and 0 are three different things', () => {
    let text = replaceRequestCell(seedMarkdown, '一、本年新收', 0, '');
    text = replaceRequestCell(text, '一、本年新收', 1, '/');
    text = replaceRequestCell(text, '一、本年新收', 2, '0');
    const row = parseMarkdown(text).tables.requests?.newReceived;
    expect(row?.slice(0, 3).map((c) => [c.state, c.value])).toEqual([
      ['blank', null],
      ['slash', null],
      ['number', 0],
    ]);
  });

  test('the fee keeps its published decimals', () => {
    const text = seedMarkdown.replace(/^(\| 行政事业性收费 \| )[^|]*\|/m, '$19116.360 |');
    const report = parseMarkdown(text);
    expect(report.tables.active?.fees?.amount?.text).toBe('9116.360');
    expect(toReportJson(report).tables.active?.fees).toBe('9116.360');
  });
});

describe('partial and broken documents', () => {
  test('front matter and table 三 alone: the table is read, the missing sections are reported', () => {
    const lines = seedMarkdown.split('\n');
    const frontMatterEnd = lines.indexOf('---', 1);
    const table = requestsTableLines(lines);
    const header = lines[table[0] as number] as string;
    const delimiter = lines[(table[0] as number) + 1] as string;
    const partial = [
      ...lines.slice(0, frontMatterEnd + 1),
      '',
      '## 三、收到和处理政府信息公开申请情况',
      '',
      header,
      delimiter,
      ...table.slice(1).map((i) => lines[i] as string),
      '',
    ].join('\n');
    const report = parseMarkdown(partial);
    expect(report.tables.active).toBeNull();
    expect(report.tables.review).toBeNull();
    expect(toReportJson(report).tables.requests).toEqual(seed.json.tables.requests);
    const missing = report.messages.filter((m) => m.ruleId === 'section-missing');
    expect(missing).toHaveLength(5);
    expect(missing.every((m) => m.line >= 1 && m.column >= 1)).toBe(true);
  });

  test('invalid YAML gives a positioned message, and the tables are still read', () => {
    const broken = seedMarkdown.replace(/^agency: .*$/m, 'agency: [桐柏县应急管理局');
    const report = parseMarkdown(broken);
    const message = report.messages.find((m) => m.ruleId === 'front-matter');
    expect(message?.severity).toBe('warning');
    expect(message?.line).toBeGreaterThan(1);
    expect(message?.line).toBeLessThan(broken.split('\n').indexOf('---', 1) + 2);
    expect(toReportJson(report).tables).toEqual(seed.json.tables);
  });

  test('raw HTML stays text in the prose and changes nothing else', () => {
    const html = '<div class="note">本报告<b>电子版</b>可在门户网站下载。</div>';
    const withHtml = seedMarkdown.replace(/^## 一、总体情况\n/m, `## 一、总体情况\n\n${html}\n`);
    expect(scanFast(withHtml)).toBeNull();
    const report = parseMarkdown(withHtml);
    expect(report.sections[0]?.text).toContain(html);
    expect(toReportJson(report).tables).toEqual(seed.json.tables);
  });

  test('remark and the YAML parser are loaded by parseReport for the documents that need them, and never missed', async () => {
    const withHtml = seedMarkdown.replace(/^## 一、总体情况\n/m, '## 一、总体情况\n\n<div>本报告电子版可在门户网站下载。</div>\n');
    const withList = seedMarkdown.replace(/^template: .*$/m, (line) => `${line}\naccept:\n  - rule: carry-over\n    reason: 机构改革`);
    const withBoth = withList.replace(/^## 一、总体情况\n/m, '## 一、总体情况\n\n<div>本报告电子版可在门户网站下载。</div>\n');
    // A fresh copy of the parsers, nothing loaded yet.
    vi.resetModules();
    const fresh = await import('../src/parse/index.js');
    const { Source: FreshSource } = await import('../src/read/source.js');
    expect(() => fresh.parseSource(new FreshSource('content/报告/2022.md', withHtml))).toThrow(/remark/);
    for (const text of [withHtml, withList, withBoth]) {
      // A fresh copy for each document, so that what one loads cannot stand in for what another needs.
      vi.resetModules();
      const { parseReport } = await import('../src/parse/index.js');
      const read = await parseReport('content/报告/2022.md', Buffer.from(text));
      expect(read.ok && toReportJson(read.report)).toEqual(toReportJson(parseMarkdown(text)));
    }
    expect(parseMarkdown(withList).accepted).toEqual([{ ruleId: 'carry-over', reason: '机构改革' }]);
  });

  test('accepted exceptions and unread cells in the front matter', () => {
    const front = [
      'accept:',
      '  - rule: carry-over',
      '    cells: [requests.carriedOver.total]',
      '    reason: 机构改革，上年结转由原单位办理',
      'unread:',
      '  - cell: requests.newReceived.naturalPerson',
      '    text: "15130000154"',
      '    candidates: [1, 15]',
      '  - cell: requests.newReceived.total',
      '    text: 看不清',
    ].join('\n');
    let text = seedMarkdown.replace(/^template: .*$/m, (line) => `${line}\n${front}`);
    text = replaceRequestCell(text, '一、本年新收', 0, '');
    const report = parseMarkdown(text);
    expect(report.accepted).toEqual([
      { ruleId: 'carry-over', cells: ['requests.carriedOver.total'], reason: '机构改革，上年结转由原单位办理' },
    ]);
    const [first] = report.tables.requests?.newReceived ?? [];
    expect(first).toMatchObject({ state: 'ambiguous', candidates: [1, 15], text: '15130000154' });
    // A listed cell the table fills in keeps its number, with a note that the entry can go.
    expect(report.tables.requests?.newReceived?.[6]?.state).toBe('number');
    expect(report.messages.some((m) => m.ruleId === 'front-matter' && m.cells?.includes('requests.newReceived.total'))).toBe(
      true,
    );
  });

  test('a Markdown file with front matter is the authoring form, one without is not', () => {
    expect(parseMarkdown(seedMarkdown).form).toBe('markdown');
    const bare = seedMarkdown.slice(seedMarkdown.indexOf('---', 3) + 4);
    expect(parseMarkdown(bare).form).not.toBe('markdown');
  });
});
