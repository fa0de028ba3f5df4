/**
 * Prose of PDF-extracted text: the extractor breaks every printed line, so
 * paragraphs are rebuilt from line widths — a paragraph ends on a line
 * clearly shorter than a full line of the page, and a new one starts, indented,
 * after a line that closes a sentence.
 */
import { isPageFooter } from './lines.js';

/** Printed width in CJK characters: ASCII letters, digits and spaces count half. */
function printedWidth(line: string): number {
  const text = line.trim();
  let width = 0;
  for (let i = 0; i < text.length; i++) width += text.charCodeAt(i) < 0x2e80 ? 0.5 : 1;
  return width;
}

/** Lines enough to measure the page: reports open with prose. */
const SAMPLE_LINES = 80;

/** A full line's width: a high percentile, so that headings and paragraph ends do not pull it down. */
export function fullLineWidth(text: string): number {
  // Page footers and headings are narrower than 10 and fall out here.
  const widths = text
    .split('\n', SAMPLE_LINES)
    .map(printedWidth)
    .filter((w) => w >= 10)
    .sort((a, b) => a - b);
  return widths[Math.floor(widths.length * 0.75)] ?? 0;
}

const SHORT_LINE = 0.85;
/** Paragraphs open with a two-character indent; widths of full lines vary by about one. */
const INDENT = 1.5;
const SENTENCE_END = /[。！？]$/;

/** Joins wrapped lines into paragraphs, one per output line; page footers are dropped. */
export function joinWrappedLines(text: string, fullWidth: number): string {
  const paragraphs: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || isPageFooter(line)) continue;
    const width = printedWidth(line);
    if (current !== '' && SENTENCE_END.test(current) && width <= fullWidth - INDENT) {
      paragraphs.push(current);
      current = '';
    }
    current += line;
    if (width < fullWidth * SHORT_LINE) {
      paragraphs.push(current);
      current = '';
    }
  }
  if (current !== '') paragraphs.push(current);
  return paragraphs.join('\n');
}
