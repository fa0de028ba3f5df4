/**
 * The block structure of a Markdown document as the authoring form needs it:
 * front matter, top-level headings and GFM tables, with source offsets.
 *
 * remark (unified + remark-parse + remark-gfm + remark-frontmatter) is the
 * parser of record. Its GFM table tokenizer costs milliseconds per report,
 * so documents made only of the constructs the authoring form uses (ATX
 * headings, paragraphs, plain lists, pipe tables of plain cells) are scanned
 * line by line instead; anything else (code, HTML blocks, block quotes,
 * setext headings, inline markup in cells or headings) goes to remark. The
 * two give the same blocks (tests/parse-markdown.test.ts compares them).
 * The line scanner is in markdown-scan.ts, which loads no parser.
 */
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { toString } from 'mdast-util-to-string';
import type { Root, RootContent, Table } from 'mdast';
import { scanFast, type BlockRow, type Blocks, type BlockTable } from './markdown-scan.js';

export { scanFast, type BlockCell, type BlockHeading, type BlockRow, type Blocks, type BlockTable, type FrontMatter } from './markdown-scan.js';

/** Where a cell's content starts: past the pipe and spaces that open it. */
function contentOffset(text: string, from: number, to: number): number {
  let i = from;
  if (text[i] === '|') i++;
  while (i < to && (text[i] === ' ' || text[i] === '\t')) i++;
  return i;
}

const processor = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm);
/** For pieces after the first: a `---` opening one is a thematic break, not front matter. */
const bodyProcessor = unified().use(remarkParse).use(remarkGfm);

function tableFromMdast(text: string, node: Table): BlockTable {
  const rows: BlockRow[] = node.children.map((row) => ({
    offset: row.position?.start.offset ?? 0,
    cells: row.children.map((cell) => {
      const start = cell.position?.start.offset ?? 0;
      const end = cell.position?.end.offset ?? start;
      return { text: toString(cell).trim(), offset: contentOffset(text, start, end) };
    }),
  }));
  const [header, ...body] = rows;
  return {
    start: node.position?.start.offset ?? 0,
    end: node.position?.end.offset ?? 0,
    header: header ?? { cells: [], offset: node.position?.start.offset ?? 0 },
    rows: body,
  };
}

