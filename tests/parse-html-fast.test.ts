/**
 * The fast HTML front end (large pages) against parse5: the same blocks,
 * grids, metadata and positions on the corpus pages, on the Word template's
 * HTML and on copies of 014 with the markup faults tree construction has to
 * repair; and a page past the size limit read to its truth.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toText } from 'hast-util-to-text';
import { describe, expect, test } from 'vitest';
import { htmlPathologies } from '../src/bench/hostile-inputs.js';
import { FAST_TREE_FROM } from '../src/parse/html.js';
import { blocksWithin, commonAncestor, pageBlockList, SettledElements, type BlockList } from '../src/parse/html/blocks.js';
import { capNesting } from '../src/parse/html/depth.js';
import { layoutTable } from '../src/parse/html/grid.js';
import { findTitle, statedMeta } from '../src/parse/html/meta.js';
import { fastHtmlTree } from '../src/parse/html/tree.js';
import { parseReport } from '../src/parse/index.js';
import { docxToHtml } from '../src/read/docx.js';
import { Source } from '../src/read/source.js';
import { toReportJson } from '../src/template/schema.js';
import { asTruthShape, corpusDir, corpusFile, truth } from './helpers/corpus.js';

const html014 = readFileSync(corpusFile('014'), 'utf8');
const html015 = readFileSync(corpusFile('015'), 'utf8');

/** What the reader takes from a tree: blocks with their positions, table grids, stated metadata and title. */
function reading(tree: Root) {
  const blocks = pageBlockList(tree).toArray();
  const texts = blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : []));
  return {
    blocks: blocks.map((b) =>
      b.kind === 'text'
        ? { text: b.text, position: b.position, depth: b.ancestors?.depth }
        : { position: b.position, cells: layoutTable(b.element).cells, width: layoutTable(b.element).width },
    ),
    meta: statedMeta(tree, texts.join('\n')),
    title: findTitle(tree, texts),
  };
}

function bothReadings(html: string) {
  const capped = capNesting(html).html;
  const source = new Source('page.html', html);
  return { parse5: reading(fromHtml(capped)), fast: reading(fastHtmlTree(capped, (offset) => source.position(offset))) };
}

describe('the fast front end reads as parse5 does', () => {
  test.each([
    ['014', html014],
    ['015', html015],
  ])('corpus page %s: same blocks, grids, positions, metadata and title', (_id, html) => {
    const { parse5, fast } = bothReadings(html);
    expect(fast.blocks.length).toBeGreaterThan(10);
    expect(fast).toEqual(parse5);
  });

  test('the Word template converted by mammoth', async () => {
    const html = await docxToHtml(readFileSync(join(corpusDir, 'docx', 'template-2021-blank.docx')));
    const { parse5, fast } = bothReadings(html);
    expect(fast.blocks.some((b) => 'cells' in b)).toBe(true);
    expect(fast).toEqual(parse5);
  });

  const firstCell = html014.indexOf('<td');
  const firstTable = html014.indexOf('<table');
  const faults: [string, string][] = [
    ['a stray </div> inside a cell does not end the table', html014.slice(0, firstCell + 4) + html014.slice(firstCell + 4).replace('>', '></div>')],
    ['text directly in a table is placed before it', `${html014.slice(0, firstTable)}${html014.slice(firstTable).replace(/<tbody>/, '<tbody>说明文字')}`],
    ['cells without rows and rows without a body', html014.replace(/<\/?tbody[^>]*>/g, '').replace(/<tr[^>]*>/, '')],
    ['an unclosed paragraph before a table, with a doctype', `<!DOCTYPE html><p>前言${html014}`],
    ['an unclosed paragraph before a table, without one (quirks)', `<p>前言${html014}`],
    ['</p> with no paragraph open splits the text', `一段</p>二段${html014}`],
    ['the head before any content is not read', `<title>2025年某局政府信息公开工作年度报告</title><meta name="ArticleTitle" content="标题"><style>p{}</style>${html014}`],
    ['markup inside <noscript> is not read', `<noscript><div>请启用脚本</noscript>${html014}`],
    ['a leading newline in <pre> is not text', `<pre>\n一、总体情况\n</pre>${html014}`],
    ['a leading newline in <pre> before more whitespace', `<pre>\n\n一、总体情况\n</pre>${html014}`],
    ['CRLF line ends', html014.replace(/\n/g, '\r\n')],
    ['unclosed list items and cells', html014.replace(/<\/td>|<\/li>/g, '')],
    ['tag names in upper and mixed case', html014.replace(/<(\/?)([a-z][a-z0-9]*)/g, (_tag, slash: string, name: string) => `<${slash}${name.length % 2 ? name.toUpperCase() : name[0]?.toUpperCase() + name.slice(1)}`)],
  ];
  test.each(faults)('%s', (_fault, html) => {
    const { parse5, fast } = bothReadings(html);
    expect(fast).toEqual(parse5);
  });
});

