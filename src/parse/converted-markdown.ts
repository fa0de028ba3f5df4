/**
 * Markdown that converters and OCR made from PDFs (corpus 011, 012): no
 * front matter, tables shredded into pieces, rows that lost their labels,
 * placeholder and wrongly injected header rows, loose lines, page markers and
 * section numbering that restarts. Rows are found by their labels; a row
 * whose label was lost is placed only where the rows around it leave exactly
 * one reading, otherwise its cells are unread.
 */
import { readCell, toHalfWidthDigits } from '../template/cell-text.js';
import {
  requestColumns,
  reviewColumns,
  reviewGroups,
  sections as sectionDefs,
  type ActiveRowDef,
  type CellKind,
  type RequestRowDef,
  type TableLayout,
} from '../template/layout.js';
import { matchLabel, matchRowLabel, normaliseLabel } from '../template/labels.js';
import {
  absentCell,
  type ActiveTable,
  type Cell,
  type Message,
  type RequestsTable,
  type ReviewTable,
  type Section,
  type Severity,
  type Tables,
} from '../template/model.js';
import type { Source } from '../read/source.js';
import type { Adapter, Reading } from './adapter.js';
import { matchColumn, matchReviewGroup, sectionByMeaning } from './markdown-tables.js';
import { normaliseDate, type PartialMeta } from './meta.js';
import type { SectionSpan } from './sections.js';
import { missingSectionMessages } from './text-sections.js';
import { isValueText } from './token-tables.js';

interface Line {
  text: string;
  start: number;
  index: number;
}

interface RowCell {
  text: string;
  offset: number;
}

interface Row {
  line: Line;
  cells: RowCell[];
  /** Leading cells that are not values, joined: the row's label ('' when lost). */
  label: string;
  labelCells: number;
  /** The cells after the label. */
  values: RowCell[];
  /** The header row of the piece of table the row sits in. */
  header: Row | null;
}

type Say = (ruleId: string, message: string, offset: number, severity?: Severity) => void;

const DELIMITER_CELL = /^:?-{3,}:?$/;

function splitLines(text: string): Line[] {
  let start = 0;
  return text.split('\n').map((line, index) => {
    const entry = { text: line, start, index };
    start += line.length + 1;
    return entry;
  });
}

function isPipeLine(line: Line): boolean {
  return line.text.trimStart().startsWith('|');
}

function splitCells(line: Line): RowCell[] {
  const text = line.text.trimEnd();
  let from = text.indexOf('|') + 1;
  const cells: RowCell[] = [];
  const last = text.endsWith('|') ? text.length - 1 : text.length;
  while (from <= last) {
    let to = text.indexOf('|', from);
    if (to === -1 || to > last) to = last;
    const raw = text.slice(from, to);
    cells.push({ text: raw.trim(), offset: line.start + from + (raw.length - raw.trimStart().length) });
    from = to + 1;
    if (to === last) break;
  }
  return cells;
}

const hasFigure = (cell: RowCell) => cell.text !== '' && isValueText(cell.text);
const isValue = (cell: RowCell) => isValueText(cell.text);

/** The pipe rows of the document, without delimiter rows, each with the header of its piece of table. */
function tableRows(lines: Line[]): Row[] {
  const rows: Row[] = [];
  let header: Row | null = null;
  let previousWasPipe = false;
  // Each line's cells are split once, though a row also looks at the line after it.
  const cellsOf = new Map<number, RowCell[]>();
  const cellsAt = (line: Line): RowCell[] => {
    let cells = cellsOf.get(line.index);
    if (!cells) {
      cells = splitCells(line);
      cellsOf.set(line.index, cells);
    }
    return cells;
  };
  lines.forEach((line, i) => {
    if (!isPipeLine(line)) {
      previousWasPipe = false;
      return;
    }
    const cells = cellsAt(line);
    if (cells.length > 0 && cells.every((c) => DELIMITER_CELL.test(c.text))) {
      previousWasPipe = true;
      return;
    }
    const labelCells = cells.findIndex(isValue);
    const split = labelCells === -1 ? cells.length : labelCells;
    const row: Row = {
      line,
      cells,
      label: cells.slice(0, split).map((c) => c.text).join(''),
      labelCells: split,
      values: cells.slice(split),
      header: null,
    };
    const next = lines[i + 1];
    const startsPiece = !previousWasPipe;
    const nextIsDelimiter = next !== undefined && isPipeLine(next) && cellsAt(next).every((c) => DELIMITER_CELL.test(c.text));
    if (startsPiece) header = null;
    if (startsPiece && nextIsDelimiter && !cells.some(hasFigure)) {
      header = row;
    } else {
      row.header = header;
      rows.push(row);
    }
    previousWasPipe = true;
  });
  return rows;
}

