/** HTML pages: grid layout, label matching, chrome, metadata, on the real 014 and 015 pages. */
import { readFileSync } from 'node:fs';
import type { Element } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import { toHtml } from 'hast-util-to-html';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CHROME_TEXT, paragraphText } from '../src/parse/html/blocks.js';
import { layoutTable, rowCells } from '../src/parse/html/grid.js';
import { parseReport } from '../src/parse/index.js';
import { requestColumns } from '../src/template/layout.js';
import type { Report } from '../src/template/model.js';
import { toReportJson } from '../src/template/schema.js';
import { asTruthShape, corpusFile, truth } from './helpers/corpus.js';

const html014 = readFileSync(corpusFile('014'), 'utf8');
const html015 = readFileSync(corpusFile('015'), 'utf8');

async function parseHtml(text: string, file = 'page.html'): Promise<Report> {
  const result = await parseReport(file, new TextEncoder().encode(text));
  if (!result.ok) throw new Error(result.error.message);
  return result.report;
}

function figures(report: Report, template: '2021' | '2019') {
  return asTruthShape(toReportJson(report), template);
}

function expected(id: string) {
  const t = truth(id);
  return { requests: t.requests, review: t.review, active: { ...t.active, ...(t.template === '2019' ? { fees: null } : {}) } };
}

/** The <table> elements of a page, with the tree to serialise after changing them. */
function tablesOf(text: string) {
  const tree = fromHtml(text, { fragment: true });
  return { tree, tables: selectAll('table', tree) };
}

function cellsOf(tr: Element): Element[] {
  return tr.children.filter((c): c is Element => c.type === 'element' && c.tagName === 'td');
}

describe('grid layout', () => {
  test('rowspan and colspan put every cell of table 三 in its slot', () => {
    const { tables } = tablesOf(html014);
    const grid = layoutTable(tables[1] as Element);
    expect(grid.width).toBe(10);
    // The vertical 三、本年度办理结果 cell fills column 0 of every result row.
    const secretRow = grid.slots.findIndex((row) => row[2]?.text === '1.属于国家秘密');
    expect(grid.slots[secretRow]?.[0]?.text.replace(/\s/g, '')).toBe('三、本年度办理结果');
    expect(grid.slots[secretRow]?.[1]?.text).toBe('（三）不予公开');
    // Row 一 spans three label columns; its first value sits under 自然人 (grid column 3).
    const first = grid.slots.findIndex((row) => row[0]?.text.startsWith('一、'));
    expect(grid.slots[first]?.[2]?.text).toBe(grid.slots[first]?.[0]?.text);
    expect(grid.slots[first]?.[3]?.text).toBe('151');
    expect(grid.slots[2]?.[3]?.text).toBe('自然人');
    expect(rowCells(grid, first)).toHaveLength(8);
  });
});

describe('corpus pages', () => {
  test('014 (TRS editor fragment) reads to its truth, with cell positions in the HTML', async () => {
    const report = await parseHtml(html014, corpusFile('014'));
    expect(report.form).toBe('html');
    expect(figures(report, '2021')).toEqual(expected('014'));
    const cell = report.tables.requests?.newReceived?.[0];
    expect(cell?.position).not.toBeNull();
    const at = (cell?.position?.column ?? 0) - 1;
    expect(html014.slice(at, at + 3)).toBe('<td');
    expect(html014.slice(at, html014.indexOf('</td>', at))).toContain('151');
    expect(report.sections.map((s) => s.id)).toEqual(['overview', 'active', 'requests', 'review', 'problems', 'other']);
    expect(report.sections.find((s) => s.id === 'other')?.text).toContain('无收取信息处理费');
  });

  test('015 reads blank (&nbsp;) cells as blank, never 0', async () => {
    const report = await parseHtml(html015, corpusFile('015'));
    expect(report.template).toBe('2019');
    expect(figures(report, '2019')).toEqual(expected('015'));
    const research = report.tables.requests?.newReceived?.[2];
    expect(research?.state).toBe('blank');
    expect(research?.value).toBeNull();
    expect(report.tables.review?.reconsideration?.corrected?.state).toBe('blank');
    expect(report.meta.published).toBe('2020-01-31');
    expect(report.meta.title).toBe('2019年上海市人民政府办公厅政府信息公开工作年度报告');
  });
});

