/**
 * A page as a sequence of blocks — paragraphs and tables in reading order —
 * without scripts, navigation and other page chrome. Word-pasted markup
 * (<o:p>, <font>, spans around paragraphs) reads like any other inline markup.
 */
import type { Element, ElementContent, Properties, Root, RootContent } from 'hast';
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

export const within = (outer: Ancestry | null, element: Element): Ancestry => ({ element, outer, depth: (outer?.depth ?? 0) + 1, verdict: 0 });

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

export const BLOCK: ReadonlySet<string> = new Set([
  'address', 'article', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog', 'dir', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hgroup', 'hr', 'html', 'legend', 'li',
  'listing', 'main', 'menu', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'ul', 'xmp', 'tbody', 'thead', 'tr',
  'td', 'th',
]);

/** Short lines that are page furniture wherever they sit. */
export const CHROME_TEXT =
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

// The child arrays below are looked through by index: some() and forEach() over arrays of which some are a tree builder's frozen empty one are about twice as slow.
function holdsBlocks(node: ElementContent): boolean {
  if (node.type !== 'element') return false;
  const children = node.children;
  for (let i = 0; i < children.length; i++) {
    const child = children[i] as ElementContent;
    if (child.type === 'element' && (BLOCK.has(child.tagName) || holdsBlocks(child))) return true;
  }
  return false;
}

function containsTable(node: ElementContent): boolean {
  if (node.type !== 'element') return false;
  const children = node.children;
  for (let i = 0; i < children.length; i++) {
    const child = children[i] as ElementContent;
    if (child.type === 'element' && (child.tagName === 'table' || containsTable(child))) return true;
  }
  return false;
}

/** Old CMS pages lay the whole page out in tables: a table holding tables, or a single cell, is a container. */
function isLayoutTable(table: Element): boolean {
  if (containsTable(table)) return true;
  // Cells (not those nested in cells) counted up to the second: more make no difference.
  let cells = 0;
  const count = (nodes: readonly ElementContent[]) => {
    for (let i = 0; i < nodes.length && cells < 2; i++) {
      const node = nodes[i] as ElementContent;
      if (node.type !== 'element') continue;
      if (node.tagName === 'td' || node.tagName === 'th') cells++;
      else count(node.children);
    }
  };
  count(table.children);
  return cells <= 1;
}

/**
 * Whether the text holds what normaliseText changes besides the ends (no-break
 * and zero-width spaces, tab, return, form feed, vertical tab, newline, two
 * spaces in a row): most paragraphs hold none of it and are only trimmed.
 * Looked for character by character: a pattern's call costs more than a
 * short paragraph's characters.
 */
function needsNormalising(text: string): boolean {
  let previous = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code >= 9 && code <= 13) || code === 0xa0 || code === 0x200b || code === 0xfeff || (code === 32 && previous === 32)) return true;
    previous = code;
  }
  return false;
}

function normaliseText(text: string): string {
  if (!needsNormalising(text)) return text.trim();
  // Runs of two or more, or one that is not a space: a lone space stays as it is, and text without a run to collapse is not copied.
  const spaced = text.replace(/[\u00a0\u200b\ufeff]/g, ' ').replace(/[ \t\r\f\v]{2,}|[\t\r\f\v]/g, ' ');
  if (!spaced.includes('\n')) return spaced.trim();
  return spaced
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .trim();
}

/** The characters a line of page furniture (CHROME_TEXT) starts with, once trimmed: a paragraph starting otherwise is not tried against the pattern. */
const CHROME_TEXT_FIRST = new Set([...'当您首【字打关分扫相上下返网版主I京沪闽苏浙粤附全文'].map((character) => character.charCodeAt(0)));

/** A paragraph's text as its block shows it, or null when it shows none (blank, or page furniture). */
export function paragraphText(raw: string): string | null {
  const text = normaliseText(raw);
  return text !== '' && !(CHROME_TEXT_FIRST.has(text.charCodeAt(0)) && CHROME_TEXT.test(text)) ? text : null;
}

const runText = (node: ElementContent) => (node.type === 'text' ? node.value : node.type === 'element' ? toText(node, { whitespace: 'normal' }) : '');

/** Makes a paragraph's block from its text, the first node of its run (which gives its position) and the elements enclosing it. */
export type TextBlockMaker = (text: string, first: ElementContent | undefined, ancestors: Ancestry | null) => TextBlock;

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

const pageTextBlock: TextBlockMaker = (text, first, ancestors) => new PageTextBlock(text, first, ancestors);

/**
 * Where settled paragraphs sit: the chain around their elements, those
 * elements' name and properties, and how their page turns an offset into a
 * line and column (shared by a run of like siblings).
 */
export interface ParagraphPlace {
  outer: Ancestry | null;
  tagName: string;
  properties: Properties;
  locate: (offset: number) => { line: number; column: number };
}

