/**
 * HTML pages and fragments from any CMS (and Word files, which arrive here
 * as mammoth's HTML). Tables are laid out on a real grid and read by their
 * labels; sections come from the text of the page without its chrome; cell
 * positions are the cells' line and column in the HTML source.
 */
import type { Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import type { Source } from '../read/source.js';
import { layouts, sections as sectionDefs } from '../template/layout.js';
import type { Message, Section } from '../template/model.js';
import type { Adapter, Reading } from './adapter.js';
import { commonAncestor, pageBlocks, type Block } from './html/blocks.js';
import { layoutTable } from './html/grid.js';
import { agencyFromOverview, findTitle, statedMeta, titleParts } from './html/meta.js';
import { classifyGrid, readGrids } from './html/tables.js';
import { pathMeta, proseMeta, type PartialMeta } from './meta.js';
import { findSections, type SectionSpan } from './sections.js';
import { detectTemplate } from './template-signals.js';
import { proseToMarkdown } from './text-sections.js';

/** A table's place in the joined text: a line of its own that no heading pattern or prose reading picks up. */
const TABLE_LINE = '\u2063表格\u2063';

interface Layout {
  text: string;
  /** Offset in `text` where each block starts. */
  starts: number[];
}

function joinBlocks(blocks: Block[]): Layout {
  const starts: number[] = [];
  let text = '';
  for (const block of blocks) {
    if (text !== '') text += '\n';
    starts.push(text.length);
    text += block.kind === 'table' ? TABLE_LINE : block.text;
  }
  return { text, starts };
}

function blockAt(layout: Layout, offset: number): number {
  let index = 0;
  layout.starts.forEach((start, i) => {
    if (start <= offset) index = i;
  });
  return index;
}

/**
 * Keeps only the part of the page that encloses the report: the deepest
 * element holding its section headings and tables. A fragment keeps all.
 */
function reportBlocks(blocks: Block[]): Block[] {
  const layout = joinBlocks(blocks);
  const anchors = findSections(layout.text).map((span) => blocks[blockAt(layout, span.headingStart)] as Block);
  const tables = blocks.filter((b) => b.kind === 'table' && classifyGrid(layoutTable(b.element), layouts['2021']) !== null);
  if (anchors.length + tables.length < 2) return blocks;
  const root = commonAncestor([...anchors, ...tables]);
  return root ? blocks.filter((b) => b.ancestors.includes(root)) : blocks;
}

/** One warning per section the page does not have, placed after the section before it. */
function missingSections(spans: SectionSpan[], layout: Layout, blocks: Block[]): Message[] {
  return sectionDefs
    .filter((def) => !spans.some((s) => s.id === def.id))
    .map((def) => {
      const index = sectionDefs.indexOf(def);
      const before = spans.filter((s) => sectionDefs.findIndex((d) => d.id === s.id) < index).at(-1);
      const at = before ? blocks[blockAt(layout, Math.max(before.end - 1, 0))]?.position : blocks[0]?.position;
      return {
        ruleId: 'section-missing',
        severity: 'warning' as const,
        message: `未找到第${def.numeral}部分“${def.title}”`,
        line: at?.line ?? 1,
        column: at?.column ?? 1,
      };
    });
}

export function isHtml(source: Source): boolean {
  return ['html', 'htm', 'xhtml', 'shtml', 'docx'].includes(source.extension);
}

export const html: Adapter = {
  id: 'html',
  name: 'HTML 网页',
  detect(source) {
    if (isHtml(source)) return 1;
    if (['txt', 'text', 'md', 'markdown'].includes(source.extension)) return 0;
    return /<(?:table|p|div|html)[\s>]/i.test(source.text.slice(0, 5000)) ? 0.6 : 0;
  },
  read(source): Reading {
    const tree: Root = fromHtml(source.text);
    const allBlocks = pageBlocks(tree);
    const blocks = reportBlocks(allBlocks);
    const layout = joinBlocks(blocks);
    const textLines = blocks.flatMap((b) => (b.kind === 'text' ? b.text.split('\n') : []));
    const body = textLines.join('\n');

    const stated = statedMeta(tree, allBlocks.flatMap((b) => (b.kind === 'text' ? b.text.split('\n') : [])));
    const title = stated.title ?? findTitle(tree, allBlocks.flatMap((b) => (b.kind === 'text' ? [b.text] : [])));
    if (title) stated.title = title;
    const fromPath = pathMeta(source.file);
    const fromTitle = title ? titleParts(title) : {};
    const spans = findSections(layout.text);
    const messages: Message[] = [];
    const guessed: PartialMeta = {};
    if (!fromPath.year && fromTitle.year) guessed.year = fromTitle.year;
    if (!fromPath.agency && !stated.agency) {
      const overview = spans.find((s) => s.id === 'overview');
      const named = fromTitle.agency ?? (overview ? agencyFromOverview(layout.text.slice(overview.bodyStart, overview.end)) : undefined);
      if (named) guessed.agency = named;
      if (named && !fromTitle.agency) {
        const at = overview ? blocks[blockAt(layout, overview.bodyStart)]?.position : null;
        messages.push({
          ruleId: 'meta-inferred',
          severity: 'warning',
          message: `发布机构“${named}”系从正文推断，建议在元数据中写明`,
          line: at?.line ?? 1,
          column: at?.column ?? 1,
        });
      }
    }

    // The page's text, not its markup, says which template the tables follow.
    const tableText = blocks.map((b) => (b.kind === 'table' ? layoutTable(b.element).cells.map((c) => c.text).join('\n') : b.text)).join('\n');
    const year = fromPath.year ?? guessed.year ?? proseMeta(body).year ?? null;
    const template = detectTemplate(tableText, year);
    const tableLayout = template === '2021' || template === '2019' ? layouts[template] : null;

    const grids = blocks.filter((b) => b.kind === 'table').map((b) => layoutTable(b.element));
    const tables = tableLayout ? readGrids(grids, tableLayout, messages) : { active: null, requests: null, review: null };

    const sections: Section[] = spans.map((span: SectionSpan) => {
      const prose = layout.text
        .slice(span.bodyStart, span.end)
        .split('\n')
        .filter((line) => line !== TABLE_LINE)
        .join('\n');
      return {
        id: span.id,
        title: span.title,
        text: proseToMarkdown(prose),
        position: blocks[blockAt(layout, span.headingStart)]?.position ?? null,
      };
    });
    return {
      stated: { ...stated, ...guessed },
      body,
      sections,
      tables,
      messages: [...missingSections(spans, layout, blocks), ...messages],
      template,
    };
  },
};
