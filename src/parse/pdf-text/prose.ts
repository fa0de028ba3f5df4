/**
 * Prose of PDF-extracted text: the extractor breaks every printed line, so
 * paragraphs are rebuilt from line widths — a paragraph ends on a line
 * clearly shorter than a full line of the page, and a new one starts, indented,
 * after a line that closes a sentence.
 *
 * Lines are walked by offsets (trimmed ends found in place) rather than split
 * and trimmed into strings: only the lines kept are ever sliced.
 */
import { skipSpaces, trimmedEnd } from '../../template/cell-text.js';
import { isPageNumber } from '../text-sections.js';
import { isFooterDash, isPageFooter } from './lines.js';

/** Printed width in CJK characters of text[first, last): ASCII letters, digits and spaces count half. */
function printedWidth(text: string, first: number, last: number): number {
  let width = 0;
  for (let i = first; i < last; i++) width += text.charCodeAt(i) < 0x2e80 ? 0.5 : 1;
  return width;
}

/**
 * Calls `visit` with each line of text[from, to) trimmed as trim() would (first and
 * last non-space offsets); blank lines are passed over.
 */
function eachTrimmedLine(text: string, from: number, to: number, visit: (first: number, last: number) => void): void {
  for (let start = from; start <= to; ) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 || newline > to ? to : newline;
    const first = skipSpaces(text, start, end);
    const last = trimmedEnd(text, first, end);
    if (first < last) visit(first, last);
    start = end + 1;
  }
}

/** Lines enough to measure the page: reports open with prose. */
const SAMPLE_LINES = 80;

/** The page's full line width, and the trimmed lines measured for it (offsets and widths, in text order). */
export interface PageMeasure {
  fullWidth: number;
  count: number;
  firsts: Int32Array;
  lasts: Int32Array;
  widths: Float64Array;
}

/**
 * A full line's width: a high percentile, so that headings and paragraph ends do not pull it down. The lines'
 * widths are kept: the prose is made of the same lines, whose widths need not be counted again.
 */
export function measurePage(text: string): PageMeasure {
  const firsts = new Int32Array(SAMPLE_LINES);
  const lasts = new Int32Array(SAMPLE_LINES);
  const widths = new Float64Array(SAMPLE_LINES);
  const full: number[] = [];
  let count = 0;
  // The first lines, each trimmed in place (a loop of its own: this runs over most of a short report).
  for (let start = 0; start <= text.length && count < SAMPLE_LINES; count++) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const first = skipSpaces(text, start, end);
    const last = trimmedEnd(text, first, end);
    const width = printedWidth(text, first, last);
    firsts[count] = first;
    lasts[count] = last;
    widths[count] = width;
    // Page footers and headings are narrower than 10 and fall out here.
    if (width >= 10) full.push(width);
    start = end + 1;
  }
  // Widths are multiples of a half: a typed array sorts them numerically without a comparator.
  const sorted = Float64Array.from(full).sort();
  return { fullWidth: sorted[Math.floor(sorted.length * 0.75)] ?? 0, count, firsts, lasts, widths };
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
export function wrappedProseMarkdown(text: string, page: PageMeasure, from: number, to: number): string {
  const { fullWidth } = page;
  const paragraphs: string[] = [];
  let current = '';
  const close = () => {
    if (!isPageNumber(current)) paragraphs.push(current);
    current = '';
  };
  // The measured lines are met in text order: one cursor finds each line's width among them.
  let measured = 0;
  eachTrimmedLine(text, from, to, (first, last) => {
    // Only a line opening with a dash can be a page footer (- 3 -).
    if (isFooterDash(text.charCodeAt(first)) && isPageFooter(text.slice(first, last))) return;
    const line = text.slice(first, last);
    while (measured < page.count && (page.firsts[measured] as number) < first) measured++;
    const width =
      measured < page.count && page.firsts[measured] === first && page.lasts[measured] === last
        ? (page.widths[measured] as number)
        : printedWidth(text, first, last);
    if (current !== '' && isSentenceEnd(current.charCodeAt(current.length - 1)) && width <= fullWidth - INDENT) close();
    current += line;
    if (width < fullWidth * SHORT_LINE) close();
  });
  if (current !== '') close();
  return paragraphs.join('\n\n');
}
