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
  /** Words before the trailing values. */
  label: Word[];
  /** The trailing run of cell values (numbers, "/", dashes, 无). */
  values: Word[];
}

const VALUE_WORD = /^(?:[+\-－]?[\d０-９]+(?:[.．][\d０-９]+)?|[/／]|[—–\-－─]+|无)$/;
const PAGE_FOOTER = /^\s*[-－—]\s*[\d０-９]+\s*[-－—]\s*$/;
/** Whether a code unit is a dash a page footer (- 3 -) opens and closes with (-, －, —): compared rather than looked up in a set, once per line. */
export function isFooterDash(code: number): boolean {
  return code === 0x2d || code === 0xff0d || code === 0x2014;
}

export function isPageFooter(line: string): boolean {
  return PAGE_FOOTER.test(line);
}

export function isValueWord(text: string): boolean {
  return VALUE_WORD.test(text);
}

/** Word bounds of the line being split, reused: a line is cut into words once, then into label and values. */
let wordStarts = new Int32Array(256);
let wordEnds = new Int32Array(256);

function doubled(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(array.length * 2);
  larger.set(array);
  return larger;
}

function splitLine(text: string, lineStart: number, lineEnd: number): PdfLine {
  let count = 0;
  for (let at = lineStart; at < lineEnd; ) {
    at = skipSpaces(text, at, lineEnd);
    if (at === lineEnd) break;
    if (count === wordStarts.length) {
      wordStarts = doubled(wordStarts);
      wordEnds = doubled(wordEnds);
    }
    wordStarts[count] = at;
    while (at < lineEnd && !isSpaceCode(text.charCodeAt(at))) at++;
    wordEnds[count++] = at;
  }
  // The values are the trailing run of value words; each word is sliced once, labels or values.
  const values: Word[] = [];
  let firstValue = count;
  while (firstValue > 0) {
    const word = text.slice(wordStarts[firstValue - 1] as number, wordEnds[firstValue - 1] as number);
    if (!isValueWord(word)) break;
    values.push({ text: word, offset: wordStarts[firstValue - 1] as number });
    firstValue--;
  }
  values.reverse();
  const label: Word[] = new Array<Word>(firstValue);
  for (let i = 0; i < firstValue; i++) label[i] = { text: text.slice(wordStarts[i] as number, wordEnds[i] as number), offset: wordStarts[i] as number };
  return { offset: lineStart, label, values };
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
      !(isFooterDash(text.charCodeAt(first)) && isPageFooter(text.slice(first, last))) &&
      (lines.length > 0 || endsInValue(text, first, last) || opens(text.slice(lineStart, lineEnd)));
    if (kept) lines.push(splitLine(text, lineStart, lineEnd));
    lineStart = lineEnd + 1;
  }
  return lines;
}