/** Prose of the shapes a page puts around its report: plain, labelled, with figures, inline markup, breaks, chrome, lists, layout tables. */
const proseShapes = [
  '<p>x',
  '<p>一段文字，没有数字。</p>',
  '<p>发布日期：2024-03-01</p>',
  '<p>索引号：123 发布机构：某局</p>',
  '<p>  多个  空格\n 换行 </p>',
  '<p>a<br>b<br/>c</p>',
  '<div>块<span>内联</span>文字<p>段</p>尾</div>',
  '<p>&nbsp;实体&amp;文字&#20013;</p>',
  '<p><b>粗</b><i>斜</i></p>',
  '<div class="nav">导航</div>',
  '<p style="display:none">隐藏</p>',
  '<script>var a="<p>";</script>',
  '<p>当前位置：首页</p>',
  '<ul><li>一<li>二</ul>',
  '<span><p>行内元素里的段落</p></span>',
  '<h2>标题</h2>',
  '<!-- 注释 --><p>注释后</p>',
  '<pre>\n预\n格式</pre>',
  '<p></p><p> </p>',
  '裸文字',
  '<table><tr><td>布局</td></tr></table>',
  '<table><tr><td>a</td><td>1</td></tr><tr><td>b</td><td>2</td></tr></table>',
  '<p>前<table><tr><td>索引号</td><td>XYZ</td></tr></table>后</p>',
  '<div><meta name="ArticleTitle" content="标题"><p>元标签旁</p></div>',
  '<p>二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况</p>',
  '<table><tr><td><table><tr><td>发布机构：</td><td>某局</td></tr></table></td></tr></table>',
  '<table><tr><td>外<table><tr><td><table><tr><td>a</td><td>1</td></tr><tr><td>b</td><td>2</td></tr></table></td></tr></table>后</td></tr></table>',
  '<div><table class="nav"><tr><td>导航表格</td></tr></table><table><tr><td>成文日期</td><td>2024年3月1日</td></tr></table></div>',
];
/** A fixed pseudo-random run of the shapes. */
function prose(count: number, seed: number): string {
  let state = seed;
  let text = '';
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    text += proseShapes[state % proseShapes.length];
  }
  return text;
}

describe('elements settled as they close read as parse5 does', () => {
  const around = prose(400, 7);
  const pages: [string, string][] = [
    ['prose before 014', `${around}${html014}`],
    ['prose after 015', `${html015}${around}`],
    ['014 and prose inside a layout div', `<div id="content">${around}<div>${html014}</div>${prose(200, 3)}</div>`],
    ['014 and prose in cells of a layout table', `<table><tr><td>${around}</td></tr><tr><td>${html014}</td></tr></table>`],
    ['prose and 014 in the body of a whole page', `<!DOCTYPE html><html><head><title>t</title></head><body>${around}<p>前言${html014}</body></html>`],
    ['an unclosed paragraph around 014 in quirks mode', `<p>前言${around}<p>前言${html014}`],
    ['014 in tables nested three deep among prose', `${around}<table><tr><td><table><tr><td>${prose(50, 5)}<table><tr><td>${html014}</td></tr></table></td></tr></table></td></tr></table>${prose(50, 9)}`],
  ];
  test.each(pages)('%s: same blocks, grids, positions, metadata and title', (_page, html) => {
    const { parse5, fast } = bothReadings(html);
    expect(fast.blocks.length).toBeGreaterThan(300);
    expect(fast).toEqual(parse5);
  });

  test.each(pages)('%s: the same blocks lie within the elements around any of them', (_page, html) => {
    const capped = capNesting(html).html;
    const source = new Source('page.html', html);
    const slow = pageBlockList(fromHtml(capped));
    const fast = pageBlockList(fastHtmlTree(capped, (offset) => source.position(offset)));
    // Each block alone and with a later one: their deepest shared element, then the blocks inside it, by index.
    const within = (blocks: BlockList, picked: number[]) => {
      const root = commonAncestor(picked.map((i) => blocks.at(i)));
      return root ? blocksWithin(blocks, root) : null;
    };
    for (let i = 0; i < slow.length; i += 7) {
      for (const picked of [[i], [i, i], [i, Math.min(i + 5, slow.length - 1)]]) expect(within(fast, picked)).toEqual(within(slow, picked));
    }
  });

  test('a page of paragraphs keeps one stand-in for a run of them, not an element each', () => {
    const source = new Source('page.html', `<div>${'<p>段落</p>'.repeat(1000)}</div>`);
    const tree = fastHtmlTree(source.text, (offset) => source.position(offset));
    const body = tree.children[0]?.type === 'element' ? tree.children[0].children.at(-1) : undefined;
    // The closed <div> settled too: the body holds one stand-in with the paragraphs' blocks.
    const [only, ...rest] = body?.type === 'element' ? body.children : [];
    expect(rest).toEqual([]);
    expect(only instanceof SettledElements && only.blocks.texts).toEqual(Array(1000).fill('段落'));
    // Each paragraph placed at its text in the source.
    const columns = [...source.text.matchAll(/段落/g)].map((match) => (match.index ?? 0) + 1);
    expect(pageBlockList(tree).toArray().map((b) => b.position)).toEqual(columns.map((column) => ({ line: 1, column })));
  });
});