/** Settled paragraphs' own chain links, once made (few are). */
const ownChains = new WeakMap<SettledParagraph, Ancestry>();

/**
 * The one paragraph of an element that a tree builder read as the element
 * closed. The element itself is gone; a stand-in for it, and its link in the
 * chain, are made only when the chain is asked for (few are: headings, and
 * blocks whose chain is compared), since a huge page has millions of them.
 */
export class SettledParagraph implements TextBlock {
  declare readonly kind: 'text';
  constructor(
    readonly text: string,
    private readonly place: ParagraphPlace,
    /** Where its text starts in the page. */
    private readonly offset: number,
  ) {}
  get position(): Position {
    const { line, column } = this.place.locate(this.offset);
    return { line, column };
  }
  get ancestors(): Ancestry {
    let own = ownChains.get(this);
    if (!own) {
      const { outer, tagName, properties } = this.place;
      own = within(outer, { type: 'element', tagName, properties, children: [] });
      ownChains.set(this, own);
    }
    return own;
  }
  /** The chain to look in for an element someone names: until the paragraph's own element is made, no one can name it. */
  get namedChain(): Ancestry | null {
    return ownChains.get(this) ?? this.place.outer;
  }
}

Object.defineProperty(SettledParagraph.prototype, 'kind', { value: 'text' });

/** A table's text in a page's blocks, and its line in their joined text: a line of its own that no heading pattern or prose reading picks up. */
export const TABLE_LINE = '\u2063表格\u2063';

/** Marks a block kept as its object in BlockList's offsets. */
const AS_OBJECT = -1;

/**
 * A page's blocks in reading order, as columns: a huge page has millions of
 * paragraphs, and an object for each (made, kept and moved by the collector)
 * was the larger part of settling them. A paragraph settled as text alone is
 * kept as its text, offset and place (one for a run of paragraphs alike) until
 * it is asked for as a block; any other block is kept as it is.
 */
export class BlockList {
  /** Each block's text; a table's is TABLE_LINE. */
  private textColumn: string[] = [];
  /** Where the text of each paragraph settled as text alone starts in the page, or AS_OBJECT (typed: no growing array of pointers for the collector to look through). */
  private offsets = new Int32Array(16);
  /** The blocks kept as objects, by index. */
  private readonly objects = new Map<number, Block>();
  /** Where each run of paragraphs of one place starts, and their places. */
  private readonly placeStarts: number[] = [];
  private readonly places: ParagraphPlace[] = [];
  /** The indices of the table blocks, in order. */
  private readonly tableIndices: number[] = [];

  get length(): number {
    return this.textColumn.length;
  }

  /** Each block's text; a table's is TABLE_LINE. */
  get texts(): readonly string[] {
    return this.textColumn;
  }

  /** The indices of the table blocks, in order. */
  get tables(): readonly number[] {
    return this.tableIndices;
  }

  /** Room for `count` more offsets, doubling. */
  private reserve(count: number): void {
    const needed = this.textColumn.length + count;
    if (needed <= this.offsets.length) return;
    const grown = new Int32Array(Math.max(needed, this.offsets.length * 2));
    grown.set(this.offsets.subarray(0, this.textColumn.length));
    this.offsets = grown;
  }

  push(block: Block): void {
    const index = this.textColumn.length;
    this.reserve(1);
    if (block.kind === 'table') this.tableIndices.push(index);
    this.objects.set(index, block);
    this.offsets[index] = AS_OBJECT;
    this.textColumn.push(block.kind === 'table' ? TABLE_LINE : block.text);
  }

  pushParagraph(text: string, place: ParagraphPlace, offset: number): void {
    const index = this.textColumn.length;
    this.reserve(1);
    if (this.places[this.places.length - 1] !== place) {
      this.placeStarts.push(index);
      this.places.push(place);
    }
    this.offsets[index] = offset;
    this.textColumn.push(text);
  }

  /** Appends another list's blocks (as they are: a paragraph not yet asked for stays in its columns). */
  append(other: BlockList): void {
    const from = this.textColumn.length;
    this.reserve(other.length);
    this.offsets.set(other.offsets.subarray(0, other.length), from);
    for (const index of other.tableIndices) this.tableIndices.push(from + index);
    for (const [index, block] of other.objects) this.objects.set(from + index, block);
    for (let run = 0; run < other.places.length; run++) {
      this.placeStarts.push(from + (other.placeStarts[run] as number));
      this.places.push(other.places[run] as ParagraphPlace);
    }
    // A list longer than this one is copied whole (one copy, as memory is copied), a shorter one pushed on: never a copy per append.
    if (other.length > from) this.textColumn = this.textColumn.concat(other.textColumn);
    else for (const text of other.textColumn) this.textColumn.push(text);
  }

