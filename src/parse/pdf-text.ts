/**
 * Text extracted from a PDF by pdfplumber or pypdf: one printed line per
 * line, table cells separated by spaces, labels wrapped over several lines,
 * spanning headings cut into fragments and page footers (- 3 -) wherever a
 * page ended, tables included.
 */
import type { Source } from '../read/source.js';
import {
  requestColumns,
  requestsBalanceNote,
  reviewColumns,
  reviewGroups,
  type RequestRowDef,
  type TableLayout,
} from '../template/layout.js';
import { isDigitCode, isSpaceCode } from '../template/cell-text.js';
import { normaliseLabel } from '../template/labels.js';
import type { ActiveTable, Cell, Message, RequestsTable, ReviewTable, Tables } from '../template/model.js';
import type { Adapter, Reading } from './adapter.js';
import { isFooterDash, isPageFooter, pdfLinesFrom, type PdfLine } from './pdf-text/lines.js';
import { measurePage, wrappedProseMarkdown } from './pdf-text/prose.js';
import { trimmedLines, type TrimmedLines } from './pdf-text/trimmed-lines.js';
import { readLabelledRows, readValueRun, rowSpec, type GroupSpec, type TableSpec } from './pdf-text/rows.js';
import { findSections, type SectionSpan } from './sections.js';
import { missingSectionMessages, sectionsWithMarkdown } from './text-sections.js';

// ---------------------------------------------------------------- table specs

type TableSectionId = 'active' | 'requests' | 'review';
const tableSectionIds: readonly TableSectionId[] = ['active', 'requests', 'review'];

interface LayoutSpecs {
  active: TableSpec;
  requests: TableSpec;
  /** Normalised words that open each table's header. */
  markers: Record<TableSectionId, string[]>;
}

const specCache = new WeakMap<TableLayout, LayoutSpecs>();

function requestsSpec(rows: readonly RequestRowDef[]): TableSpec {
  const groups = [...new Set(rows.flatMap((row) => (row.group ? [row.group] : [])))];
  const groupSpecs: GroupSpec[] = groups
    .map((label) => ({ label, form: normaliseLabel(label), members: rows.filter((r) => r.group === label).map((r) => r.key) }))
    // A group heading over a single row (三、本年度办理结果 over （一）) is never printed as that row.
    .filter((group) => group.members.length > 1);
  return {
    name: '表三',
    rows: rows.map((row) => rowSpec(row, requestColumns.map(() => 'count'))),
    spanning: groups.map(normaliseLabel),
    groups: groupSpecs,
  };
}

function specs(layout: TableLayout): LayoutSpecs {
  let cached = specCache.get(layout);
  if (!cached) {
    cached = {
      active: {
        name: '表二',
        rows: layout.activeRows.map((row) => rowSpec(row, row.columns.map((c) => c.kind))),
        spanning: [],
        groups: [],
      },
      requests: requestsSpec(layout.requestRows),
      markers: {
        active: ['第二十条', ...layout.activeRows.flatMap((r) => r.columns.map((c) => c.label))].map(normaliseLabel),
        requests: ['申请人情况', requestsBalanceNote.slice(1, 5), requestColumns[0].label].map(normaliseLabel),
        review: [...reviewGroups.map((g) => g.label), ...reviewColumns.slice(0, 4).map((c) => c.label)].map(normaliseLabel),
      },
    };
    specCache.set(layout, cached);
  }
  return cached;
}

/** A table section's lines from the table's first line: a header word or a line ending in values. */
interface TableLines {
  lines: PdfLine[];
  /** Offset of the table's first line. */
  start: number;
}

function tableLines(textLines: TrimmedLines, span: SectionSpan, markers: readonly string[]): TableLines | null {
  const lines = pdfLinesFrom(textLines, span.bodyStart, span.end, (line) => {
    const words = normaliseLabel(line);
    return markers.some((marker) => words.includes(marker));
  });
  const first = lines[0];
  return first ? { lines, start: first.offset } : null;
}

/** A row's cells under their columns' keys, in column order: assigned rather than built by fromEntries from an array of pairs (2-3% of the read). */
function cellsByKey(columns: readonly { key: string }[], cellAt: (column: number) => Cell): Record<string, Cell> {
  const row: Record<string, Cell> = {};
  columns.forEach((c, i) => {
    row[c.key] = cellAt(i);
  });
  return row;
}