// ---------------------------------------------------------------- labels

const LEADING_NUMBERING = /^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)/;
const PUNCTUATION = /[，、。：；（）.·\s]/g;

/** Group titles as they may stand in front of a row label: 本年度办理结果, 不予公开 … */
function groupWords(layout: TableLayout): string[] {
  const groups = new Set(layout.requestRows.map((row) => row.group).filter((g): g is string => g !== undefined));
  return [...groups].map((g) => normaliseLabel(g).replace(LEADING_NUMBERING, ''));
}

/** A label with its numbering, group title and punctuation taken away. */
function labelCore(text: string, groups: string[]): string {
  let rest = normaliseLabel(text);
  for (;;) {
    const numbering = LEADING_NUMBERING.exec(rest);
    const group = groups.find((g) => rest.startsWith(g) && rest.length > g.length);
    if (numbering && numbering[0].length < rest.length) rest = rest.slice(numbering[0].length);
    else if (group) rest = rest.slice(group.length);
    else break;
  }
  return rest.replace(PUNCTUATION, '');
}

function requestRowMatcher(layout: TableLayout): (label: string) => number {
  const groups = groupWords(layout);
  const cores = layout.requestRows.map((row) => [row.label, ...(row.variants ?? [])].map((l) => labelCore(l, groups)));
  return (label) => {
    if (label === '') return -1;
    const exact = matchRowLabel(layout.requestRows, label);
    if (exact) return layout.requestRows.indexOf(exact);
    const wanted = labelCore(label, groups);
    return cores.findIndex((forms) => forms.includes(wanted));
  };
}

function activeRowMatcher(layout: TableLayout): (label: string) => ActiveRowDef | undefined {
  return (label) => {
    if (label === '') return undefined;
    const plain = normaliseLabel(label).replace(LEADING_NUMBERING, '');
    return matchLabel(layout.activeRows, plain);
  };
}

// ---------------------------------------------------------------- cells

/** Which of the template's columns each header cell names: matched once per header, not once per row under it. */
const headerMatches = new WeakMap<Row, Map<readonly unknown[], { index: number; columnIndex: number }[]>>();

function headerColumns<C extends { key: string; label: string }>(header: Row, columns: readonly C[]): { index: number; columnIndex: number }[] {
  let byColumns = headerMatches.get(header);
  if (!byColumns) {
    byColumns = new Map();
    headerMatches.set(header, byColumns);
  }
  let matches = byColumns.get(columns);
  if (!matches) {
    matches = [];
    header.cells.forEach((cell, index) => {
      const column = matchColumn(columns, cell.text);
      if (column) matches?.push({ index, columnIndex: columns.indexOf(column) });
    });
    byColumns.set(columns, matches);
  }
  return matches;
}

/**
 * A row's value cells under the template's columns. The header of a piece
 * is followed only where it names the template's columns in another order;
 * converters' placeholder headers (数据1…数据6) and injected wrong headers
 * name none or name them in place, and the printed order holds.
 */
