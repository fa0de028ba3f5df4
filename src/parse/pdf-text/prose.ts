/**
 * Prose of PDF-extracted text: the extractor breaks every printed line, so
 * paragraphs are rebuilt from line widths — a paragraph ends on a line
 * clearly shorter than a full line of the page, and a new one starts, indented,
 * after a line that closes a sentence.
 *
 * Lines are walked by their bounds (TrimmedLines) rather than split and
 * trimmed into strings: only the lines kept are ever sliced.
 */
import { isPageNumber } from '../text-sections.js';
import { isFooterDash, isPageFooter } from './lines.js';
import { cutLine, lineAt, type LinePart, type TrimmedLines } from './trimmed-lines.js';

/** Printed width in CJK characters of text[first, last): ASCII letters, digits and spaces count half. */
function printedWidth(text: string, first: number, last: number): number {
  // Half-width characters counted as an integer (the sign bit of code - 0x2e80), halved once: exact, and no float sum per character.
  let narrow = 0;
  for (let i = first; i < last; i++) narrow += (text.charCodeAt(i) - 0x2e80) >>> 31;
  return last - first - narrow / 2;
}

/** Lines enough to measure the page: reports open with prose. */
const SAMPLE_LINES = 80;

/** The page's full line width, and the widths of the first lines measured for it (by line number; valid until the next measure). */
export interface PageMeasure {
  fullWidth: number;
  count: number;
  widths: Float64Array;
}

/** The measured lines' widths, and those at least 10 wide sorted: reused, a read being synchronous and keeping neither. */
const sampleWidths = new Float64Array(SAMPLE_LINES);
const fullWidths: number[] = [];

/**
 * A full line's width: a high percentile, so that headings and paragraph ends do not pull it down. The lines'
 * widths are kept: the prose is made of the same lines, whose widths need not be counted again.
 */
export function measurePage(lines: TrimmedLines): PageMeasure {
  const { text, firsts, lasts } = lines;
  const count = Math.min(SAMPLE_LINES, lines.count);
  const widths = sampleWidths;
  fullWidths.length = 0;
  for (let line = 0; line < count; line++) {
    const width = printedWidth(text, firsts[line] as number, lasts[line] as number);
    widths[line] = width;
    // Page footers and headings are narrower than 10 and fall out here.
    if (width < 10) continue;
    // Sorted by insertion as they come: a few dozen numbers, fewer steps than a sort call's setup.
    let at = fullWidths.length;
    fullWidths.push(width);
    while (at > 0 && (fullWidths[at - 1] as number) > width) {
      fullWidths[at] = fullWidths[at - 1] as number;
      at--;
    }
    fullWidths[at] = width;
  }
  return { fullWidth: fullWidths[Math.floor(fullWidths.length * 0.75)] ?? 0, count, widths };
}

const SHORT_LINE = 0.85;
/** Paragraphs open with a two-character indent; widths of full lines vary by about one. */
const INDENT = 1.5;

/** 。！？ */
function isSentenceEnd(code: number): boolean {
  return code === 0x3002 || code === 0xff01 || code === 0xff1f;
}

/**
 * The prose of text[from, to) as Markdown: its wrapped lines joined into paragraphs, page footers dropped,
 * paragraphs apart by a blank line — what proseToMarkdown makes of the paragraphs one per line, without
 * splitting and trimming them again (they are trimmed lines joined, none empty).
 */
export function wrappedProseMarkdown(lines: TrimmedLines, page: PageMeasure, from: number, to: number): string {
  const { text } = lines;
  const { fullWidth } = page;
  const paragraphs: string[] = [];
  let current = '';
  // The paragraph so far opens and ends as its first and last lines do: read from the text, not from the joined
  // string (a chain of pieces to walk). Only a paragraph opening with a dash can be a page number.
  let currentOpen = 0;
  let currentEnd = 0;
  const close = () => {
    if (currentOpen !== 0x2d || !isPageNumber(current)) paragraphs.push(current);
    current = '';
  };
  const part: LinePart = { start: 0, end: 0, first: 0, last: 0 };
  for (let line = lineAt(lines, from); line < lines.count && (lines.starts[line] as number) <= to; line++) {
    cutLine(lines, line, from, to, part);
    const { first, last } = part;
    if (first >= last) continue;
    // Only a line opening with a dash can be a page footer (- 3 -).
    if (isFooterDash(text.charCodeAt(first)) && isPageFooter(text.slice(first, last))) continue;
    const width =
      line < page.count && first === lines.firsts[line] && last === lines.lasts[line]
        ? (page.widths[line] as number)
        : printedWidth(text, first, last);
    if (current !== '' && isSentenceEnd(currentEnd) && width <= fullWidth - INDENT) close();
    if (current === '') currentOpen = text.charCodeAt(first);
    current += text.slice(first, last);
    currentEnd = text.charCodeAt(last - 1);
    if (width < fullWidth * SHORT_LINE) close();
  }
  if (current !== '') close();
  return paragraphs.join('\n\n');
}
