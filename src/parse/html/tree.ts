/**
 * A fast HTML front end for very large pages: htmlparser2's tokenizer (about
 * ten times quicker than parse5, and far lighter on memory) feeding a tree
 * builder that follows the HTML standard's tree construction where it shapes
 * what the reader sees — the implied html/head/body, paragraphs closed by
 * blocks, implied rows and cells, end tags that cannot reach past a table,
 * foster-parented table text. It leaves out what the reader never looks at
 * (reopening formatting elements, <select> and foreign-content details). The tree is hast
 * with only the properties the reader uses, and positions with only a start.
 */
import type { Comment, Element, ElementContent, Properties, Root, Text } from 'hast';
import { Tokenizer } from 'htmlparser2';
import type { Position } from '../../template/model.js';
import { BLOCK, BlockList, collectBlocks, isChrome, paragraphText, SettledElements, within, type Ancestry, type ParagraphPlace, type TextBlock } from './blocks.js';
import { rowMayStateMeta, SKETCH } from './meta.js';

const VOID = new Set([
  'area', 'base', 'basefont', 'bgsound', 'br', 'col', 'embed', 'frame', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param',
  'source', 'track', 'wbr',
]);

/** Elements that go in the head when they come before any body content. */
const HEAD_CONTENT = new Set(['base', 'basefont', 'bgsound', 'link', 'meta', 'noframes', 'noscript', 'script', 'style', 'template', 'title']);

/** Start tags that close an open paragraph. */
const CLOSES_P = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'details', 'dialog', 'dir', 'div', 'dl', 'fieldset', 'figcaption', 'figure',
  'footer', 'header', 'hgroup', 'main', 'menu', 'nav', 'ol', 'p', 'search', 'section', 'summary', 'ul', 'h1', 'h2', 'h3', 'h4', 'h5',
  'h6', 'pre', 'listing', 'form', 'li', 'dd', 'dt', 'plaintext', 'hr', 'xmp',
]);

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** End tags closed only when open within scope (tables, cells and captions bound it). */
const SCOPED_END = new Set([
  'address', 'article', 'aside', 'blockquote', 'button', 'center', 'details', 'dialog', 'dir', 'div', 'dl', 'fieldset', 'figcaption',
  'figure', 'footer', 'header', 'hgroup', 'listing', 'main', 'menu', 'nav', 'ol', 'pre', 'search', 'section', 'summary', 'ul', 'form',
  'applet', 'marquee', 'object', 'li', 'dd', 'dt',
]);

