/**
 * Lines of PDF-extracted text split into words with their offsets: the label
 * words first, then the run of value words at the line's end (pdfplumber and
 * pypdf put a table row's cells on its label's line, separated by spaces).
 */
import type { Source } from '../../read/source.js';

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

export function isPageFooter(line: string): boolean {
  return PAGE_FOOTER.test(line);
}

export function isValueWord(text: string): boolean {
  return VALUE_WORD.test(text);
}

const WORD = /\S+/g;

function splitLine(text: string, offset: number): PdfLine {
  const words: Word[] = [];
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match; match = WORD.exec(text)) words.push({ text: match[0], offset: offset + match.index });
  let firstValue = words.length;
  while (firstValue > 0 && isValueWord(words[firstValue - 1]?.text ?? '')) firstValue--;
  return { offset, text, label: words.slice(0, firstValue), values: words.slice(firstValue) };
}

/** The non-empty lines between two offsets, page footers left out. */
export function pdfLines(source: Source, start: number, end: number): PdfLine[] {
  const lines: PdfLine[] = [];
  let offset = start;
  for (const text of source.text.slice(start, end).split('\n')) {
    if (text.trim() !== '' && !isPageFooter(text)) lines.push(splitLine(text, offset));
    offset += text.length + 1;
  }
  return lines;
}
