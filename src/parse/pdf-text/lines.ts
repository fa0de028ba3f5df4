/**
 * Lines of PDF-extracted text split into words with their offsets: the label
 * words first, then the run of value words at the line's end (pdfplumber and
 * pypdf put a table row's cells on its label's line, separated by spaces).
 *
 * Lines and words are found by offsets in the source text; a line is cut into
 * words only once it is known to belong to the table.
 */
import type { Source } from '../../read/source.js';
import { isSpaceCode, skipSpaces, trimmedEnd } from '../../template/cell-text.js';

export interface Word {
  text: string;
  offset: number;
}

export interface PdfLine {
  /** Offset of the line's first character. */
  offset: number;
  text: string;
  /** Words before the trailing values. */
  label: Word[];
  /** The trailing run of cell values (numbers, "/", dashes, 无). */
  values: Word[];
}

const VALUE_WORD = /^(?:[+\-－]?[\d０-９]+(?:[.．][\d０-９]+)?|[/／]|[—–\-－─]+|无)$/;
const PAGE_FOOTER = /^\s*[-－—]\s*[\d０-９]+\s*[-－—]\s*$/;
/** What a page footer (- 3 -) opens with once its leading spaces are passed. */
const FOOTER_DASHES = new Set([0x2d, 0xff0d, 0x2014]);

export function isPageFooter(line: string): boolean {
  return PAGE_FOOTER.test(line);
}

export function isValueWord(text: string): boolean {
  return VALUE_WORD.test(text);
}

function splitLine(text: string, lineStart: number, lineEnd: number): PdfLine {
  const words: Word[] = [];
  for (let at = lineStart; at < lineEnd; ) {
    at = skipSpaces(text, at, lineEnd);
    if (at === lineEnd) break;
    const wordStart = at;
    while (at < lineEnd && !isSpaceCode(text.charCodeAt(at))) at++;
    words.push({ text: text.slice(wordStart, at), offset: wordStart });
  }
  let firstValue = words.length;
  while (firstValue > 0 && isValueWord(words[firstValue - 1]?.text ?? '')) firstValue--;
  return { offset: lineStart, text: text.slice(lineStart, lineEnd), label: words.slice(0, firstValue), values: words.slice(firstValue) };
}

/** Whether the last word of text[first, last) (a trimmed line) is a value. */
function endsInValue(text: string, first: number, last: number): boolean {
  let wordStart = last;
  while (wordStart > first && !isSpaceCode(text.charCodeAt(wordStart - 1))) wordStart--;
  return isValueWord(text.slice(wordStart, last));
}

/**
 * The non-empty lines between two offsets, page footers left out, from the
 * first one that ends in a value or whose text `opens` accepts; empty when none does.
 */
export function pdfLinesFrom(source: Source, start: number, end: number, opens: (line: string) => boolean): PdfLine[] {
  const text = source.text;
  const lines: PdfLine[] = [];
  for (let lineStart = start; lineStart <= end; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 || newline > end ? end : newline;
    const first = skipSpaces(text, lineStart, lineEnd);
    const last = trimmedEnd(text, first, lineEnd);
    const kept =
      first < last &&
      !(FOOTER_DASHES.has(text.charCodeAt(first)) && isPageFooter(text.slice(first, last))) &&
      (lines.length > 0 || endsInValue(text, first, last) || opens(text.slice(lineStart, lineEnd)));
    if (kept) lines.push(splitLine(text, lineStart, lineEnd));
    lineStart = lineEnd + 1;
  }
  return lines;
}