function rowCells<C extends { key: string; label: string }>(
  source: Source,
  row: Row,
  columns: readonly C[],
  kinds: readonly CellKind[],
  say: Say,
  name: string,
): Cell[] {
  const values = [...row.values];
  while (values.length > columns.length && values.at(-1)?.text === '') values.pop();
  const byHeader = new Map<number, number>();
  let reordered = false;
  for (const { index, columnIndex } of row.header ? headerColumns(row.header, columns) : []) {
    const valueIndex = index - row.labelCells;
    byHeader.set(columnIndex, valueIndex);
    if (valueIndex !== columnIndex) reordered = true;
  }
  const irregular = values.some((v) => !isValue(v));
  if (!irregular && !reordered && values.length === columns.length) {
    return values.map((v, i) => readCell(v.text, kinds[i] ?? 'count', source.position(v.offset)));
  }
  if (!irregular && reordered && values.length === (row.header?.cells.length ?? 0) - row.labelCells) {
    return columns.map((column, i) => {
      const at = byHeader.get(i);
      const value = at === undefined ? undefined : values[at];
      if (value === undefined) {
        say('column-missing', `${name}缺少“${column.label}”一列，该单元格记为未读`, row.line.start);
        return absentCell('unread', '缺少该列', source.position(row.line.start));
      }
      return readCell(value.text, kinds[i] ?? 'count', source.position(value.offset));
    });
  }
  say(
    'cell-unread',
    `${name}一行有 ${values.length} 个单元格，应有 ${columns.length} 个；无法确定对应关系，记为未读`,
    row.line.start,
  );
  return columns.map(() => absentCell('unread', row.values.map((v) => v.text).join(' | '), source.position(row.line.start)));
}

// ---------------------------------------------------------------- table 三

function readRequests(
  source: Source,
  rows: Row[],
  layout: TableLayout,
  say: Say,
): { table: RequestsTable; first: number; last: number } | null {
  const match = requestRowMatcher(layout);
  const defs = layout.requestRows;
  const kinds = requestColumns.map((): CellKind => 'count');
  const labelled = rows.map((row) => match(row.label));
  const first = labelled.findIndex((i) => i !== -1);
  if (first === -1) return null;
  const last = labelled.length - 1 - [...labelled].reverse().findIndex((i) => i !== -1);
  const table: RequestsTable = {};
  const read = (def: RequestRowDef, row: Row) => {
    table[def.key] = rowCells(source, row, requestColumns, kinds, say, `表三“${def.label}”`);
  };
  const unreadRow = (def: RequestRowDef, offset: number) => {
    table[def.key] = requestColumns.map(() => absentCell('unread', '未找到该行', source.position(offset)));
  };
  let previous = -1;
  let bare: Row[] = [];
  const settleGap = (upTo: number, offset: number) => {
    const slots = defs.slice(previous + 1, upTo).filter((def) => !table[def.key]);
    const certain = bare.length === slots.length && bare.every((row) => row.values.length >= requestColumns.length);
    if (certain) {
      slots.forEach((def, i) => {
        const row = bare[i] as Row;
        read(def, row);
        say('row-inferred', `表三“${def.label}”一行的行名在转换中丢失，按其在前后两行之间的次序确定`, row.line.start, 'info');
      });
    } else {
      for (const def of slots) {
        unreadRow(def, offset);
        say('row-missing', `表三未找到“${def.label}”一行，其单元格记为未读`, offset);
      }
      if (bare.length > 0) {
        say(
          'row-uncertain',
          `表三有 ${bare.length} 行数字失去了行名，而其所在位置应有 ${slots.length} 行；无法确定对应关系，这些数字未采用`,
          (bare[0] as Row).line.start,
        );
      }
    }
    bare = [];
  };
  for (let i = first; i <= last; i++) {
    const row = rows[i] as Row;
    const index = labelled[i] as number;
    if (index === -1) {
      if (row.label === '' && row.values.some(hasFigure)) bare.push(row);
      continue;
    }
    const def = defs[index] as RequestRowDef;
    if (index <= previous || table[def.key]) {
      say('row-duplicate', `表三中“${def.label}”一行重复出现或次序颠倒，只读第一次出现的那一行`, row.line.start);
      continue;
    }
    settleGap(index, row.line.start);
    read(def, row);
    previous = index;
  }
  settleGap(defs.length, (rows[last] as Row).line.start);
  return { table: Object.fromEntries(defs.map((def) => [def.key, table[def.key] as Cell[]])), first, last };
}

