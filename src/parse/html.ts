/**
 * HTML pages and fragments from any CMS (and Word files, which arrive here
 * as mammoth's HTML). Tables are laid out on a real grid and read by their
 * labels; sections come from the text of the page without its chrome; cell
 * positions are the cells' line and column in the HTML source.
 */
import type { Root } from 'hast';
import type { Source } from '../read/source.js';
import { layouts } from '../template/layout.js';
import { notPrepared, type Adapter, type Reading } from './adapter.js';
import { capNesting, MAX_NESTING, MAX_TABLE_NESTING } from './html/depth.js';
import { blocksWithin, commonAncestor, pageBlockList, type Block, type BlockList } from './html/blocks.js';
import { layoutTable } from './html/grid.js';
import { findTitle, statedMeta, TITLE_LINES } from './html/meta.js';
import { blockAt, joinTexts, readBlocks, type JoinedBlocks, type ReportBlock } from './html/report.js';
import { classifyGrid } from './html/tables.js';
import { findSections } from './sections.js';

/**
 * Keeps only the part of the page that encloses the report: the deepest
 * element holding its section headings and tables. A fragment keeps all.
 * The joined text comes back too when all blocks are kept (a huge page's
 * join is not done twice).
 */
function reportBlocks(list: BlockList, joined: JoinedBlocks): { blocks: Block[]; joined?: JoinedBlocks } {
  const anchors = findSections(joined.text).map((span) => list.at(blockAt(joined, span.headingStart)));
  const tables = list.tables.map((index) => list.at(index)).filter((b) => b.kind === 'table' && classifyGrid(layoutTable(b.element), layouts['2021']) !== null);
  if (anchors.length + tables.length < 2) return { blocks: list.toArray(), joined };
  const root = commonAncestor([...anchors, ...tables]);
  if (!root) return { blocks: list.toArray(), joined };
  const kept = blocksWithin(list, root);
  return kept.length === list.length ? { blocks: list.toArray(), joined } : { blocks: kept.map((index) => list.at(index)) };
}

/** The texts of the list's first paragraphs. */
function firstTexts(list: BlockList, count: number): string[] {
  const texts: string[] = [];
  for (let i = 0; i < list.length && texts.length < count; i++) if (list.at(i).kind === 'text') texts.push(list.texts[i] as string);
  return texts;
}

/** Pages at least this long (in UTF-16 units) are parsed by the fast front end: parse5 takes about a second per 2 MB. */
export const FAST_TREE_FROM = 1_000_000;

/**
 * The HTML parsers, loaded by prepare only when a page needs one, so that a
 * run reading no HTML loads neither: parse5 (through hast-util-from-html) for
 * pages shorter than FAST_TREE_FROM, the fast front end (htmlparser2's
 * tokenizer) for longer ones. Prepare chooses by the source's length and
 * read by the capped page's: capping the nesting keeps the length.
 */
const parsers: { fromHtml: typeof import('hast-util-from-html').fromHtml | null; fastHtmlTree: typeof import('./html/tree.js').fastHtmlTree | null } = {
  fromHtml: null,
  fastHtmlTree: null,
};

export function isHtml(source: Source): boolean {
  return ['html', 'htm', 'xhtml', 'shtml', 'docx'].includes(source.extension) || source.converted?.from === 'docx';
}

export const html: Adapter = {
  id: 'html',
  name: 'HTML 网页',
  detect(source) {
    if (isHtml(source)) return 1;
    if (source.converted || ['txt', 'text', 'md', 'markdown'].includes(source.extension)) return 0;
    return /<(?:table|p|div|html)[\s>]/i.test(source.text.slice(0, 5000)) ? 0.6 : 0;
  },
  async prepare(source) {
    if (!source || source.text.length >= FAST_TREE_FROM) parsers.fastHtmlTree ??= (await import('./html/tree.js')).fastHtmlTree;
    if (!source || source.text.length < FAST_TREE_FROM) parsers.fromHtml ??= (await import('hast-util-from-html')).fromHtml;
  },
  read(source): Reading {
    const capped = capNesting(source.text);
    let tree: Root;
    if (capped.html.length >= FAST_TREE_FROM) {
      if (!parsers.fastHtmlTree) throw notPrepared(html.name, 'htmlparser2');
      tree = parsers.fastHtmlTree(capped.html, (offset) => source.position(offset));
    } else {
      if (!parsers.fromHtml) throw notPrepared(html.name, 'parse5');
      tree = parsers.fromHtml(capped.html);
    }
    const list = pageBlockList(tree);
    const joined = joinTexts(list.texts);
    // A table's line in the joined text (TABLE_LINE) states no metadata, but it is not one of the page's first lines of text.
    const stated = statedMeta(tree, joined.text);
    const title = stated.title ?? findTitle(tree, firstTexts(list, TITLE_LINES));
    if (title) stated.title = title;
    const kept = reportBlocks(list, joined);
    const blocks: ReportBlock[] = kept.blocks.map((b) =>
      b.kind === 'table' ? { kind: 'table', grid: layoutTable(b.element), position: b.position } : b,
    );
    const reading = readBlocks(source.file, blocks, stated, kept.joined);
    if (capped.cutAt !== null) {
      const { line, column } = source.position(capped.cutAt);
      reading.messages.unshift({
        ruleId: 'html-nesting',
        severity: 'warning',
        message: `网页元素从此处起嵌套过深（超过 ${MAX_NESTING} 层，或表格套表格超过 ${MAX_TABLE_NESTING} 层），更深的标签已忽略，只读取其中的文字`,
        line,
        column,
      });
    }
    return reading;
  },
};
