/**
 * The seed's published text: one table cell per line, each followed by " |",
 * spanning cells with extra "|"s; prose lines carry no "|".
 */
import type { Source } from '../read/source.js';
import { isSpaceCode, skipSpaces } from '../template/cell-text.js';
import { sections as sectionDefs, type SectionId } from '../template/layout.js';
import type { Message } from '../template/model.js';
import type { Adapter, Reading } from './adapter.js';
import { headerLines } from './meta.js';
import { findSections, type SectionSpan } from './sections.js';
import { keepProseLine, missingSectionMessages, sectionsWithMarkdown } from './text-sections.js';
import { isValueAt, readTables, type Token } from './token-tables.js';

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

/** Lines of the source that are cell lines, counted up to `enough`. */
function countCellLines(source: Source, enough: number): number {
  const text = source.text;
  let cells = 0;
  for (let line = 0, start = 0; start <= text.length && cells < enough; line++) {
    const end = source.lineEndAt(line);
    if (cellTextEnd(text, start, end) !== -1) cells++;
    start = end + 1;
  }
  return cells;
}

/**
 * A section's lines walked once, line by line through the source's line index (the last ends at the span's end): its cell
 * lines become tokens when `tokens` is given, its other lines its prose. Only kept lines make strings.
 */
function spanLines(source: Source, span: SectionSpan, tokens: Token[] | null): string {
  const text = source.text;
  const prose: string[] = [];
  for (let line = source.lineOf(span.bodyStart), start = span.bodyStart; start <= span.end; line++) {
    const end = Math.min(source.lineEndAt(line), span.end);
    const textEnd = cellTextEnd(text, start, end);
    if (textEnd === -1) keepProseLine(prose, text, start, end);
    else if (tokens) {
      // The value test reads the cell's text without its leading whitespace; its end has none (cellTextEnd).
      const value = isValueAt(text, skipSpaces(text, start, textEnd), textEnd);
      // Stored by index: a push onto an array passed in is not inlined (callgrind: 90 instructions a token).
      tokens[tokens.length] = { text: text.slice(start, textEnd), offset: skipSpaces(text, start, end), value };
    }
    start = end + 1;
  }
  return prose.join('\n\n');
}

/** The sections whose cell lines are table cells. */
const tableSections = new Set<SectionId>(sectionDefs.filter((def) => def.kind === 'table').map((def) => def.id));

export const cellLines: Adapter = {
  id: 'cell-lines',
  name: '逐格分行文本',
  detect(source) {
    // A cell line ends in "|": text without one (a native search) has none.
    if (!['txt', 'text', ''].includes(source.extension) || !source.text.includes('|')) return 0;
    // The score reaches 1 at 50 cell lines; counting further changes nothing.
    const cells = countCellLines(source, 50);
    return cells >= 20 ? Math.min(1, cells / 100 + 0.5) : 0;
  },
  read(source, { layout }): Reading {
    const spans = findSections(source.text);
    const messages: Message[] = missingSectionMessages(source, spans);
    // A section's prose is its lines that are not cell lines; the table sections' cell lines are gathered on the same walk.
    const tokens: Partial<Record<SectionId, Token[]>> = {};
    const sections = sectionsWithMarkdown(source, spans, (span) =>
      spanLines(source, span, layout && tableSections.has(span.id) ? (tokens[span.id] = []) : null),
    );
    const cells = (id: SectionId) => (tokens[id]?.length ? (tokens[id] as Token[]) : null);
    return {
      stated: headerLines(source.text),
      body: source.text,
      sections,
      tables: layout
        ? readTables(source, layout, { active: cells('active'), requests: cells('requests'), review: cells('review') }, messages)
        : { active: null, requests: null, review: null },
      messages,
    };
  },
};