function readTables(source: Source, layout: TableLayout, found: Partial<Record<TableSectionId, TableLines>>, messages: Message[]): Tables {
  const { active: activeSpec, requests: requestsSpecOfLayout } = specs(layout);

  let active: ActiveTable | null = null;
  if (found.active) {
    const read = readLabelledRows(source, activeSpec, found.active.lines, found.active.start);
    messages.push(...read.messages);
    active = {};
    for (const row of layout.activeRows) {
      const cells = read.cells[row.key];
      active[row.key] = cellsByKey(row.columns, (i) => cells?.[i] as Cell);
    }
  }

  let requests: RequestsTable | null = null;
  if (found.requests) {
    const read = readLabelledRows(source, requestsSpecOfLayout, found.requests.lines, found.requests.start);
    messages.push(...read.messages);
    requests = read.cells;
  }

  let review: ReviewTable | null = null;
  if (found.review) {
    const width = reviewColumns.length;
    const read = readValueRun(source, found.review.lines, reviewGroups.length * width, found.review.start, '表四');
    messages.push(...read.messages);
    review = {};
    reviewGroups.forEach((g, gi) => {
      (review as ReviewTable)[g.key] = cellsByKey(reviewColumns, (ci) => read.cells[gi * width + ci] as Cell);
    });
  }
  return { active, requests, review };
}

// ---------------------------------------------------------------- prose and meta

const PAGE_FOOTER_LINE = /^[ \t]*[-－—][ \t]*[\d０-９]+[ \t]*[-－—][ \t]*(?:\n|$)/gm;
/** A whole line (without its \n) that PAGE_FOOTER_LINE takes, with its \n, in text whose only line terminator is \n. */
const PAGE_FOOTER_WHOLE_LINE = /^[ \t]*[-－—][ \t]*[\d０-９]+[ \t]*[-－—][ \t]*$/;

/** The text without its page footer lines: what replacing PAGE_FOOTER_LINE by nothing gives. */
function withoutFooters(lines: TrimmedLines): string {
  const { text, starts, ends, firsts, lasts } = lines;
  // ^ and $ also stand at \r, \u2028 and \u2029, where a footer may be part of a line: the pattern itself decides there.
  if (text.includes('\r') || text.includes('\u2028') || text.includes('\u2029')) return text.replace(PAGE_FOOTER_LINE, '');
  // Elsewhere a footer is a whole line, and only a line opening with a dash can be one.
  let body = '';
  let kept = 0;
  for (let line = 0; line < lines.count; line++) {
    const first = firsts[line] as number;
    if (first === lasts[line] || !isFooterDash(text.charCodeAt(first))) continue;
    const start = starts[line] as number;
    const end = ends[line] as number;
    if (!PAGE_FOOTER_WHOLE_LINE.test(text.slice(start, end))) continue;
    body += text.slice(kept, start);
    kept = end < text.length ? end + 1 : end;
  }
  return kept === 0 ? text : body + text.slice(kept);
}

// ---------------------------------------------------------------- detection

/** Whether text[lineStart, lineEnd) ends in at least three whitespace-separated numbers (a table row). */
function endsInValues(text: string, lineStart: number, lineEnd: number): boolean {
  // The last three words, read backwards: splitting the whole line costs more than the check.
  let end = lineEnd;
  for (let word = 0; word < 3; word++) {
    while (end > lineStart && isSpaceCode(text.charCodeAt(end - 1))) end--;
    let start = end;
    while (start > lineStart && !isSpaceCode(text.charCodeAt(start - 1))) start--;
    if (start === end || !isValueNumber(text, start, end)) return false;
    end = start;
  }
  return true;
}

/**
 * Whether text[start, end) is a number as a table prints it, /^[\d０-９]+(?:[.．]\d+)?$/
 * (half- or full-width digits; ASCII digits after a point), tested in place without slicing.
 */
function isValueNumber(text: string, start: number, end: number): boolean {
  let at = start;
  while (at < end && isDigitCode(text.charCodeAt(at))) at++;
  if (at === start) return false;
  if (at === end) return true;
  const point = text.charCodeAt(at);
  if (point !== 0x2e && point !== 0xff0e) return false;
  const fraction = ++at;
  while (at < end && text.charCodeAt(at) >= 0x30 && text.charCodeAt(at) <= 0x39) at++;
  return at > fraction && at === end;
}