/** Documents longer than this are given to remark in pieces. */
const CHUNK = 64 * 1024;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/** HTML blocks that run across blank lines (CommonMark kinds 1–5), with what ends them. */
const RAW_BLOCKS: [RegExp, string][] = [
  [/^ {0,3}<(?:script|pre|style|textarea)(?:[\s>]|$)/i, '</'],
  [/^ {0,3}<!--/, '-->'],
  [/^ {0,3}<\?/, '?>'],
  [/^ {0,3}<![A-Za-z]/, '>'],
  [/^ {0,3}<!\[CDATA\[/, ']]>'],
];

/**
 * Offsets where a long document can be cut into pieces that remark reads the
 * same way at top level: after a blank line, outside fenced code and raw HTML
 * blocks, before a line that starts at column 0 (so no list or quote goes on).
 * remark's setext-heading and table resolvers rework all events read so far
 * each time, which makes one long document quadratic; pieces keep it linear.
 * (A link reference defined in one piece and used in another is the one
 * reading this changes; the authoring form has none.)
 */
function cutPoints(text: string, minimum = CHUNK): number[] {
  const cuts: number[] = [];
  let pieceStart = 0;
  let fence: string | null = null;
  let rawEnd: string | null = null;
  let previousBlank = false;
  // Front matter is one block however many blank lines its YAML has.
  const frontMatter = /^---[ \t]*\n[\s\S]*?\n---[ \t]*(?:\n|$)/.exec(text);
  for (let start = frontMatter?.[0].length ?? 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end);
    if (fence !== null) {
      if (line.trimStart().startsWith(fence) && line.trim().replace(new RegExp(`^\\${fence[0]}+`), '') === '') fence = null;
    } else if (rawEnd !== null) {
      if (line.includes(rawEnd)) rawEnd = null;
    } else {
      if (previousBlank && start - pieceStart >= minimum && /^[^\s]/.test(line)) {
        cuts.push(start);
        pieceStart = start;
      }
      const opening = FENCE.exec(line);
      if (opening) fence = opening[1] as string;
      else {
        const raw = RAW_BLOCKS.find(([pattern]) => pattern.test(line));
        if (raw && !line.slice(line.indexOf('<') + 2).includes(raw[1])) rawEnd = raw[1];
      }
    }
    previousBlank = line.trim() === '';
    start = end + 1;
  }
  return cuts;
}

/** Blocks through remark: exact CommonMark/GFM, slower. */
export function scanWithRemark(text: string): Blocks {
  const blocks: Blocks = { frontMatter: null, headings: [], tables: [] };
  const cuts = text.length > CHUNK ? cutPoints(text) : [];
  const starts = [0, ...cuts];
  starts.forEach((pieceStart, i) => {
    const piece = text.slice(pieceStart, starts[i + 1] ?? text.length);
    const found = scanPieceWithRemark(piece, i === 0);
    if (i === 0) blocks.frontMatter = found.frontMatter;
    blocks.headings.push(...found.headings.map((h) => ({ ...h, start: h.start + pieceStart, end: h.end + pieceStart })));
    blocks.tables.push(...found.tables.map((t) => shiftTable(t, pieceStart)));
  });
  return blocks;
}

function shiftTable(table: BlockTable, by: number): BlockTable {
  if (by === 0) return table;
  const shiftRow = (row: BlockRow): BlockRow => ({
    offset: row.offset + by,
    cells: row.cells.map((cell) => ({ ...cell, offset: cell.offset + by })),
  });
  return { start: table.start + by, end: table.end + by, header: shiftRow(table.header), rows: table.rows.map(shiftRow) };
}

/** Block quotes and list items nested deeper than this are read as the innermost one: mdast's conversion recurses and overflows the stack at a few thousand. */
const MAX_QUOTE_DEPTH = 100;
/** Lines indented further than this (lists nested by indentation) cost remark time that grows with the depth on every line. */
const MAX_INDENT = 200;

/** A `>` or a bullet (`-`, `*`, `+` before a blank) opening a nesting level at `i`. */
function isNestingMarker(line: string, i: number): boolean {
  const c = line[i];
  return c === '>' || ((c === '-' || c === '*' || c === '+') && (line[i + 1] === ' ' || line[i + 1] === '\t'));
}

/**
 * Blanks the `>` and bullet markers beyond the cap with spaces, and makes a
 * line indented beyond MAX_INDENT start with a no-break space (not
 * indentation for Markdown, so it is a plain paragraph line), keeping every offset.
 */
function capQuoteDepth(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let depth = 0;
      let i = 0;
      while (i < line.length && (line[i] === ' ' || line[i] === '\t' || isNestingMarker(line, i))) {
        if (line[i] !== ' ' && line[i] !== '\t') depth++;
        i++;
      }
      if (depth === 0 && i > MAX_INDENT) return `\u00a0${line.slice(1)}`;
      if (depth <= MAX_QUOTE_DEPTH) return line;
      let kept = 0;
      let prefix = '';
      for (let j = 0; j < i; j++) {
        const marker = line[j] !== ' ' && line[j] !== '\t';
        prefix += marker && ++kept > MAX_QUOTE_DEPTH ? ' ' : line[j];
      }
      return prefix + line.slice(i);
    })
    .join('\n');
}

function scanPieceWithRemark(text: string, first: boolean): Blocks {
  const tree = (first ? processor : bodyProcessor).parse(capQuoteDepth(text)) as Root;
  const blocks: Blocks = { frontMatter: null, headings: [], tables: [] };
  tree.children.forEach((node: RootContent) => {
    const start = node.position?.start.offset ?? 0;
    const end = node.position?.end.offset ?? start;
    if (node.type === 'yaml' && start === 0) {
      const valueStart = text.indexOf('\n', start) + 1;
      blocks.frontMatter = { value: node.value, valueStart, end };
    } else if (node.type === 'heading') {
      blocks.headings.push({ depth: node.depth, text: toString(node).trim(), start, end });
    } else if (node.type === 'table') {
      blocks.tables.push(tableFromMdast(text, node));
    }
  });
  return blocks;
}


/**
 * The document's blocks. Each group of lines that starts after a blank line
 * at column 0 is read the same way whatever came before (outside fenced code
 * and raw HTML, which cutPoints respects): groups the line scan is sure of
 * are scanned, the others alone go to remark, so one code block or HTML
 * fragment does not send a 20 MB document through remark.
 */
export function scanMarkdown(text: string): Blocks {
  return scanFast(text) ?? scanByGroups(text);
}

/** scanMarkdown of a document the line scan cannot settle as a whole. */
export function scanByGroups(text: string): Blocks {
  const blocks: Blocks = { frontMatter: null, headings: [], tables: [] };
  const starts = [0, ...cutPoints(text, 0)];
  starts.forEach((groupStart, i) => {
    const group = text.slice(groupStart, starts[i + 1] ?? text.length);
    const found = scanFast(group, i === 0) ?? scanPieceWithRemark(group, i === 0);
    if (i === 0) blocks.frontMatter = found.frontMatter;
    for (const h of found.headings) blocks.headings.push({ ...h, start: h.start + groupStart, end: h.end + groupStart });
    for (const t of found.tables) blocks.tables.push(shiftTable(t, groupStart));
  });
  return blocks;
}