describe('header-label matching', () => {
  test('reordered rows are read as themselves', async () => {
    const { tree, tables } = tablesOf(html014);
    const table = tables[1] as Element;
    const body = (table.children.find((c) => c.type === 'element' && c.tagName === 'tbody') as Element | undefined) ?? table;
    const rows = body.children.filter((c): c is Element => c.type === 'element' && c.tagName === 'tr');
    const newReceived = rows.findIndex((tr) => toHtml(tr).includes('本年新收'));
    const carriedForward = rows.findIndex((tr) => toHtml(tr).includes('结转下年度'));
    const a = rows[newReceived] as Element;
    const b = rows[carriedForward] as Element;
    const ia = body.children.indexOf(a);
    const ib = body.children.indexOf(b);
    body.children[ia] = b;
    body.children[ib] = a;
    const report = await parseHtml(toHtml(tree));
    expect(figures(report, '2021')).toEqual(expected('014'));
  });

  test('a missing column leaves its cells unread and shifts nothing', async () => {
    const { tree, tables } = tablesOf(html014);
    const table = tables[1] as Element;
    for (const tr of selectAll('tr', table)) {
      const cells = cellsOf(tr);
      const research = cells.find((td) => toHtml(td).replace(/<[^>]+>|&nbsp;|\s/g, '') === '科研机构');
      if (research) {
        tr.children.splice(tr.children.indexOf(research), 1);
        continue;
      }
      for (const td of cells) {
        const span = Number(td.properties?.colSpan ?? 1);
        if (span === 5 || span === 7) td.properties = { ...td.properties, colSpan: span - 1 };
      }
      // Data rows end in the seven value cells; 科研机构 is the third of them.
      if (cells.length >= 8) tr.children.splice(tr.children.indexOf(cells[cells.length - 5] as Element), 1);
    }
    const report = await parseHtml(toHtml(tree));
    const researchIndex = requestColumns.findIndex((c) => c.key === 'research');
    const want = expected('014').requests;
    for (const [key, truthKey] of [
      ['newReceived', 'newReceived'],
      ['totalProcessed', 'total'],
      ['carriedForward', 'carriedForward'],
    ] as const) {
      const cells = report.tables.requests?.[key] ?? [];
      cells.forEach((cell, i) => {
        if (i === researchIndex) expect(cell.state).toBe('unread');
        else expect(cell.value).toBe(want[truthKey][i]);
      });
    }
    expect(report.messages.some((m) => m.ruleId === 'column-missing' && m.message.includes('科研机构'))).toBe(true);
  });
});

