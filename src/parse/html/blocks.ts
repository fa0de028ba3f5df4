/**
 * A page as a sequence of blocks — paragraphs and tables in reading order —
 * without scripts, navigation and other page chrome. Word-pasted markup
 * (<o:p>, <font>, spans around paragraphs) reads like any other inline markup.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { toText } from 'hast-util-to-text';
import type { Position } from '../../template/model.js';
import { nodePosition } from './grid.js';

/**
 * The elements enclosing a block, innermost first, as a chain that the
 * blocks of one element share (an array per block would cost the depth
 * times the number of blocks). Null outside any element.
 */
export interface Ancestry {
  element: Element;
  outer: Ancestry | null;
  /** How many elements the chain holds. */
  depth: number;
  /** blocksWithin's verdict on the link: the call's number if inside its element, minus it if outside, 0 before any call. */
  verdict: number;
}

export interface TextBlock {
  kind: 'text';
  text: string;
  position: Position | null;
  ancestors: Ancestry | null;
}

export interface TableBlock {
  kind: 'table';
  element: Element;
  position: Position | null;
  ancestors: Ancestry | null;
}

const within = (outer: Ancestry | null, element: Element): Ancestry => ({ element, outer, depth: (outer?.depth ?? 0) + 1, verdict: 0 });

/** The chain's elements, outermost first. */
function chainElements(chain: Ancestry | null): Element[] {
  const elements: Element[] = [];
  for (let link = chain; link; link = link.outer) elements.push(link.element);
  return elements.reverse();
}

export type Block = TextBlock | TableBlock;

/** Elements that never hold report content. */
const DROPPED = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'nav', 'header', 'footer', 'aside', 'form',
  'iframe', 'object', 'embed', 'select', 'button', 'input', 'textarea', 'svg', 'canvas', 'map',
]);

/** Class or id words of navigation and page furniture on CMS pages. */
const CHROME_NAME = /(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|footer|foot|header|banner|sidebar|side|share|toolbar|login|search|copyright|dqwz|weizhi|location|tools?|fontsize|print)(?:$|[\s_-])/i;

const BLOCK = new Set([
  'address', 'article', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog', 'dir', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hgroup', 'hr', 'html', 'legend', 'li',
  'listing', 'main', 'menu', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'ul', 'xmp', 'tbody', 'thead', 'tr',
  'td', 'th',
]);

/** Short lines that are page furniture wherever they sit. */
const CHROME_TEXT =
  /^(?:当前位置|您的位置|您现在的位置|首页\s*[>＞›»]|【?\s*字体|字号[：:]|打印本页|【?\s*打印|关闭窗口|【?\s*关闭|分享到|扫一扫|相关链接|上一篇|下一篇|返回顶部|网站地图|版权所有|主办单位|网站标识码|ICP备|[京沪闽苏浙粤]公网安备|附件下载[:：]?$|全真版|文字版)/;

function className(element: Element): string {
  const cls = element.properties?.className;
  const names = Array.isArray(cls) ? cls.join(' ') : String(cls ?? '');
  return `${names} ${String(element.properties?.id ?? '')}`;
}

export function isChrome(element: Element): boolean {
  if (DROPPED.has(element.tagName)) return true;
  const properties = element.properties;
  if (!properties) return false;
  if (properties.hidden !== undefined && properties.hidden !== false) return true;
  if (properties.style !== undefined && /display\s*:\s*none/i.test(String(properties.style))) return true;
  // Most elements have neither class nor id: no name to test.
  if (properties.className === undefined && properties.id === undefined) return false;
  return CHROME_NAME.test(className(element));
}

function holdsBlocks(node: ElementContent): boolean {
  if (node.type !== 'element') return false;
  return node.children.some((child) => child.type === 'element' && (BLOCK.has(child.tagName) || holdsBlocks(child)));
}

function containsTable(node: ElementContent): boolean {
  return node.type === 'element' && node.children.some((c) => c.type === 'element' && (c.tagName === 'table' || containsTable(c)));
}

/** Old CMS pages lay the whole page out in tables: a table holding tables, or a single cell, is a container. */
function isLayoutTable(table: Element): boolean {
  if (containsTable(table)) return true;
  const cells: Element[] = [];
  const collect = (node: ElementContent) => {
    if (node.type !== 'element') return;
    if (node.tagName === 'td' || node.tagName === 'th') cells.push(node);
    else node.children.forEach(collect);
  };
  table.children.forEach(collect);
  return cells.length <= 1;
}