// ---------------------------------------------------------------- table 二

/** `行政许可 97` as a loose line: a row label followed by exactly its values. */
const LOOSE_VALUE_END = /[\d０-９.．/／—\-－无]\s*$/;
/**
 * A loose row: its label, then values and spaces only. Written so that no two
 * quantifiers can share a character (`\s*#*\s*` and `(?:[0-9]+\s*)+` could):
 * such patterns backtrack polynomially or exponentially on long runs of spaces
 * or digits that end in a mismatch.
 */
const LOOSE_ROW = /^\s*(?:#+\s*)?([^\d\s|０-９]+?)\s+([\d０-９.．/／—\-－无][\d０-９.．/／—\-－无\s]*)$/;

function looseActiveRow(line: Line, match: (label: string) => ActiveRowDef | undefined): { def: ActiveRowDef; values: RowCell[] } | null {
  // Most lines are prose that does not end in a value: the full pattern is tried only on the others.
  if (!LOOSE_VALUE_END.test(line.text)) return null;
  const found = LOOSE_ROW.exec(line.text);
  if (!found) return null;
  const def = match(found[1] ?? '');
  if (!def) return null;
  const tokens: RowCell[] = [];
  const valuesAt = line.start + line.text.indexOf(found[2] ?? '', (found[1] ?? '').length);
  for (const token of (found[2] ?? '').matchAll(/\S+/g)) tokens.push({ text: token[0], offset: valuesAt + (token.index ?? 0) });
  if (tokens.length !== def.columns.length || !tokens.every(isValue)) return null;
  return { def, values: tokens };
}

function readActive(source: Source, rows: Row[], lines: Line[], layout: TableLayout, say: Say): ActiveTable | null {
  const match = activeRowMatcher(layout);
  const found = new Map<string, Record<string, Cell>>();
  for (const row of rows) {
    const def = match(row.label);
    if (!def || found.has(def.key)) continue;
    const cells = rowCells(source, row, def.columns, def.columns.map((c) => c.kind), say, `表二“${def.label}”`);
    found.set(def.key, Object.fromEntries(def.columns.map((c, i) => [c.key, cells[i] as Cell])));
  }
  for (const line of lines) {
    if (isPipeLine(line)) continue;
    const loose = looseActiveRow(line, match);
    if (!loose || found.has(loose.def.key)) continue;
    found.set(
      loose.def.key,
      Object.fromEntries(loose.def.columns.map((c, i) => {
        const value = loose.values[i] as RowCell;
        return [c.key, readCell(value.text, c.kind, source.position(value.offset))];
      })),
    );
  }
  if (found.size === 0) return null;
  const anchor = rows[0]?.line.start ?? 0;
  return Object.fromEntries(
    layout.activeRows.map((def) => {
      const cells = found.get(def.key);
      if (cells) return [def.key, cells];
      say('row-missing', `表二未找到“${def.label}”一行，其单元格记为未读`, anchor);
      return [def.key, Object.fromEntries(def.columns.map((c) => [c.key, absentCell('unread', '未找到该行', source.position(anchor))]))];
    }),
  );
}

// ---------------------------------------------------------------- table 四

/** The table-四 group a heading or loose line just before a piece of table names. */
function groupNamedBefore(lines: Line[], row: Row): (typeof reviewGroups)[number] | undefined {
  for (let i = row.line.index - 1; i >= 0; i--) {
    const line = lines[i] as Line;
    if (isPipeLine(line) || line.text.trim() === '') continue;
    return matchReviewGroup(line.text.replace(/^\s*#+\s*/, '').trim());
  }
  return undefined;
}

function readReview(source: Source, rows: Row[], lines: Line[], say: Say): ReviewTable | null {
  const kinds = reviewColumns.map((): CellKind => 'count');
  const width = reviewGroups.length * reviewColumns.length;
  const found = new Map<string, Record<string, Cell>>();
  for (const row of rows) {
    if (!row.values.some(hasFigure)) continue;
    const group = matchReviewGroup(row.label) ?? (row.label === '' ? groupNamedBefore(lines, row) : undefined);
    if (group) {
      if (found.has(group.key)) continue;
      const cells = rowCells(source, row, reviewColumns, kinds, say, `表四“${group.label}”`);
      found.set(group.key, Object.fromEntries(reviewColumns.map((c, i) => [c.key, cells[i] as Cell])));
      continue;
    }
    const values = [...row.values];
    while (values.length > width && values.at(-1)?.text === '') values.pop();
    if (row.label === '' && values.length === width && values.every(isValue) && found.size === 0) {
      // The printed table 四 is one row of fifteen cells in group and column order.
      reviewGroups.forEach((g, gi) =>
        found.set(
          g.key,
          Object.fromEntries(
            reviewColumns.map((c, ci) => {
              const value = values[gi * reviewColumns.length + ci] as RowCell;
              return [c.key, readCell(value.text, 'count', source.position(value.offset))];
            }),
          ),
        ),
      );
    }
  }
  if (found.size === 0) return null;
  const anchor = rows[0]?.line.start ?? 0;
  return Object.fromEntries(
    reviewGroups.map((g) => {
      const cells = found.get(g.key);
      if (cells) return [g.key, cells];
      say('row-missing', `表四未找到“${g.label}”一行，其单元格记为未读`, anchor);
      return [g.key, Object.fromEntries(reviewColumns.map((c) => [c.key, absentCell('unread', '未找到该行', source.position(anchor))]))];
    }),
  );
}

// ---------------------------------------------------------------- sections and meta

const NUMBERED_HEADING = /^[一二三四五六七八九十]+[、.．]/;

/** A line that can be a section heading: short, numbered 一、… , Markdown heading marks optional. */
// `(?:#+\s*)?`, not `#*\s*`: two quantifiers that could both take the spaces would backtrack quadratically on a long indented line.
const OPENS_WITH_NUMERAL = /^\s*(?:#+\s*)?[一二三四五六七八九十]/;

function headingText(line: Line): string | null {
  // Most lines do not open with a numeral (behind heading marks): they are passed over before any copy is made.
  if (!OPENS_WITH_NUMERAL.test(line.text)) return null;
  const text = line.text.replace(/^\s*#+\s*/, '').trim();
  if (isPipeLine(line) || text.length > 40 || !NUMBERED_HEADING.test(text)) return null;
  return text;
}

/**
 * The six sections in order. A heading that carries a section's full title
 * wins over one that only shares a keyword, so that 012's narrative 三、主动公开
 * 工作情况 gives way to its later 一、主动公开政府信息情况.
 */
function findSpans(lines: Line[], textLength: number): SectionSpan[] {
  const candidates = lines.flatMap((line) => {
    const text = headingText(line);
    return text ? [{ line, text, words: normaliseLabel(text) }] : [];
  });
  const spans: SectionSpan[] = [];
  let cursor = 0;
  let after = -1;
  sectionDefs.forEach((def, index) => {
    const rest = candidates.filter((c) => c.line.start >= cursor);
    const full = normaliseLabel(def.title).replace(NUMBERED_HEADING, '');
    const chosen =
      rest.find((c) => c.words.replace(NUMBERED_HEADING, '') === full) ??
      rest.find((c) => sectionByMeaning(c.text, after) === index);
    if (!chosen) return;
    const bodyStart = chosen.line.start + chosen.line.text.length;
    spans.push({ id: def.id, title: chosen.text, headingStart: chosen.line.start, bodyStart, end: textLength });
    cursor = bodyStart;
    after = index;
  });
  spans.forEach((span, i) => {
    const next = spans[i + 1];
    if (next) span.end = next.headingStart;
  });
  return spans;
}

function sectionsOf(source: Source, spans: SectionSpan[]): Section[] {
  return spans.map((span) => ({
    id: span.id,
    title: span.title,
    text: source.text
      .slice(span.bodyStart, span.end)
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('|'))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim(),
    position: source.position(span.headingStart),
  }));
}

const AGENCY_FIRST = /^(.+?)(\d{4})年度?(?:政府信息公开|政务公开|信息公开)\S*?报告$/;
const YEAR_FIRST = /^(\d{4})年度?(.+?)(?:政府信息公开|政务公开|信息公开)\S*?报告$/;

/** Title, agency, year and date from the first lines, where converters leave the title (often over two lines). */
function statedMeta(lines: Line[]): PartialMeta {
  const top: string[] = [];
  for (const line of lines) {
    if (top.length === 8) break;
    const text = toHalfWidthDigits(line.text.replace(/^\s*#+\s*/, '')).replace(/\s+/g, '');
    if (text !== '' && text !== '正文') top.push(text);
  }
  const meta: PartialMeta = {};
  for (let i = 0; i < top.length && meta.title === undefined; i++) {
    for (const candidate of [top[i] ?? '', (top[i] ?? '') + (top[i + 1] ?? '')]) {
      const agencyFirst = AGENCY_FIRST.exec(candidate);
      const yearFirst = YEAR_FIRST.exec(candidate);
      if (agencyFirst && candidate.length < 80) {
        Object.assign(meta, { title: candidate, agency: agencyFirst[1], year: Number(agencyFirst[2]) });
        break;
      }
      if (yearFirst && candidate.length < 80) {
        Object.assign(meta, { title: candidate, agency: yearFirst[2], year: Number(yearFirst[1]) });
        break;
      }
    }
  }
  const date = top.find((l) => /^[（(]?\d{4}年\d{1,2}月\d{1,2}日[)）]?$/.test(l));
  if (date) meta.published = normaliseDate(date);
  return meta;
}

// ---------------------------------------------------------------- adapter

const CONVERTER_MARKS = /^\s*\|(?:\s*:?-{3,}:?\s*\|)+\s*$/gm;

export const convertedMarkdown: Adapter = {
  id: 'converted-markdown',
  name: 'PDF 转换或 OCR 得到的 Markdown',
  detect(source) {
    const frontMatter = /^---[ \t]*\n/.test(source.text);
    if (['md', 'markdown'].includes(source.extension)) return frontMatter ? 0.2 : 0.8;
    if (['txt', 'text', ''].includes(source.extension)) {
      // A delimiter row holds "|---"; text without one needs no line-by-line search.
      if (!source.text.includes('---')) return 0;
      const delimiters = source.text.match(CONVERTER_MARKS)?.length ?? 0;
      return delimiters >= 2 ? 0.9 : 0;
    }
    return 0;
  },
  read(source, { layout }): Reading {
    const lines = splitLines(source.text);
    const spans = findSpans(lines, source.text.length);
    const messages: Message[] = missingSectionMessages(source, spans);
    const say: Say = (ruleId, message, offset, severity = 'warning') => {
      const at = source.position(offset);
      messages.push({ ruleId, severity, message, line: at.line, column: at.column });
    };
    const tables: Tables = { active: null, requests: null, review: null };
    if (layout) {
      const rows = tableRows(lines);
      const requests = readRequests(source, rows, layout, say);
      tables.requests = requests?.table ?? null;
      // The template's order: table 二's rows come before table 三's, table 四's after.
      tables.active = readActive(source, requests ? rows.slice(0, requests.first) : rows, lines, layout, say);
      tables.review = readReview(source, requests ? rows.slice(requests.last + 1) : rows, lines, say);
    }
    return { stated: statedMeta(lines), body: source.text, sections: sectionsOf(source, spans), tables, messages };
  },
};
