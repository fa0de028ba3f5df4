/**
 * A page's own statement of its metadata: the CMS meta tags and the
 * 索引号 / 发布机构 / 发布日期 block that report pages show above the text
 * (as a table of label and value cells, or as label：value runs).
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { toHalfWidthDigits } from '../../template/cell-text.js';
import { normaliseDate, type PartialMeta } from '../meta.js';
import { SettledElements } from './blocks.js';
import { cellText } from './grid.js';

type Field = 'title' | 'agency' | 'published' | 'written' | 'indexNo';

/** Null-prototype lookups: a page's text ("constructor", "__proto__") must not find Object's own properties. */
const fieldLabels: Record<string, Field> = Object.assign(Object.create(null) as Record<string, Field>, {
  标题: 'title',
  名称: 'title',
  文章标题: 'title',
  发布机构: 'agency',
  发文机关: 'agency',
  发文单位: 'agency',
  发布单位: 'agency',
  信息来源: 'agency',
  来源: 'agency',
  发布日期: 'published',
  发布时间: 'published',
  公开日期: 'published',
  成文日期: 'written',
  生成日期: 'written',
  索引号: 'indexNo',
});

/** CMS meta tags (TRS, 开普云 and others name them alike). */
const metaTags: Record<string, Field> = Object.assign(Object.create(null) as Record<string, Field>, {
  articletitle: 'title',
  pubdate: 'published',
  firstpublishedtime: 'published',
  contentsource: 'agency',
});

const LABEL_RUN = new RegExp(`(${Object.keys(fieldLabels).join('|')})\\s*[:：]\\s*`, 'g');

function assign(found: Partial<Record<Field, string>>, field: Field, raw: string) {
  const value = raw.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
  if (value === '' || found[field] !== undefined) return;
  found[field] = value;
}

/** `索引号：X 发布机构：Y` runs inside one line: each value ends where the next label starts. */
function labelRuns(text: string, found: Partial<Record<Field, string>>) {
  if (text.length > 300 || (!text.includes('：') && !text.includes(':'))) return;
  const matches = [...text.matchAll(LABEL_RUN)];
  matches.forEach((match, i) => {
    const field = fieldLabels[match[1] ?? ''];
    const start = (match.index ?? 0) + match[0].length;
    const end = matches[i + 1]?.index ?? text.length;
    if (field) assign(found, field, text.slice(start, end));
  });
}

function toMeta(found: Partial<Record<Field, string>>): PartialMeta {
  const meta: PartialMeta = {};
  if (found.title) meta.title = found.title;
  if (found.agency) meta.agency = found.agency;
  const date = normaliseDate(found.published ?? '') ?? normaliseDate(found.written ?? '');
  if (date) meta.published = date;
  if (found.indexNo) meta.indexNo = found.indexNo;
  return meta;
}

interface PageElements {
  meta: Element[];
  rows: Element[];
  titles: Element[];
}

const pageElementsOf = new WeakMap<Root, PageElements>();

/** The page's <meta>, <tr> and <title> elements, in document order, found in one walk of the tree (the metadata and the title both look). */
function pageElements(tree: Root): PageElements {
  const known = pageElementsOf.get(tree);
  if (known) return known;
  const found: PageElements = { meta: [], rows: [], titles: [] };
  const visit = (nodes: RootContent[]) => {
    // Indexed: for-of over child arrays, some of them a tree builder's frozen empty one, is several times slower.
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i] as RootContent;
      if (node.type !== 'element') continue;
      if (node instanceof SettledElements) {
        for (const row of node.rows) found.rows.push(row);
        continue;
      }
      if (node.tagName === 'meta') found.meta.push(node);
      else if (node.tagName === 'tr') found.rows.push(node);
      else if (node.tagName === 'title') found.titles.push(node);
      visit(node.children);
    }
  };
  visit(tree.children);
  pageElementsOf.set(tree, found);
  return found;
}

const LONGEST_LABEL = Math.max(...Object.keys(fieldLabels).map((label) => label.length));
/** What a cell's label loses: whitespace (cellText's set) and colons. */
const NOT_IN_LABEL = /[\s\u200b:：]/g;
const COLON = /[:：]/;
/** Elements whose text hast-util-to-text leaves out (its list of elements not rendered, and closed dialogs). */
const UNRENDERED = new Set(['datalist', 'head', 'noembed', 'noframes', 'noscript', 'rp', 'script', 'style', 'template', 'title', 'dialog']);

/**
 * What an element's source text shows of its rendered text: the first few
 * label characters, or null (uncertain) when it holds a colon or text that may
 * not be rendered. Kept on cells, so that cells of tables nested in cells are
 * looked at once rather than once per enclosing cell (the elements between
 * one cell and the cells nested in it are few, and not worth a sketch each).
 */
export const SKETCH = Symbol('label sketch');

function sketch(element: Element & { [SKETCH]?: string | null }): string | null {
  const known = element[SKETCH];
  if (known !== undefined) return known;
  let start: string | null = '';
  for (let i = 0; i < element.children.length; i++) {
    const child = element.children[i] as ElementContent;
    if (child.type === 'text') {
      if (COLON.test(child.value)) start = null;
      else if (start.length <= LONGEST_LABEL) start = (start + child.value.replace(NOT_IN_LABEL, '')).slice(0, LONGEST_LABEL + 1);
    } else if (child.type === 'element') {
      const inner = UNRENDERED.has(child.tagName) || child.properties?.hidden !== undefined ? null : sketch(child);
      if (inner === null) start = null;
      else if (start.length <= LONGEST_LABEL) start = (start + inner).slice(0, LONGEST_LABEL + 1);
    }
    if (start === null) break;
  }
  if (element.tagName === 'td' || element.tagName === 'th') element[SKETCH] = start;
  return start;
}