/** What normaliseText changes besides the ends: most paragraphs hold none of it and are only trimmed. */
const NEEDS_NORMALISING = /[\u00a0\u200b\ufeff\t\r\f\v\n]| {2}/;

function normaliseText(text: string): string {
  if (!NEEDS_NORMALISING.test(text)) return text.trim();
  // Runs of two or more, or one that is not a space: a lone space stays as it is, and text without a run to collapse is not copied.
  const spaced = text.replace(/[\u00a0\u200b\ufeff]/g, ' ').replace(/[ \t\r\f\v]{2,}|[\t\r\f\v]/g, ' ');
  if (!spaced.includes('\n')) return spaced.trim();
  return spaced
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .trim();
}

const runText = (node: ElementContent) => (node.type === 'text' ? node.value : node.type === 'element' ? toText(node, { whitespace: 'normal' }) : '');

/** A paragraph of the page; its position is worked out when asked (few are: headings and the places of messages). */
class PageTextBlock implements TextBlock {
  declare readonly kind: 'text';
  constructor(
    readonly text: string,
    private readonly first: ElementContent | undefined,
    readonly ancestors: Ancestry | null,
  ) {}
  get position(): Position | null {
    return this.first ? nodePosition(this.first) : null;
  }
}

// The kind is kept on the class, not on each of a page's paragraphs.
Object.defineProperty(PageTextBlock.prototype, 'kind', { value: 'text' });

/** The blocks of a tree, tables kept whole. Inline runs between blocks become paragraphs; <br> ends a line. */
export function pageBlocks(tree: Root | Element): Block[] {
  const blocks: Block[] = [];
  let run: ElementContent[] = [];
  let runAncestors: Ancestry | null = null;
  const flush = () => {
    if (run.length === 0) return;
    const [only] = run;
    const raw = run.length === 1 && only?.type === 'text' ? only.value : run.map(runText).join('');
    const text = normaliseText(raw);
    const first = run.find((node) => node.type !== 'comment');
    if (text !== '' && !CHROME_TEXT.test(text)) blocks.push(new PageTextBlock(text, first, runAncestors));
    run = [];
  };
  const walk = (children: (RootContent | ElementContent)[], ancestors: Ancestry | null) => {
    for (const child of children) {
      if (child.type === 'comment' || child.type === 'doctype') continue;
      if (child.type === 'text') {
        if (run.length === 0) runAncestors = ancestors;
        run.push(child);
        continue;
      }
      if (child.type !== 'element') continue;
      if (isChrome(child)) continue;
      if (child.tagName === 'br') {
        flush();
        continue;
      }
      if (child.tagName === 'table' && !isLayoutTable(child)) {
        flush();
        blocks.push({ kind: 'table', element: child, position: nodePosition(child), ancestors });
        continue;
      }
      if (BLOCK.has(child.tagName) || holdsBlocks(child)) {
        flush();
        walk(child.children, within(ancestors, child));
        flush();
        continue;
      }
      if (run.length === 0) runAncestors = ancestors;
      run.push(child);
    }
  };
  walk(tree.children, tree.type === 'element' ? within(null, tree) : null);
  flush();
  return blocks;
}

/** The deepest element enclosing all the given blocks, if any. */
export function commonAncestor(blocks: Block[]): Element | null {
  const [first, ...rest] = blocks;
  if (!first) return null;
  let shared = chainElements(first.ancestors);
  for (const block of rest) {
    const ancestors = chainElements(block.ancestors);
    let i = 0;
    while (i < shared.length && i < ancestors.length && shared[i] === ancestors[i]) i++;
    shared = shared.slice(0, i);
  }
  return shared.at(-1) ?? null;
}

/** Numbers blocksWithin's calls, so that a verdict left on a link by an earlier call is never taken for this one's. */
let blocksWithinCalls = 0;

/**
 * The blocks inside an element, each link of the shared chains looked at
 * once: a link's verdict is kept on the link itself (a map of every link
 * costs more than the walk).
 */
export function blocksWithin(blocks: Block[], element: Element): Block[] {
  const call = ++blocksWithinCalls;
  const isInside = (chain: Ancestry | null): boolean => {
    let link = chain;
    let result = false;
    for (; link; link = link.outer) {
      if (link.verdict === call || link.verdict === -call) {
        result = link.verdict > 0;
        break;
      }
      if (link.element === element) {
        result = true;
        break;
      }
    }
    for (let marked = chain; marked && marked !== link; marked = marked.outer) marked.verdict = result ? call : -call;
    return result;
  };
  return blocks.filter((block) => isInside(block.ancestors));
}
