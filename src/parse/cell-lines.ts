/**
 * The seed's published text: one table cell per line, each followed by " |",
 * spanning cells with extra "|"s; prose lines carry no "|".
 */
import type { Source } from '../read/source.js';
import { isSpaceCode } from '../template/cell-text.js';
import type { Adapter, Reading } from './adapter.js';
import { headerLines } from './meta.js';
import { findSections, type SectionSpan } from './sections.js';
import { missingSectionMessages, sectionsFromSpans } from './text-sections.js';
import { readTables, type Token } from './token-tables.js';
import type { Message } from '../template/model.js';

const BAR = 0x7c;

/**
 * Where a cell line's text ends (before its trailing run of spaces and "|"s,
 * which must hold a "|"), or -1 for a prose line. A backwards scan rather than
 * a regular expression: `^(.*?)\s*\|` backtracks quadratically on long runs of spaces.
 */
function cellTextEnd(text: string, lineStart: number, lineEnd: number): number {
  let end = lineEnd;
  let bar = false;
  for (; end > lineStart; end--) {
    const code = text.charCodeAt(end - 1);
    if (code === BAR) bar = true;
    else if (!isSpaceCode(code)) break;
  }
  return bar ? end : -1;
}

/** The text of a cell line, or null for a prose line. */
function cellLineText(line: string): string | null {
  const end = cellTextEnd(line, 0, line.length);
  return end === -1 ? null : line.slice(0, end);
}

/** Lines of the text that are cell lines, counted up to `enough`. */
function countCellLines(text: string, enough: number): number {
  let cells = 0;
  for (let start = 0; start <= text.length && cells < enough; ) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    if (cellTextEnd(text, start, end) !== -1) cells++;
    start = end + 1;
  }
  return cells;
}

function cellTokens(source: Source, span: SectionSpan | undefined): Token[] | null {
  if (!span) return null;
  const tokens: Token[] = [];
  let offset = span.bodyStart;
  for (const line of source.text.slice(span.bodyStart, span.end).split('\n')) {
    const text = cellLineText(line);
    if (text !== null) tokens.push({ text, offset: offset + (line.length - line.trimStart().length) });
    offset += line.length + 1;
  }
  return tokens.length > 0 ? tokens : null;
}

export const cellLines: Adapter = {
  id: 'cell-lines',
  name: '逐格分行文本',
  detect(source) {
    if (!['txt', 'text', ''].includes(source.extension)) return 0;
    // The score reaches 1 at 50 cell lines; counting further changes nothing.
    const cells = countCellLines(source.text, 50);
    return cells >= 20 ? Math.min(1, cells / 100 + 0.5) : 0;
  },
  read(source, { layout }): Reading {
    const spans = findSections(source.text);
    const messages: Message[] = missingSectionMessages(source, spans);
    const span = (id: string) => spans.find((s) => s.id === id);
    const tables = layout
      ? readTables(
          source,
          layout,
          { active: cellTokens(source, span('active')), requests: cellTokens(source, span('requests')), review: cellTokens(source, span('review')) },
          messages,
        )
      : { active: null, requests: null, review: null };
    const proseOnly = (s: SectionSpan) =>
      source.text
        .slice(s.bodyStart, s.end)
        .split('\n')
        .filter((line) => cellLineText(line) === null)
        .join('\n');
    return {
      stated: headerLines(source.text),
      body: source.text,
      sections: sectionsFromSpans(source, spans, proseOnly),
      tables,
      messages,
    };
  },
};