const SCOPE_BOUNDARY = new Set(['applet', 'caption', 'html', 'table', 'td', 'th', 'marquee', 'object', 'template']);
const TABLE_SCOPE_BOUNDARY = new Set(['html', 'table', 'template']);
const LIST_ITEM_SCOPE_BOUNDARY = new Set([...SCOPE_BOUNDARY, 'ol', 'ul']);
const TABLE_SECTIONS = new Set(['tbody', 'thead', 'tfoot']);
/** Where text and other elements do not belong: they are placed before the table instead. */
const TABLE_CONTEXT = new Set(['table', 'tbody', 'thead', 'tfoot', 'tr']);
const TABLE_END_TAGS = new Set(['table', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th', 'caption', 'colgroup']);
/** Elements that belong where they are in a table (the table's own parts, and scripts). */
const NOT_FOSTERED = new Set([...TABLE_END_TAGS, 'col', 'script', 'style', 'template']);

/** The standard's "special" elements: an end tag of an ordinary element does not close past them. */
const SPECIAL = new Set([
  'address', 'applet', 'area', 'article', 'aside', 'base', 'basefont', 'bgsound', 'blockquote', 'body', 'br', 'button', 'caption',
  'center', 'col', 'colgroup', 'dd', 'details', 'dir', 'div', 'dl', 'dt', 'embed', 'fieldset', 'figcaption', 'figure', 'footer', 'form',
  'frame', 'frameset', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'head', 'header', 'hgroup', 'hr', 'html', 'iframe', 'img', 'input', 'keygen',
  'li', 'link', 'listing', 'main', 'marquee', 'menu', 'meta', 'nav', 'noembed', 'noframes', 'noscript', 'object', 'ol', 'p', 'param',
  'plaintext', 'pre', 'script', 'search', 'section', 'select', 'source', 'style', 'summary', 'table', 'tbody', 'td', 'template',
  'textarea', 'tfoot', 'th', 'thead', 'title', 'tr', 'track', 'ul', 'wbr', 'xmp',
]);

/** Elements whose first newline is not content. */
const SKIPS_LEADING_NEWLINE = new Set(['pre', 'listing', 'textarea']);

const WHITESPACE_ONLY = /^[ \t\n\f\r]*$/;
/** Space, tab, newline, form feed, carriage return: HTML's whitespace. */
const isHtmlWhitespace = (code: number) => code === 32 || (code >= 9 && code <= 13 && code !== 11);

/**
 * Elements the reader looks for in the tree itself, not in the page's blocks:
 * an element holding one is kept whole (the metadata and title come from
 * <meta> and <title>; the table rows that may state metadata are kept by
 * what settles them).
 */
const READ_FROM_TREE = new Set(['meta', 'title']);

/**
 * What a tag name means to the tree builder, as bits, looked up once per tag
 * and kept on its element: a page of millions of tags would otherwise hash
 * each name into a dozen sets.
 */
const IS = {
  void: 1 << 0,
  headContent: 1 << 1,
  closesP: 1 << 2,
  heading: 1 << 3,
  scopedEnd: 1 << 4,
  scopeBoundary: 1 << 5,
  tableScopeBoundary: 1 << 6,
  listItemScopeBoundary: 1 << 7,
  tableSection: 1 << 8,
  tableContext: 1 << 9,
  tableEnd: 1 << 10,
  notFostered: 1 << 11,
  special: 1 << 12,
  skipsLeadingNewline: 1 << 13,
  readFromTree: 1 << 14,
  block: 1 << 15,
  /** Start tags that need a table (and a row, for cells) to mean anything. */
  tableStructure: 1 << 16,
};
const MEANING = new Map<string, number>();
for (const [bit, names] of [
  [IS.void, VOID],
  [IS.headContent, HEAD_CONTENT],
  [IS.closesP, CLOSES_P],
  [IS.heading, HEADINGS],
  [IS.scopedEnd, SCOPED_END],
  [IS.scopeBoundary, SCOPE_BOUNDARY],
  [IS.tableScopeBoundary, TABLE_SCOPE_BOUNDARY],
  [IS.listItemScopeBoundary, LIST_ITEM_SCOPE_BOUNDARY],
  [IS.tableSection, TABLE_SECTIONS],
  [IS.tableContext, TABLE_CONTEXT],
  [IS.tableEnd, TABLE_END_TAGS],
  [IS.notFostered, NOT_FOSTERED],
  [IS.special, SPECIAL],
  [IS.skipsLeadingNewline, SKIPS_LEADING_NEWLINE],
  [IS.readFromTree, READ_FROM_TREE],
  [IS.block, BLOCK],
  [IS.tableStructure, new Set(['td', 'th', 'tr', ...TABLE_SECTIONS, 'caption', 'colgroup', 'col'])],
] as const) {
  for (const name of names) MEANING.set(name, (MEANING.get(name) ?? 0) | bit);
}
const meaningOf = (name: string): number => MEANING.get(name) ?? 0;

/** Longest name looked up by its characters' code (base 37 codes stay exact up to this length). */
const LONGEST_KNOWN = 8;
/** A name character's digit in a name's code, case folded: letters 1-26, digits 27-36; 0 for any other. */
function nameDigit(code: number): number {
  if (code >= 97 && code <= 122) return code - 96;
  if (code >= 65 && code <= 90) return code - 64;
  if (code >= 48 && code <= 57) return code - 21;
  return 0;
}
/** The code of a name's characters from start to end, or -1 if any is not a letter or digit. */
function nameCode(text: string, start: number, end: number): number {
  let code = 0;
  for (let i = start; i < end; i++) {
    const digit = nameDigit(text.charCodeAt(i));
    if (digit === 0) return -1;
    code = code * 37 + digit;
  }
  return code;
}
/** The names the tree builder knows, and common inline ones, by code: a page of millions of tags slices and folds none of them. */
const KNOWN_NAMES = new Map<number, string>();
for (const name of [...MEANING.keys(), 'a', 'b', 'i', 'u', 'span', 'font', 'strong', 'em', 'img', 'sup', 'sub']) {
  if (name.length <= LONGEST_KNOWN && nameCode(name, 0, name.length) !== -1) KNOWN_NAMES.set(nameCode(name, 0, name.length), name);
}
/** A tag's name in lower case: the known name itself when it is one. */
function tagNameIn(text: string, start: number, end: number): string {
  const known = end - start <= LONGEST_KNOWN ? KNOWN_NAMES.get(nameCode(text, start, end)) : undefined;
  return known ?? text.slice(start, end).toLowerCase();
}

/**
 * The children of an element until its first child, which gets an array of
 * its own (a push onto a shared array would throw, never spread), and of a
 * settled element, which has left the tree.
 */
const NO_CHILDREN = Object.freeze([]) as unknown as ElementContent[];

/** Shared by every element without such attributes (nothing writes to a tree's properties). */
const NO_PROPERTIES: Properties = Object.freeze({});

/** hast properties of the attributes the reader and hast-util-to-text look at, typed as hast types them. */
function properties(attributes: Map<string, string>): Properties {
  if (attributes.size === 0) return NO_PROPERTIES;
  const result: Properties = {};
  for (const [name, value] of attributes) {
    switch (name) {
      case 'class':
        result.className = value.trim().split(/[ \t\n\r\f]+/);
        break;
      case 'rowspan':
      case 'colspan': {
        const number = Number(value);
        result[name === 'rowspan' ? 'rowSpan' : 'colSpan'] = value !== '' && !Number.isNaN(number) ? number : value;
        break;
      }
      case 'hidden':
      case 'open':
      case 'nowrap':
        result[name === 'nowrap' ? 'noWrap' : name] = true;
        break;
      case 'id':
      case 'style':
      case 'name':
      case 'content':
      case 'wrap':
        result[name] = value;
        break;
    }
  }
  return Object.keys(result).length > 0 ? result : NO_PROPERTIES;
}

type Parent = Root | Element;

/**
 * Whether a doctype puts the page in quirks mode, where a table does not
 * close an open paragraph: none at all, or an old HTML one (HTML 4.01
 * Transitional without its system identifier).
 */
function isQuirky(doctype: string): boolean {
  const match = /^doctype\s+(\S+)(?:\s+public\s+(["'])(.*?)\2(?:\s+(["'])(.*?)\4)?)?/i.exec(doctype);
  if (!match || match[1]?.toLowerCase() !== 'html') return true;
  const publicId = match[3];
  if (publicId === undefined) return false;
  if (/^-\/\/W3C\/\/DTD HTML 4\.01 (?:Transitional|Frameset)\/\//i.test(publicId)) return match[5] === undefined;
  return /^-\/\/(?:IETF|W3O|WebTechs|Netscape|Microsoft|SoftQuad|Sun|Spyglass|Metrius|O'Reilly|SQ|AS)\b|HTML (?:2|3)|HTML 4\.0 (?:Transitional|Frameset)/i.test(publicId);
}

/**
 * After a settled element's blocks are read, lets go of what no block and no
 * reader of the tree still needs: gathers the rows that may state metadata
 * (in document order, as the metadata reader would meet them) and empties
 * every element but the tables read as grids, the kept rows and what they
 * hold (a block's chain of enclosing elements keeps each of them, and with
 * its children it would keep the whole table).
 */
function letGo(nodes: readonly ElementContent[], grids: ReadonlySet<Element>, rows: Element[], intact: boolean): void {
  // Indexed: for-of over child arrays, some of them the frozen NO_CHILDREN, is several times slower.
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as ElementContent;
    if (node.type !== 'element') continue;
    if (node instanceof SettledElements) {
      for (const row of node.rows) rows.push(row);
      continue;
    }
    let keep = intact || grids.has(node);
    if (node.tagName === 'tr' && rowMayStateMeta(node)) {
      rows.push(node);
      keep = true;
    }
    letGo(node.children, grids, rows, keep);
    if (!keep) node.children = NO_CHILDREN;
  }
}

/** 1-based line and column of an offset in the page. */
export type Locate = (offset: number) => { line: number; column: number };

/**
 * The page as a hast tree, built in one pass; never throws. A block element
 * outside any table, page chrome and the head, holding no <meta> or <title>,
 * is settled as it closes, and so is an outermost table: its blocks are read
 * there and then (pageBlockList's own reading) and stand in the tree in its
 * place, with the table rows that may state metadata, so that a huge page of
 * paragraphs or tables keeps its blocks rather than its elements and text
 * nodes.
 */
export function fastHtmlTree(html: string, locate: Locate): Root {
  const startingAt = (offset: number) => ({ start: locate(offset) }) as Element['position'];
  // Nodes keep their offset and work out their line and column only when asked: a 20 MB page has millions of nodes and few positions are read.
  // The node type is kept on the class, not on each of the millions of nodes.
  // Not readonly: a paragraph settled as text alone hands its element and text node on to the next one.
  class PositionedElement implements Element {
    declare readonly type: 'element';
    children: ElementContent[] = NO_CHILDREN;
    /** The metadata reader's label sketch of a cell, given a place from the start: added later, it gave cells a shape of their own and a property store each. */
    [SKETCH]: string | null | undefined = undefined;
    constructor(
      public tagName: string,
      public properties: Properties,
      public offset: number | null,
      /** What its name means to the tree builder (IS bits). */
      public meaning: number = meaningOf(tagName),
    ) {}
    get position() {
      return this.offset === null ? undefined : startingAt(this.offset);
    }
  }
  class PositionedText implements Text {
    declare readonly type: 'text';
    constructor(
      public value: string,
      public offset: number,
    ) {}
    get position() {
      return startingAt(this.offset);
    }
  }
  /** A paragraph of a settled element: the offset of its first node, not the node, so that the node can go. */
  class SettledTextBlock implements TextBlock {
    declare readonly kind: 'text';
    constructor(
      readonly text: string,
      private readonly offset: number | null,
      readonly ancestors: Ancestry | null,
    ) {}
    get position(): Position | null {
      if (this.offset === null) return null;
      const { line, column } = locate(this.offset);
      return { line, column };
    }
  }
  Object.defineProperty(PositionedElement.prototype, 'type', { value: 'element' });
  Object.defineProperty(PositionedText.prototype, 'type', { value: 'text' });
  Object.defineProperty(SettledTextBlock.prototype, 'kind', { value: 'text' });
  const settledTextBlock = (text: string, first: ElementContent | undefined, ancestors: Ancestry | null) =>
    new SettledTextBlock(text, first instanceof PositionedElement || first instanceof PositionedText ? first.offset : null, ancestors);

  const root: Root = { type: 'root', children: [] };
  const htmlElement = new PositionedElement('html', NO_PROPERTIES, null);
  root.children.push(htmlElement);
  let head: PositionedElement | null = null;
  let body: PositionedElement | null = null;
  /** Open elements, innermost last; the html element is always open. */
  const stack: PositionedElement[] = [htmlElement];
  let quirks = true;
  let foreign = 0;
  let skipNewlineIn: Element | null = null;
  // Text is cleaned of carriage returns and NULs (as parse5 does) only in pages that have any.
  const hasReturns = html.includes('\r');
  const hasNulls = html.includes('\0');

  let tagName = '';
  let tagStart = 0;
  const attributes = new Map<string, string>();
  let attributeName = '';
  let attributeValue = '';

  const current = () => stack[stack.length - 1] as PositionedElement;
  /**
   * The element, text node and child array of the last paragraph settled as
   * text alone, which nothing refers to any more: the next element, text and
   * first child take them, so that a huge page of paragraphs does not make
   * and drop three objects for each.
   */
  let spareElement: PositionedElement | null = null;
  let spareText: PositionedText | null = null;
  let spareChildren: ElementContent[] | null = null;
  const create = (name: string, offset: number | null, props: Properties = NO_PROPERTIES, meaning = meaningOf(name)): PositionedElement => {
    const element = spareElement;
    if (element === null) return new PositionedElement(name, props, offset, meaning);
    spareElement = null;
    element.tagName = name;
    element.properties = props;
    element.offset = offset;
    element.meaning = meaning;
    return element;
  };
  const createText = (value: string, offset: number): PositionedText => {
    const text = spareText;
    if (text === null) return new PositionedText(value, offset);
    spareText = null;
    text.value = value;
    text.offset = offset;
    return text;
  };
  /** Appends a child. A first child gets an array of its own size: a push onto an empty array reserves seventeen slots, and most elements of a huge page hold one child. */
  const append = (parent: Parent, child: ElementContent): void => {
    if (parent.children.length > 0) parent.children.push(child);
    else if (spareChildren === null) parent.children = [child];
    else {
      spareChildren[0] = child;
      parent.children = spareChildren;
      spareChildren = null;
    }
  };
  /** Open <p> elements: most start tags close one, and looking for it down a deep stack each time would be slow. */
  let openParagraphs = 0;
  /** The lowest open element that a table, page chrome or the head encloses (or is), or the stack's end: none above it settles. */
  let unsettledFrom = Infinity;
  /** How many open elements (from the outermost) hold an element read from the tree: none of them settles. */
  let heldBelow = 0;
  /** How many open elements (from the outermost) hold a table: settling one of them, or a table, looks for the rows to keep. */
  let tablesBelow = 0;
  /** The open elements' ancestor chains, as pageBlockList builds them, made when a settled element first needs them. */
  const links: (Ancestry | undefined)[] = [];
  const linkAt = (index: number): Ancestry => {
    let from = index;
    while (from > 0 && links[from - 1] === undefined) from--;
    for (let i = from; i <= index; i++) links[i] ??= within(i === 0 ? null : (links[i - 1] as Ancestry), stack[i] as Element);
    return links[index] as Ancestry;
  };
  /** The place of the paragraphs settled last: their like siblings share it. */
  let lastPlace: ParagraphPlace | null = null;
  const placeOf = (element: Element, index: number): ParagraphPlace => {
    const outer = linkAt(index - 1);
    if (lastPlace?.outer !== outer || lastPlace.tagName !== element.tagName || lastPlace.properties !== element.properties) {
      lastPlace = { outer, tagName: element.tagName, properties: element.properties, locate };
    }
    return lastPlace;
  };
  /** Reads a closing element's blocks and puts them in its place (after settled siblings just before it, in theirs). */
  const settle = (element: PositionedElement, index: number) => {
    const siblings = (stack[index - 1] as Element).children;
    // Outside tables an open element is its parent's last child; anything else is left as it is.
    if (siblings[siblings.length - 1] !== element) return;
    // Never index -1: V8 looks a negative index up as a property name, slowly.
    const before = siblings.length > 1 ? siblings[siblings.length - 2] : undefined;
    const into = before instanceof SettledElements ? before.blocks : new BlockList();
    const rows = before instanceof SettledElements ? before.rows : [];
    const [only] = element.children;
    // An element of text alone (most paragraphs) is read here, its own chain link left to be made if ever asked for.
    if (element.children.length === 1 && only instanceof PositionedText) {
      const text = paragraphText(only.value);
      if (text !== null) into.pushParagraph(text, placeOf(element, index), only.offset);
      // Nothing else refers to the element (no chain link: no descendant settled), its only child or their array: they are spare.
      if (skipNewlineIn !== element) {
        spareChildren = element.children;
        spareText = only;
        spareElement = element;
      }
      element.children = NO_CHILDREN;
    } else if (element.tagName === 'table' || index < tablesBelow) {
      const from = into.length;
      // A table is read as pageBlockList reads it in its parent: kept whole as a grid, or (a layout table) walked for its blocks.
      if (element.tagName === 'table') collectBlocks([element], index > 0 ? linkAt(index - 1) : null, into, settledTextBlock);
      else collectBlocks(element.children, linkAt(index), into, settledTextBlock);
      const grids = new Set<Element>();
      // The tables found just now are the last ones listed.
      for (let i = into.tables.length - 1; i >= 0 && (into.tables[i] as number) >= from; i--) {
        const block = into.at(into.tables[i] as number);
        if (block.kind === 'table') grids.add(block.element);
      }
      letGo([element], grids, rows, false);
    } else {
      collectBlocks(element.children, linkAt(index), into, settledTextBlock);
      element.children = NO_CHILDREN;
    }
    if (before instanceof SettledElements) siblings.pop();
    else siblings[siblings.length - 1] = new SettledElements(element.tagName, element.properties, into, rows);
  };
  const push = (element: PositionedElement) => {
    if (unsettledFrom > stack.length && (element.tagName === 'table' || isChrome(element))) unsettledFrom = stack.length;
    stack.push(element);
    if (element.tagName === 'p') openParagraphs++;
    else if (element.tagName === 'svg' || element.tagName === 'math') foreign++;
  };
  // Popped one by one: a splice makes an array per closed paragraph.
  const popTo = (index: number) => {
    while (stack.length > index) {
      const last = stack.length - 1;
      const element = stack[last] as PositionedElement;
      // Nothing inside a table settles (its cells are read from the tree), but the outermost table itself does, unless it is chrome.
      const settles = last < unsettledFrom || (last === unsettledFrom && element.tagName === 'table' && !isChrome(element));
      if (last > 0 && last >= heldBelow && settles && element !== body && element.meaning & IS.block) settle(element, last);
      stack.pop();
      if (element.tagName === 'p') openParagraphs--;
      else if (element.tagName === 'table') tableParents.delete(element);
      else if (element.tagName === 'svg' || element.tagName === 'math') foreign--;
    }
    if (heldBelow > stack.length) heldBelow = stack.length;
    if (tablesBelow > stack.length) tablesBelow = stack.length;
    if (unsettledFrom >= stack.length) unsettledFrom = Infinity;
    if (links.length > stack.length) links.length = stack.length;
  };
  /** Index of the innermost open element of the name (or of a meaning, as IS bits), not looking past the boundary (IS bits); -1 if none. */
  const inScope = (target: string | number, boundary: number): number => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const element = stack[i] as PositionedElement;
      if (typeof target === 'string' ? element.tagName === target : (element.meaning & target) !== 0) return i;
      if (element.meaning & boundary) return -1;
    }
    return -1;
  };
  const closeParagraph = () => {
    if (openParagraphs === 0) return;
    const index = inScope('p', IS.scopeBoundary);
    if (index !== -1) popTo(index);
  };
  /** Head content before the body goes in the head; anything else opens the body. */
  const ensureBody = (offset: number | null) => {
    if (body) return;
    if (head && stack.includes(head)) popTo(stack.indexOf(head));
    body = create('body', offset);
    append(htmlElement, body);
    push(body);
  };
  /** Head content after </head> but before the body still goes in the head. */
  const ensureHead = () => {
    if (!head) {
      head = create('head', null);
      append(htmlElement, head);
    }
    if (current() !== head) push(head);
  };
  /** Each open table's parent: what goes before a table is placed there. */
  const tableParents = new Map<Element, Parent>();
  /** Where an element or non-blank text in table context goes: before the table, in the table's parent. */
  const fosterPlace = (): { parent: Parent; index: number } | null => {
    const table = stack[inScope('table', IS.tableScopeBoundary)];
    const parent = table && tableParents.get(table);
    // Whatever is fostered goes before the open table, which stays its parent's last child: look from the end.
    return table && parent ? { parent, index: parent.children.lastIndexOf(table) } : null;
  };
  const insert = (element: PositionedElement) => {
    if (element.meaning & IS.readFromTree) heldBelow = stack.length;
    else if (element.tagName === 'table') tablesBelow = stack.length;
    const parent = current();
    const fostered = parent.meaning & IS.tableContext && !(element.meaning & IS.notFostered) ? fosterPlace() : null;
    if (fostered) fostered.parent.children.splice(fostered.index, 0, element);
    else append(parent, element);
    if (element.tagName === 'table') tableParents.set(element, fostered?.parent ?? parent);
  };
  /** Opens an element the markup leaves out (a table's body, a row), without a position. */
  const openImplied = (name: string) => {
    const element = create(name, null);
    append(current(), element);
    push(element);
  };

  const addText = (value: string, offset: number) => {
    if (skipNewlineIn) {
      const skip = skipNewlineIn === current() && value.startsWith('\n');
      skipNewlineIn = null;
      if (skip) {
        value = value.slice(1);
        if (value === '') return;
        // parse5 drops the newline from its run of whitespace: text after a newline alone starts after it, other whitespace at it.
        if (!/^[ \t\n\f\r]/.test(value)) offset++;
      }
    }
    if (hasReturns) value = value.replace(/\r\n?/g, '\n');
    if (hasNulls) value = value.replace(/\0/g, '');
    if (value === '') return;
    // Text that does not start with whitespace (most of a page's text) is not all whitespace: no need for the pattern.
    const whitespace = isHtmlWhitespace(value.charCodeAt(0)) && WHITESPACE_ONLY.test(value);
    // Text of the title or a script in the head is theirs; other text opens the body.
    if (!body && !whitespace && (current() === htmlElement || current() === head)) ensureBody(null);
    const fostered = !whitespace && current().meaning & IS.tableContext ? fosterPlace() : null;
    const parent: Parent = fostered?.parent ?? current();
    const before = fostered?.index ?? parent.children.length;
    const previous = before > 0 ? parent.children[before - 1] : undefined;
    if (previous?.type === 'text') {
      previous.value += value;
      return;
    }
    if (fostered) parent.children.splice(before, 0, createText(value, offset));
    else append(parent, createText(value, offset));
  };

  const openTag = (name: string, offset: number, props: Properties, selfClosing: boolean) => {
    skipNewlineIn = null;
    if (name === 'image') name = 'img';
    if (name === 'html') return;
    if (name === 'head') {
      if (!head && !body) ensureHead();
      return;
    }
    const meaning = meaningOf(name);
    if (!body && meaning & IS.headContent) ensureHead();
    else if (name === 'body') {
      if (!body) ensureBody(offset);
      return;
    } else ensureBody(null);

    if (meaning & IS.closesP || (name === 'table' && !quirks)) closeParagraph();
    if (meaning & IS.heading && current().meaning & IS.heading) popTo(stack.length - 1);
    if (name === 'li' || name === 'dd' || name === 'dt') {
      const siblings = name === 'li' ? ['li'] : ['dd', 'dt'];
      for (let i = stack.length - 1; i >= 0; i--) {
        const open = stack[i] as PositionedElement;
        if (siblings.includes(open.tagName)) {
          popTo(i);
          break;
        }
        if (open.meaning & IS.special && !['address', 'div', 'p'].includes(open.tagName)) break;
      }
    }
    if ((name === 'option' || name === 'optgroup') && current().tagName === 'option') popTo(stack.length - 1);
    if (name === 'a') {
      const index = inScope('a', IS.special);
      if (index !== -1) popTo(index);
    }
    // Table structure: cells need a row, rows a table; outside a table these tags are ignored.
    if (meaning & IS.tableStructure) {
      const tableIndex = inScope('table', IS.tableScopeBoundary);
      if (tableIndex === -1) return;
      const row = inScope('tr', IS.tableScopeBoundary);
      const section = inScope(IS.tableSection, IS.tableScopeBoundary);
      if (name === 'td' || name === 'th') {
        if (row !== -1) popTo(row + 1);
        else {
          if (section !== -1) popTo(section + 1);
          else {
            popTo(tableIndex + 1);
            openImplied('tbody');
          }
          openImplied('tr');
        }
      } else if (name === 'tr') {
        if (section !== -1) popTo(section + 1);
        else {
          popTo(tableIndex + 1);
          openImplied('tbody');
        }
      } else popTo(tableIndex + 1);
    } else if (name === 'table' && current().meaning & IS.tableContext) {
      // A table opened directly in a table ends that table.
      const open = inScope('table', IS.tableScopeBoundary);
      if (open > 0) popTo(open);
    }

    const element = create(name, offset, props, meaning);
    insert(element);
    if (meaning & IS.void) return;
    if (selfClosing && foreign > 0) return;
    push(element);
    if (meaning & IS.skipsLeadingNewline) skipNewlineIn = element;
  };

  const closeTag = (name: string, offset: number) => {
    skipNewlineIn = null;
    if (name === 'html' || name === 'body') return;
    if (name === 'head') {
      if (head && current() === head) popTo(stack.length - 1);
      return;
    }
    if (name === 'br') {
      openTag('br', offset, NO_PROPERTIES, false);
      return;
    }
    const meaning = meaningOf(name);
    if (!body && head && current() === head && !(meaning & IS.headContent)) return;
    if (name === 'p') {
      if (inScope('p', IS.scopeBoundary) === -1) {
        ensureBody(null);
        insert(create('p', null));
      } else closeParagraph();
      return;
    }
    let index: number;
    if (meaning & IS.tableEnd) index = inScope(name, IS.tableScopeBoundary);
    else if (meaning & IS.heading) index = inScope(IS.heading, IS.scopeBoundary);
    else if (meaning & IS.scopedEnd) index = inScope(name, name === 'li' ? IS.listItemScopeBoundary : IS.scopeBoundary);
    else index = inScope(name, IS.special);
    if (index > 0) popTo(index);
  };

  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      onopentagname(start, end) {
        tagName = tagNameIn(html, start, end);
        tagStart = start - 1;
        // Clearing a map allocates a new table: only when there is something to clear.
        if (attributes.size > 0) attributes.clear();
      },
      onattribname(start, end) {
        attributeName = html.slice(start, end).toLowerCase();
        attributeValue = '';
      },
      onattribdata(start, end) {
        attributeValue += html.slice(start, end);
      },
      onattribentity(codePoint) {
        attributeValue += String.fromCodePoint(codePoint);
      },
      onattribend() {
        // The first of repeated attributes counts.
        if (!attributes.has(attributeName)) attributes.set(attributeName, attributeValue);
      },
      onopentagend() {
        openTag(tagName, tagStart, properties(attributes), false);
      },
      onselfclosingtag() {
        openTag(tagName, tagStart, properties(attributes), true);
      },
      onclosetag(start, end) {
        closeTag(tagNameIn(html, start, end), html.lastIndexOf('<', start));
      },
      ontext(start, end) {
        addText(html.slice(start, end), start);
      },
      ontextentity(codePoint, end) {
        addText(String.fromCodePoint(codePoint), html.lastIndexOf('&', end - 1));
      },
      oncomment() {
        append(current(), { type: 'comment', value: '' } satisfies Comment);
      },
      ondeclaration(start, end) {
        quirks = isQuirky(html.slice(start, end));
      },
      oncdata() {},
      onprocessinginstruction() {},
      onend() {},
      isInForeignContext: () => foreign > 0,
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  return root;
}
