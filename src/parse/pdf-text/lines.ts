/**
 * Lines of PDF-extracted text split into words with their offsets: the label
 * words first, then the run of value words at the line's end (pdfplumber and
 * pypdf put a table row's cells on its label's line, separated by spaces).
 *
 * Lines and words are found by offsets in the source text; a line is cut into
 * label and values only once it is known to belong to the table.
 */
import { isSpaceCode, isValueWordAt, trimmedEnd } from '../../template/cell-text.js';
import { cutLine, lineAt, type LinePart, type TrimmedLines } from './trimmed-lines.js';

export interface Word {
  text: string;
  offset: number;
}

export interface PdfLine {
  /** Offset of the line's first character. */
  offset: number;
  /** The words before the trailing values, text[labelStart, labelEnd) from the first word's start to the last one's end; empty when every word is a value. */
  labelStart: number;
  labelEnd: number;
  /** The trailing run of cell values (numbers, "/", dashes, 无). */
  values: Word[];
}

const PAGE_FOOTER = /^\s*[-－—]\s*[\d０-９]+\s*[-－—]\s*$/;
/** Whether a code unit is a dash a page footer (- 3 -) opens and closes with (-, －, —): compared rather than looked up in a set, once per line. */
export function isFooterDash(code: number): boolean {
  return code === 0x2d || code === 0xff0d || code === 0x2014;
}

export function isPageFooter(line: string): boolean {
  return PAGE_FOOTER.test(line);
}

/** Value word bounds of the line being split, found from its end backwards; reused. */
let valueStarts = new Int32Array(64);
let valueEnds = new Int32Array(64);

function doubled(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(array.length * 2);
  larger.set(array);
  return larger;
}

/**
 * The line text[lineStart, …) trimmed to text[first, last) (not empty), cut into its label and its values:
 * the values are read from the line's end back to the first word that is not a value, and the label
 * words before it are never split (labelReading reads them, once per distinct label).
 */
function splitLine(text: string, lineStart: number, first: number, last: number): PdfLine {
  let count = 0;
  let end = last;
  while (end > first) {
    // The word's start, noting on the way whether it is all ASCII digits: the common value, known without reading it again.
    let start = end;
    let digitsOnly = true;
    while (start > first) {
      const code = text.charCodeAt(start - 1);
      if (code < 0x30 || code > 0x39) {
        if (isSpaceCode(code)) break;
        digitsOnly = false;
      }
      start--;
    }
    if (!digitsOnly && !isValueWordAt(text, start, end)) break;
    if (count === valueStarts.length) {
      valueStarts = doubled(valueStarts);
      valueEnds = doubled(valueEnds);
    }
    valueStarts[count] = start;
    valueEnds[count++] = end;
    end = trimmedEnd(text, first, start);
  }
  const values: Word[] = new Array<Word>(count);
  for (let i = 0; i < count; i++) {
    const start = valueStarts[count - 1 - i] as number;
    values[i] = { text: text.slice(start, valueEnds[count - 1 - i] as number), offset: start };
  }
  return { offset: lineStart, labelStart: first, labelEnd: end, values };
}

/** Whether the last word of text[first, last) (a trimmed line, not empty) is a value. */
function endsInValue(text: string, first: number, last: number): boolean {
  let wordStart = last;
  while (wordStart > first && !isSpaceCode(text.charCodeAt(wordStart - 1))) wordStart--;
  return isValueWordAt(text, wordStart, last);
}

/**
 * The non-empty lines of text[start, end], page footers left out, from the
 * first one that ends in a value or whose text `opens` accepts; empty when none does.
 */
export function pdfLinesFrom(lines: TrimmedLines, start: number, end: number, opens: (line: string) => boolean): PdfLine[] {
  const text = lines.text;
  const found: PdfLine[] = [];
  const part: LinePart = { start: 0, end: 0, first: 0, last: 0 };
  for (let line = lineAt(lines, start); line < lines.count && (lines.starts[line] as number) <= end; line++) {
    cutLine(lines, line, start, end, part);
    const { first, last } = part;
    const kept =
      first < last &&
      !(isFooterDash(text.charCodeAt(first)) && isPageFooter(text.slice(first, last))) &&
      (found.length > 0 || endsInValue(text, first, last) || opens(text.slice(part.start, part.end)));
    if (kept) found.push(splitLine(text, part.start, first, last));
  }
  return found;
}
