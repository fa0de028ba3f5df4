/**
 * The line scanner of the Markdown authoring form's blocks (front matter,
 * top-level headings, GFM pipe tables), apart from remark
 * (markdown-blocks.ts) so that a document it settles loads no Markdown parser.
 */
export interface BlockCell {
  text: string;
  /** Offset of the cell's first character, or of where it would be when empty. */
  offset: number;
}

export interface BlockRow {
  cells: BlockCell[];
  offset: number;
}

export interface BlockTable {
  start: number;
  end: number;
  header: BlockRow;
  rows: BlockRow[];
}

export interface BlockHeading {
  depth: number;
  text: string;
  start: number;
  end: number;
}

export interface FrontMatter {
  /** The YAML between the fences. */
  value: string;
  /** Offset of the YAML's first character. */
  valueStart: number;
  /** Offset just after the closing fence. */
  end: number;
}

export interface Blocks {
  frontMatter: FrontMatter | null;
  headings: BlockHeading[];
  tables: BlockTable[];
}

interface Line {
  text: string;
  start: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    lines.push({ text: text.slice(start, end === -1 ? text.length : end), start });
    if (end === -1) return lines;
    start = end + 1;
  }
}

const BLANK = /^[ \t]*$/;
/** A long blank run after text on its line (leading indentation of any length is linear for the patterns below). */
const LONG_BLANK_RUN = /[^\s][ \t]{200}/;
const ATX = /^(#{1,6})(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$/;
const DELIMITER = /^\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const LIST_ITEM = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
/** Block starts the line scanner leaves to remark. */
const OTHER_BLOCK = /^(?: {0,3}(?:```|~~~|<|>)| {4}|\t| {1,3}#)/;
/** Setext underlines and thematic breaks. */
const SETEXT_OR_BREAK = /^ {0,3}(?:=+|-+|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})[ \t]*$/;
/** Characters that would make remark's text of a cell or heading differ from its source. */
const INLINE_MARKUP = /[\\`*_<>[\]&~!]|https?:|www\./i;

/** Splits a table line on unescaped pipes, with each cell's content offset. */
function splitRow(line: Line): BlockRow | null {
  const cells: BlockCell[] = [];
  const text = line.text;
  let i = 0;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  if (text[i] === '|') i++;
  let cellStart = i;
  const flush = (end: number) => {
    const raw = text.slice(cellStart, end);
    const lead = raw.length - raw.trimStart().length;
    cells.push({ text: raw.trim(), offset: line.start + cellStart + lead });
  };
  for (; i < text.length; i++) {
    if (text[i] === '|' && text[i - 1] !== '\\') {
      flush(i);
      cellStart = i + 1;
    }
  }
  const rest = text.slice(cellStart);
  if (!BLANK.test(rest) || cells.length === 0) flush(text.length);
  if (cells.some((cell) => INLINE_MARKUP.test(cell.text))) return null;
  return { cells, offset: line.start + (text.length - text.trimStart().length) };
}

function pipeCount(text: string): number {
  return splitRow({ text, start: 0 })?.cells.length ?? -1;
}

/** Markers that open list items or block quotes, with the blanks after them. */
const CONTAINER_MARKER = /^(?:[-+*][ \t]+|\d{1,9}[.)][ \t]+|>[ \t]?)/;

/**
 * Whether a line inside a list or block quote holds plain paragraph text
 * once its indentation and container markers are taken off: then it cannot
 * hide a code block, HTML block or heading that would change how the lines
 * after it are read at top level. Linear in the line's length.
 */
function plainInContainer(text: string): boolean {
  let i = 0;
  while (i < text.length && text[i] === ' ') i++;
  for (;;) {
    const marker = CONTAINER_MARKER.exec(text.slice(i, i + 16));
    if (!marker) break;
    // Five or more blanks after a list marker open indented code inside the item.
    if (/^[-+*\d]/.test(marker[0]) && /[ \t]{5}|\t/.test(marker[0])) return false;
    i += marker[0].length;
    while (i < text.length && text[i] === ' ') i++;
  }
  const rest = text.slice(i, i + 16);
  if (rest === '' || text[i] === '\t') return false;
  return !/^(?:```|~~~|<|#|[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|>)/.test(rest) && !SETEXT_OR_BREAK.test(text.slice(i));
}

function indentation(text: string): number {
  let i = 0;
  while (text[i] === ' ') i++;
  return i;
}

type Previous = 'blank' | 'paragraph' | 'heading' | 'list' | 'list-blank' | 'container';

/**
 * Blocks by scanning lines, for documents in the authoring subset; null when
 * the document uses anything whose reading only remark can settle. Besides
 * headings, paragraphs and tables it follows thematic breaks, setext
 * headings, and lists and block quotes of plain text (skipped, as they hold
 * no top-level block); a line whose place is not certain (lazy continuation
 * after a list, code inside an item) gives null.
 */
export function scanFast(text: string, frontMatterAllowed = true): Blocks | null {
  // The line patterns below end in `[ \t]*$` after other blank runs, which backtracks
  // quadratically on very long runs; no authoring-form document has one.
  if (LONG_BLANK_RUN.test(text)) return null;
  const lines = splitLines(text);
  const blocks: Blocks = { frontMatter: null, headings: [], tables: [] };
  let index = 0;
  if (frontMatterAllowed && /^---[ \t]*$/.test(lines[0]?.text ?? '')) {
    const close = lines.findIndex((line, i) => i > 0 && /^---[ \t]*$/.test(line.text));
    if (close === -1) return null;
    const valueStart = lines[1]?.start ?? text.length;
    const closing = lines[close] as Line;
    blocks.frontMatter = {
      value: text.slice(valueStart, Math.max(valueStart, closing.start - 1)),
      valueStart,
      end: closing.start + closing.text.length,
    };
    index = close + 1;
  }
  let previous = 'blank' as Previous;
  /** The open paragraph's lines, which a setext underline turns into a heading. */
  let paragraph: Line[] = [];
  /** Where the content of the open top-level list item starts. */
  let itemIndent = 0;
  while (index < lines.length) {
    const line = lines[index] as Line;
    const next = lines[index + 1];
    if (BLANK.test(line.text)) {
      previous = previous === 'list' || previous === 'list-blank' ? 'list-blank' : 'blank';
      index++;
      continue;
    }
    const atColumnZero = !/^\s/.test(line.text);
    const beforeDelimiter = next !== undefined && DELIMITER.test(next.text) && next.text.includes('|');
    const startsTable = beforeDelimiter && line.text.includes('|');
    if (previous === 'list' || previous === 'list-blank' || previous === 'container') {
      if (previous === 'list-blank') {
        // After a blank line only lines indented into the item stay in the list.
        const indent = indentation(line.text);
        if (indent < itemIndent || indent > itemIndent + 3 || !plainInContainer(line.text)) return null;
        previous = 'list';
      } else if (beforeDelimiter) {
        return null;
      } else if (!atColumnZero) {
        if (!plainInContainer(line.text)) return null;
      } else if (ATX.test(line.text)) {
        // A heading at column 0 ends any list or quote: handled below.
      } else if (CONTAINER_MARKER.test(line.text)) {
        if (!plainInContainer(line.text) || /^\d/.test(line.text) && !/^1[.)]/.test(line.text)) return null;
        previous = /^>/.test(line.text) ? 'container' : 'list';
        itemIndent = /^[-+*\d]/.test(line.text) ? (/^[-+*\d]+[.)]?[ \t]+/.exec(line.text)?.[0].length ?? 2) : 0;
      } else {
        // Lazy continuation or a new paragraph: which one only remark can say when it matters.
        if (OTHER_BLOCK.test(line.text) || SETEXT_OR_BREAK.test(line.text)) return null;
        previous = 'container';
      }
      if (!(atColumnZero && ATX.test(line.text))) {
        index++;
        continue;
      }
    }
    if (OTHER_BLOCK.test(line.text) && !/^>/.test(line.text)) return null;
    if (SETEXT_OR_BREAK.test(line.text)) {
      const underline = /^ {0,3}(=+|-+)[ \t]*$/.exec(line.text);
      if (previous === 'paragraph' && underline) {
        const first = paragraph[0] as Line;
        if (paragraph.slice(0, -1).some((l) => /[ \t]$/.test(l.text))) return null;
        const headingText = paragraph.map((l) => l.text.trim()).join('\n');
        if (INLINE_MARKUP.test(headingText)) return null;
        blocks.headings.push({
          depth: underline[1]?.startsWith('=') ? 1 : 2,
          text: headingText,
          start: first.start + indentation(first.text),
          end: line.start + line.text.length,
        });
        previous = 'heading';
      } else if (/^ {0,3}(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})$/.test(line.text)) {
        previous = 'blank';
      } else return null;
      index++;
      continue;
    }
    const atx = ATX.exec(line.text);
    if (atx) {
      const headingText = (atx[2] ?? '').trim();
      if (INLINE_MARKUP.test(headingText)) return null;
      blocks.headings.push({
        depth: (atx[1] ?? '#').length,
        text: headingText,
        start: line.start,
        end: line.start + line.text.length,
      });
      previous = 'heading';
      index++;
      continue;
    }
    if (LIST_ITEM.test(line.text) || /^>/.test(line.text)) {
      // A list item or quote that cannot interrupt the paragraph before it continues that paragraph.
      if (previous === 'paragraph' && !/^(?:[-+*]|1[.)]|>)/.test(line.text.trimStart())) return null;
      if (beforeDelimiter || !plainInContainer(line.text)) return null;
      previous = /^>/.test(line.text) ? 'container' : 'list';
      itemIndent = previous === 'list' ? (/^ {0,3}(?:[-+*]|\d{1,9}[.)])[ \t]+/.exec(line.text)?.[0].length ?? 2) : 0;
      index++;
      continue;
    }
    if (startsTable && next) {
      const header = splitRow(line);
      if (!header) return null;
      if (header.cells.length !== pipeCount(next.text)) {
        // Not a table for GFM: a paragraph line.
        if (previous !== 'paragraph') paragraph = [];
        paragraph.push(line);
        previous = 'paragraph';
        index++;
        continue;
      }
      const rows: BlockRow[] = [];
      let last = next;
      index += 2;
      while (index < lines.length) {
        const body = lines[index] as Line;
        if (BLANK.test(body.text) || ATX.test(body.text)) break;
        if (OTHER_BLOCK.test(body.text) || LIST_ITEM.test(body.text) || SETEXT_OR_BREAK.test(body.text)) return null;
        const row = splitRow(body);
        if (!row) return null;
        rows.push(row);
        last = body;
        index++;
      }
      blocks.tables.push({ start: line.start + (line.text.length - line.text.trimStart().length), end: last.start + last.text.trimEnd().length, header, rows });
      previous = 'blank';
      continue;
    }
    if (previous !== 'paragraph') paragraph = [];
    paragraph.push(line);
    previous = 'paragraph';
    index++;
  }
  return blocks;
}