describe('tables settled as they close', () => {
  const nested = (depth: number, inner: string) => `${'<table><tr><td>'.repeat(depth)}${inner}${'</td></tr></table>'.repeat(depth)}`;

  test('a run of layout tables leaves one stand-in, its elements emptied but for a grid and a metadata row', () => {
    const grid = '<table><tr><td>a</td><td>1</td></tr><tr><td>b</td><td>2</td></tr></table>';
    const html = `${nested(3, '1').repeat(500)}${nested(2, grid)}${nested(3, '<table><tr><td>索引号：</td><td>XYZ-1</td></tr></table>')}${nested(3, '2').repeat(500)}`;
    const source = new Source('page.html', html);
    const tree = fastHtmlTree(source.text, (offset) => source.position(offset));
    const body = tree.children[0]?.type === 'element' ? tree.children[0].children.at(-1) : undefined;
    const [only, ...rest] = body?.type === 'element' ? body.children : [];
    expect(rest).toEqual([]);
    if (!(only instanceof SettledElements)) throw new Error('the tables did not settle');
    // The row that states metadata (and the layout rows around it, which hold its text) are kept for the metadata reader, and read by it; the figures' rows are not.
    expect(only.rows.map((row) => toText(row).replace(/\s+/g, ''))).toEqual(Array(4).fill('索引号：XYZ-1'));
    expect(statedMeta(tree, '').indexNo).toBe('XYZ-1');
    const blocks = pageBlockList(tree).toArray();
    expect(blocks.map((b) => (b.kind === 'text' ? b.text : 'grid'))).toEqual([...Array(500).fill('1'), 'grid', 'grid', ...Array(500).fill('2')]);
    const table = blocks.find((b) => b.kind === 'table');
    expect(table?.kind === 'table' && layoutTable(table.element).cells.map((cell) => cell.text)).toEqual(['a', '1', 'b', '2']);
    // Every element around the figures lets go of its children: a chain no longer holds its whole table.
    for (const block of blocks.slice(0, 500)) {
      for (let link = block.ancestors; link && link.element.tagName !== 'body'; link = link.outer) expect(link.element.children).toEqual([]);
    }
    expect(reading(tree)).toEqual(reading(fromHtml(html)));
  });

  test('the nesting cap counts table tags in any case', () => {
    const lower = nested(13, '1');
    const upper = lower.toUpperCase();
    const cut = capNesting(lower);
    expect(cut.cutAt).not.toBeNull();
    expect(capNesting(upper)).toEqual({ html: cut.html.toUpperCase(), cutAt: cut.cutAt });
  });

  // Offsets in the capped page are offsets in the source (positions, and the adapter's choice of parser by the source's length, rely on it).
  test('the nesting cap keeps the length of the page and its line ends in place', () => {
    const deep = `${'<div\n class="a">'.repeat(450)}${nested(14, '<td\n>1\n2').replace(/<tr>/g, '<tr\r\n>')}<!-- <table> -->${html014}`;
    const cut = capNesting(deep);
    expect(cut.cutAt).not.toBeNull();
    expect(cut.html).toHaveLength(deep.length);
    const lineEnds = (text: string) => [...text.matchAll(/\n/g)].map((match) => match.index);
    expect(lineEnds(cut.html)).toEqual(lineEnds(deep));
  });
});