/**
 * Whether a cell's text may be a field label or hold a label：value run. Most
 * cells are neither, and their text is not worked out: a cell's text covers
 * every table nested in it.
 */
function mayStateMeta(cell: Element): boolean {
  const start = sketch(cell);
  return start === null || (start.length <= LONGEST_LABEL && fieldLabels[start] !== undefined);
}

/** Whether any cell of a table row may state metadata: statedMeta reads nothing from other rows, so a tree builder need keep no others. */
export function rowMayStateMeta(row: Element): boolean {
  return row.children.some((cell) => cell.type === 'element' && (cell.tagName === 'td' || cell.tagName === 'th') && mayStateMeta(cell));
}

/**
 * Calls back with each line of the text that holds a colon, in order: a huge
 * page's million lines are not split, only searched for colons.
 */
function forEachLineWithColon(text: string, lineWithColon: (line: string) => void): void {
  // The next colon of each kind at or after `from`, each searched for again only once passed (searching afresh for a kind the text lacks would go through the rest of it for every colon of the other).
  let nextFullWidth = -2;
  let nextHalfWidth = -2;
  for (let from = 0; from < text.length; ) {
    if (nextFullWidth !== -1 && nextFullWidth < from) nextFullWidth = text.indexOf('：', from);
    if (nextHalfWidth !== -1 && nextHalfWidth < from) nextHalfWidth = text.indexOf(':', from);
    const colon = nextFullWidth === -1 ? nextHalfWidth : nextHalfWidth === -1 ? nextFullWidth : Math.min(nextFullWidth, nextHalfWidth);
    if (colon === -1) return;
    const lineEnd = text.indexOf('\n', colon);
    lineWithColon(text.slice(text.lastIndexOf('\n', colon) + 1, lineEnd === -1 ? text.length : lineEnd));
    if (lineEnd === -1) return;
    from = lineEnd + 1;
  }
}

/**
 * Metadata the page states: meta tags first, then the label/value block,
 * then label：value lines of the text blocks (`text`: their texts joined by
 * newlines).
 */
export function statedMeta(tree: Root, text: string): PartialMeta {
  const found: Partial<Record<Field, string>> = {};
  const page = pageElements(tree);
  for (const meta of page.meta) {
    const field = metaTags[String(meta.properties?.name ?? '').toLowerCase()];
    if (field) assign(found, field, String(meta.properties?.content ?? ''));
  }
  for (const row of page.rows) {
    const cells = row.children.filter((c): c is Element => c.type === 'element' && (c.tagName === 'td' || c.tagName === 'th'));
    cells.forEach((cell, i) => {
      if (!mayStateMeta(cell)) return;
      const label = cellText(cell).replace(/[\s:：]+/g, '');
      const field = fieldLabels[label];
      const next = cells[i + 1];
      if (field && next) assign(found, field, cellText(next));
      else labelRuns(cellText(cell), found);
    });
  }
  forEachLineWithColon(text, (line) => labelRuns(line, found));
  return toMeta(found);
}

const REPORT_TITLE = /(?:政府信息公开|政务公开|信息公开)\S*?(?:年度)?报告/;

/** Agency and year from a title, whether the year comes before or after the agency. */
export function titleParts(title: string): PartialMeta {
  const flat = toHalfWidthDigits(title).replace(/\s+/g, '');
  const yearFirst = /^(\d{4})年度?(.+?)(?:政府信息公开|政务公开|信息公开)/.exec(flat);
  const agencyFirst = /^(.+?)(\d{4})年度?(?:政府信息公开|政务公开|信息公开)/.exec(flat);
  if (yearFirst?.[1] && yearFirst[2]) return { year: Number(yearFirst[1]), agency: yearFirst[2] };
  if (agencyFirst?.[1] && agencyFirst[2]) return { year: Number(agencyFirst[2]), agency: agencyFirst[1] };
  return {};
}

/** How many of the page's first lines of text findTitle looks through for the report's title. */
export const TITLE_LINES = 8;

/** The report's title among the first lines of the page text, or the document <title>. */
export function findTitle(tree: Root, textLines: readonly string[]): string | undefined {
  for (const line of textLines.slice(0, TITLE_LINES)) {
    const flat = line.replace(/\s+/g, '');
    if (flat.length < 80 && REPORT_TITLE.test(flat) && /\d{4}\s*年/.test(flat)) return flat;
  }
  const [head] = pageElements(tree).titles;
  const text = head ? cellText(head).split(/\s*[-_|—]\s*/)[0] ?? '' : '';
  return REPORT_TITLE.test(text) ? text.replace(/\s+/g, '') : undefined;
}

/**
 * Last resort for fragments without title or metadata: the body that the
 * overview's first sentence names (2025年，平潭综合实验区坚持…).
 */
export function agencyFromOverview(overview: string): string | undefined {
  const match = /^\s*\d{4}\s*年(?:度|以来)?\s*[，,]\s*([^，,。；\s]{2,30}?)(?:坚持|深入|认真|全面|持续|紧紧|始终|紧扣|围绕|按照|严格|积极|聚焦|高度|进一步|以)/.exec(
    toHalfWidthDigits(overview),
  );
  return match?.[1];
}