describe('whole pages', () => {
  const page = (content: string) => `<!DOCTYPE html><html><head><meta charset="utf-8">
<title>2019年上海市人民政府办公厅政府信息公开工作年度报告 - 中国上海</title>
<meta name="ArticleTitle" content="2019年上海市人民政府办公厅政府信息公开工作年度报告">
<script>var nav = "一、总体情况";</script></head>
<body><div class="top-nav"><ul><li><a href="/">首页</a></li><li>政务公开</li><li>二、主动公开</li></ul></div>
<div class="crumb">当前位置：首页 &gt; 政府信息公开 &gt; 年报</div>
<table class="xxgk-meta"><tr><td>索引号：</td><td>SH0100-2020-0001</td><td>发布机构：</td><td>上海市人民政府办公厅</td></tr>
<tr><td>成文日期：</td><td>2020年1月20日</td><td>发布日期：</td><td>2020-01-31</td></tr></table>
<div class="article"><div id="zoom">${content}</div><p>附件：</p></div>
<div class="footer"><p>版权所有：上海市人民政府办公厅</p><p>六、其他需要报告的事项 网站地图</p></div></body></html>`;

  test('chrome and the metadata table are not read as the report; the metadata is', async () => {
    const report = await parseHtml(page(html015));
    expect(figures(report, '2019')).toEqual(expected('015'));
    expect(report.meta.indexNo).toBe('SH0100-2020-0001');
    expect(report.meta.agency).toBe('上海市人民政府办公厅');
    expect(report.meta.published).toBe('2020-01-31');
    const text = report.sections.map((s) => s.text).join('\n');
    expect(text).not.toMatch(/版权所有|当前位置|网站地图|附件：/);
    expect(report.sections.filter((s) => s.id === 'other')).toHaveLength(1);
  });

  test('metadata labels are read inside nested layout tables, through markup that is not rendered', async () => {
    const metaTable = /<table class="xxgk-meta">[\s\S]*?<\/table>/;
    const nested = (inner: string) => `${'<table><tr><td>'.repeat(5)}${inner}${'</td></tr></table>'.repeat(5)}`;
    const changed = page(html015).replace(
      metaTable,
      nested(`<table><tr><td>索<script>var x = 1;</script>引号</td><td>SH0100-2020-0001</td>
<td>发布<span hidden>甲乙丙丁</span>机构</td><td>上海市人民政府办公厅</td></tr>
<tr><td><b>成文日期：2020年1月20日</b></td><td>发 布&nbsp;日 期</td><td>2020-01-31</td></tr></table>`),
    );
    expect(changed).not.toMatch(metaTable);
    const report = await parseHtml(changed);
    expect(report.meta.indexNo).toBe('SH0100-2020-0001');
    expect(report.meta.agency).toBe('上海市人民政府办公厅');
    expect(report.meta.published).toBe('2020-01-31');
    expect(figures(report, '2019')).toEqual(expected('015'));
  });

  test('label：value runs are read from lines of the text with either colon, the first of a label counting, not from overlong lines', async () => {
    const overlong = `<p>${'说明'.repeat(200)}发布机构：长行里的机构</p>`;
    const report = await parseHtml(`<p>索引号:A-1<br>没有冒号的一行</p>${overlong}<p>正文 发布机构：某局 成文日期：2024年3月1日</p>${html014}<p>发布机构：后来的机构</p><p>标题:末行的标题`);
    expect(report.meta.indexNo).toBe('A-1');
    expect(report.meta.agency).toBe('某局');
    expect(report.meta.published).toBe('2024-03-01');
    expect(report.meta.title).toBe('末行的标题');
  });

  test('Word-pasted markup (<o:p>, <font>, MsoNormal paragraphs) reads the same', async () => {
    const word = html014.replace(
      /<td([^>]*)>([\s\S]*?)<\/td>/g,
      '<td$1><p class=MsoNormal align=center><span lang=EN-US><font face="宋体">$2</font><o:p>&nbsp;</o:p></span></p></td>',
    );
    expect(word).not.toBe(html014);
    const report = await parseHtml(word);
    expect(figures(report, '2021')).toEqual(expected('014'));
  });
});

describe('paragraph text', () => {
  // The reading before whitespace and page furniture were looked for character by character: every text tried against the pattern.
  function byPatterns(raw: string): string | null {
    let text = raw.trim();
    if (/[\u00a0\u200b\ufeff\t\r\f\v\n]| {2}/.test(raw)) {
      const spaced = raw.replace(/[\u00a0\u200b\ufeff]/g, ' ').replace(/[ \t\r\f\v]{2,}|[\t\r\f\v]/g, ' ');
      text = spaced.includes('\n') ? spaced.split('\n').map((line) => line.trim()).join('\n').trim() : spaced.trim();
    }
    return text !== '' && !CHROME_TEXT.test(text) ? text : null;
  }
  const pieces = ['x', ' ', '  ', '\u00a0', '\u200b', '\ufeff', '\t', '\r', '\f', '\v', '\n', '\u3000', '【', '字体', '打印', '关闭', '首页', '>', '当前位置', '您的位置', '附件下载', '：', 'ICP备', '京公网安备', '全真版', '文字版', '正文', '2024'];
  test('whitespace is normalised and page furniture dropped as the patterns would, on 20,000 random texts', () => {
    fc.assert(
      // Texts the pattern matches are drawn from the pattern itself, so that a line of furniture added to it whose first character the quick check lacks fails here.
      fc.property(fc.array(fc.oneof(fc.constantFrom(...pieces), fc.stringMatching(CHROME_TEXT)), { maxLength: 12 }), (parts) => {
        const raw = parts.join('');
        expect(paragraphText(raw)).toBe(byPatterns(raw));
      }),
      { numRuns: 20_000, seed: 20261127 },
    );
  });
});