  /** The place of the paragraph settled as text alone at the index: that of the last run starting at or before it. */
  private placeAt(index: number): ParagraphPlace {
    let low = 0;
    let high = this.placeStarts.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.placeStarts[middle] as number) <= index) low = middle + 1;
      else high = middle;
    }
    return this.places[low - 1] as ParagraphPlace;
  }

  /** The block at the index, made the first time a settled paragraph is asked for. */
  at(index: number): Block {
    const offset = this.offsets[index] as number;
    if (offset === AS_OBJECT) return this.objects.get(index) as Block;
    const paragraph = new SettledParagraph(this.textColumn[index] as string, this.placeAt(index), offset);
    this.objects.set(index, paragraph);
    this.offsets[index] = AS_OBJECT;
    return paragraph;
  }

  /**
   * Calls back with each block's index and the chain to look in for an
   * element someone names (see SettledParagraph.namedChain), in order,
   * without making the blocks.
   */
  forEachNamedChain(namedChain: (index: number, chain: Ancestry | null) => void): void {
    let run = -1;
    for (let index = 0; index < this.textColumn.length; index++) {
      while (run + 1 < this.placeStarts.length && (this.placeStarts[run + 1] as number) <= index) run++;
      if (this.offsets[index] !== AS_OBJECT) {
        namedChain(index, (this.places[run] as ParagraphPlace).outer);
        continue;
      }
      const block = this.objects.get(index) as Block;
      namedChain(index, block instanceof SettledParagraph ? block.namedChain : block.ancestors);
    }
  }

  toArray(): Block[] {
    const blocks = new Array<Block>(this.textColumn.length);
    for (let i = 0; i < blocks.length; i++) blocks[i] = this.at(i);
    return blocks;
  }
}

/**
 * Stands in a tree for elements whose blocks were read as soon as they
 * closed (a tree builder's settled paragraphs and tables), and for the like
 * siblings right after them: their blocks are taken as they are. It keeps the
 * first element's name and properties, so that it still counts as a block
 * when an enclosing element's kind is judged, and the table rows within them
 * that may state the page's metadata, in document order.
 */
export class SettledElements implements Element {
  declare readonly type: 'element';
  readonly children: ElementContent[] = [];
  constructor(
    readonly tagName: string,
    readonly properties: Element['properties'],
    readonly blocks: BlockList,
    readonly rows: Element[],
  ) {}
}

Object.defineProperty(SettledElements.prototype, 'type', { value: 'element' });

/**
 * Appends to `blocks` the blocks of the nodes, tables kept whole. Inline runs
 * between blocks become paragraphs; <br> ends a line.
 */
export function collectBlocks(
  nodes: readonly (RootContent | ElementContent)[],
  ancestors: Ancestry | null,
  blocks: BlockList,
  makeTextBlock: TextBlockMaker = pageTextBlock,
): BlockList {
  const [only] = nodes;
  // Most elements of a huge page hold one run of text: no run to gather.
  if (nodes.length === 1 && only?.type === 'text') {
    const text = paragraphText(only.value);
    if (text !== null) blocks.push(makeTextBlock(text, only, ancestors));
    return blocks;
  }
  let run: ElementContent[] = [];
  let runAncestors: Ancestry | null = null;
  const flush = () => {
    if (run.length === 0) return;
    const [first] = run;
    const text = paragraphText(run.length === 1 && first?.type === 'text' ? first.value : run.map(runText).join(''));
    if (text !== null) blocks.push(makeTextBlock(text, run.find((node) => node.type !== 'comment'), runAncestors));
    run = [];
  };
  const walk = (children: readonly (RootContent | ElementContent)[], ancestors: Ancestry | null) => {
    // Indexed: for-of over child arrays, some of them a tree builder's frozen empty one, is several times slower.
    for (let i = 0; i < children.length; i++) {
      const child = children[i] as RootContent | ElementContent;
      if (child.type === 'comment' || child.type === 'doctype') continue;
      if (child.type === 'text') {
        if (run.length === 0) runAncestors = ancestors;
        run.push(child);
        continue;
      }
      if (child.type !== 'element') continue;
      if (child instanceof SettledElements) {
        flush();
        blocks.append(child.blocks);
        continue;
      }
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
  walk(nodes, ancestors);
  flush();
  return blocks;
}

/** The blocks of a tree, tables kept whole. */
export function pageBlockList(tree: Root | Element): BlockList {
  return collectBlocks(tree.children, tree.type === 'element' ? within(null, tree) : null, new BlockList());
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
 * The indices of the blocks inside an element, each link of the shared
 * chains looked at once: a link's verdict is kept on the link itself (a map
 * of every link costs more than the walk).
 */
export function blocksWithin(blocks: BlockList, element: Element): number[] {
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
  const inside: number[] = [];
  blocks.forEachNamedChain((index, chain) => {
    if (isInside(chain)) inside.push(index);
  });
  return inside;
}