/** Table rows and page footers enough for the form: detection asks no more than whether each count reaches its figure. */
const ENOUGH_VALUE_ROWS = 5;
const ENOUGH_FOOTERS = 2;

/**
 * What detection counts over the text's lines, found by offsets and sliced only where a line may count;
 * value rows and footers counted only up to enough (no line is read for them after that).
 */
function lineCounts(source: Source) {
  const text = source.text;
  const lineCount = source.lineCount;
  const counts = { barEnded: 0, nonEmpty: 0, short: 0, valueRows: 0, footers: 0 };
  // The source's line starts bound the lines: no search for line breaks.
  for (let line = 1; line <= lineCount; line++) {
    const start = source.lineStart(line);
    const end = line < lineCount ? source.lineStart(line + 1) - 1 : text.length;
    let last = end - 1;
    while (last >= start && isSpaceCode(text.charCodeAt(last))) last--;
    if (last >= start) {
      counts.nonEmpty++;
      if (end - start <= 100) counts.short++;
      const code = text.charCodeAt(last);
      if (code === 0x7c) counts.barEnded++;
      // Only a line ending in a digit can end in values, only one ending in a dash is a footer.
      else if (isDigitCode(code)) {
        if (counts.valueRows < ENOUGH_VALUE_ROWS && endsInValues(text, start, end)) counts.valueRows++;
      } else if (isFooterDash(code) && counts.footers < ENOUGH_FOOTERS && isPageFooter(text.slice(start, end))) counts.footers++;
    }
  }
  return counts;
}

function detect(source: Source): number {
  if (!['txt', 'text', ''].includes(source.extension)) return 0;
  const text = source.text;
  // Markup and headings are looked for only in text that has their opening character (a native search).
  if ((text.includes('<') && /<(?:html|body|table|div|p)\b/i.test(text)) || (text.includes('#') && /^#{1,6}\s/m.test(text))) return 0;
  // Printed lines are short; a stray long line (junk appended, a pasted blob) does not make the file another form.
  // Told by the source's line starts, before any line is read.
  if (source.lineCount < 40 || source.linesLongerThan(400) > source.lineCount / 50) return 0;
  const counts = lineCounts(source);
  // The seed's one-cell-per-line form ends its table lines with " |".
  if (counts.barEnded >= 5) return 0;
  if (counts.short / Math.max(1, counts.nonEmpty) < 0.95) return 0;
  const { valueRows, footers } = counts;
  if (valueRows < ENOUGH_VALUE_ROWS && footers < ENOUGH_FOOTERS) return 0;
  return Math.min(0.9, 0.4 + (valueRows >= ENOUGH_VALUE_ROWS ? 0.25 : 0) + (footers >= ENOUGH_FOOTERS ? 0.25 : 0));
}

export const pdfText: Adapter = {
  id: 'pdf-text',
  name: 'PDF 提取文本',
  detect,
  read(source, { layout }): Reading {
    const spans = findSections(source.text);
    const lines = trimmedLines(source);
    const messages: Message[] = missingSectionMessages(source, spans);
    const found: Partial<Record<TableSectionId, TableLines>> = {};
    if (layout) {
      const { markers } = specs(layout);
      for (const id of tableSectionIds) {
        const span = spans.find((s) => s.id === id);
        const table = span && tableLines(lines, span, markers[id]);
        if (table) found[id] = table;
      }
    }
    const tables = layout ? readTables(source, layout, found, messages) : { active: null, requests: null, review: null };
    const page = measurePage(lines);
    // Table sections keep as prose only what comes before their table.
    const markdown = (span: SectionSpan): string => {
      const table = tableSectionIds.includes(span.id as TableSectionId) ? found[span.id as TableSectionId] : undefined;
      return wrappedProseMarkdown(lines, page, span.bodyStart, table ? table.start : span.end);
    };
    const body = withoutFooters(lines);
    return {
      stated: {},
      body,
      sections: sectionsWithMarkdown(source, spans, markdown),
      tables,
      messages,
    };
  },
};