describe('pages past the size limit', () => {
  // 014 behind enough navigation to pass the limit: the fast front end reads it.
  const link = '<a href="/">首页</a>';
  const padding = `<div class="nav">${link.repeat(Math.ceil(FAST_TREE_FROM / link.length))}</div>\n`;
  const large = `${padding}${html014}`;

  test('read to the truth, cell positions on their <td> in the source', async () => {
    expect(large.length).toBeGreaterThan(FAST_TREE_FROM);
    const result = await parseReport(corpusFile('014'), new TextEncoder().encode(large));
    if (!result.ok) throw new Error(result.error.message);
    const t = truth('014');
    expect(asTruthShape(toReportJson(result.report), '2021')).toEqual({ requests: t.requests, review: t.review, active: t.active });
    const cell = result.report.tables.requests?.newReceived?.[0];
    const line = large.split('\n')[(cell?.position?.line ?? 0) - 1] ?? '';
    const at = (cell?.position?.column ?? 0) - 1;
    expect(line.slice(at, at + 3)).toBe('<td');
    expect(line.slice(at, line.indexOf('</td>', at))).toContain('151');
  });

  test('10,000 nested elements: read, with the nesting warning at the first tag cut', async () => {
    const nested = `${large}${'<div>'.repeat(10_000)}1${'</div>'.repeat(10_000)}`;
    const result = await parseReport('nested.html', new TextEncoder().encode(nested));
    expect(result.ok).toBe(true);
    const warning = result.ok ? result.report.messages.find((m) => m.ruleId === 'html-nesting') : undefined;
    const source = new Source('nested.html', nested);
    const at = source.lineStart(warning?.line ?? 1) + (warning?.column ?? 1) - 1;
    expect(at).toBeGreaterThan(large.length);
    expect(nested.slice(at, at + 5)).toBe('<div>');
  });
});

describe('the growing HTML pathologies past the size limit', () => {
  const growing = htmlPathologies(html014, 1.1).filter((p) => p.text.length > FAST_TREE_FROM);
  test.each(growing.map((p) => [p.kind, p.text] as const))('014 followed by %s: read to the truth', { timeout: 60_000 }, async (_kind, text) => {
    const result = await parseReport(corpusFile('014'), new TextEncoder().encode(text));
    if (!result.ok) throw new Error(result.error.message);
    const t = truth('014');
    expect(asTruthShape(toReportJson(result.report), '2021')).toEqual({ requests: t.requests, review: t.review, active: t.active });
  });
  test('both grow with the size', () => expect(growing).toHaveLength(2));
});

describe('nesting the cap has to count', () => {
  // Runs that nest although they look closed or optional: HTML ignores the slash of <div/>, and <rt>, <optgroup> outside their parents nest.
  const runs: [string, string][] = [
    ['self-closed divs', '<div/>1'],
    ['self-closed spans', '<span/>1'],
    ['ruby text outside ruby', '<rt>1'],
    ['option groups outside a select', '<optgroup>1'],
  ];
  test.each(runs)('10,000 %s: read, with the nesting warning, on both front ends', async (_kind, unit) => {
    for (const page of [html014, `<div class="nav">${'<a href="/">首页</a>'.repeat(Math.ceil(FAST_TREE_FROM / 18))}</div>${html014}`]) {
      const text = `${page}${unit.repeat(10_000)}`;
      const result = await parseReport(corpusFile('014'), new TextEncoder().encode(text));
      if (!result.ok) throw new Error(result.error.message);
      expect(result.report.messages.some((m) => m.ruleId === 'html-nesting')).toBe(true);
      expect(result.report.tables.requests?.newReceived?.[0]?.value).toBe(151);
    }
  });

  test('10,000 options outside a select do not nest: no warning', async () => {
    const result = await parseReport(corpusFile('014'), new TextEncoder().encode(`${html014}${'<option>1'.repeat(10_000)}`));
    expect(result.ok && result.report.messages.some((m) => m.ruleId === 'html-nesting')).toBe(false);
  });
});
