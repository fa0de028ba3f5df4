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
import { describe, expect, test } from 'vitest';
import { htmlPathologies } from '../src/bench/hostile-inputs.js';
import { FAST_TREE_FROM } from '../src/parse/html.js';
import { pageBlocks } from '../src/parse/html/blocks.js';
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
  const blocks = pageBlocks(tree);
  const texts = blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : []));
  return {
    blocks: blocks.map((b) =>
      b.kind === 'text'
        ? { text: b.text, position: b.position, depth: b.ancestors?.depth }
        : { position: b.position, cells: layoutTable(b.element).cells, width: layoutTable(b.element).width },
    ),
    meta: statedMeta(tree, texts),
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
  ];
  test.each(faults)('%s', (_fault, html) => {
    const { parse5, fast } = bothReadings(html);
    expect(fast).toEqual(parse5);
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
