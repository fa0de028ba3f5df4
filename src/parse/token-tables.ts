/**
 * Reading tables from a sequence of text tokens (one printed cell each), as
 * the seed's one-cell-per-line text gives them: a row label, then its value
 * cells in column order. Rows are found by their labels, not by position, so
 * that a missing row is reported and never shifts its neighbours' numbers.
 */
import { isAsciiDigitCode, isValueWordAt, readCell, skipSpaces, trimmedEnd } from '../template/cell-text.js';
import {
  requestColumns,
  reviewColumns,
  reviewGroups,
  type ActiveRowDef,
  type LabelDef,
  type RequestRowDef,
  type TableLayout,
} from '../template/layout.js';
import { labelForms, normaliseLabel, rowLabelStages } from '../template/labels.js';
import { absentCell, type ActiveTable, type Cell, type Message, type RequestsTable, type ReviewTable } from '../template/model.js';
import type { Source } from '../read/source.js';

export interface Token {
  text: string;
  offset: number;
  /** Whether the token is a value cell (isValueText of its text), as whoever cut it from its text found. */
  value: boolean;
}

/**
 * Whether text[start, end), without surrounding whitespace, is a value cell: blank, a value word (cell-text.ts
 * isValueWordAt) or a backslash (a slash as some tables type it). Read unit by unit rather than by a regular
 * expression: the seed's tables test every one of their tokens.
 */
export function isValueAt(text: string, start: number, end: number): boolean {
  if (start === end) return true;
  const code = text.charCodeAt(start);
  // The two common tokens settled first: a label opening with a Han character (of which only 无 alone is a value),
  // and plain ASCII digits. Every other token takes the whole grammar.
  if (code >= 0x4e00 && code <= 0x9fff) return code === NONE && end - start === 1;
  if (isAsciiDigitCode(code)) {
    let at = start + 1;
    while (at < end && isAsciiDigitCode(text.charCodeAt(at))) at++;
    if (at === end) return true;
  }
  return (end - start === 1 && code === 0x5c) || isValueWordAt(text, start, end);
}

/** 无, a value word. */
const NONE = 0x65e0;

/** Whether a printed cell's text is a value cell: isValueAt between optional whitespace. */
export function isValueText(text: string): boolean {
  const start = skipSpaces(text, 0, text.length);
  return isValueAt(text, start, trimmedEnd(text, start, text.length));
}

function unreadCells(source: Source, count: number, offset: number, why: string): Cell[] {
  return Array.from({ length: count }, () => absentCell('unread', '', source.position(offset))).map((cell) => ({
    ...cell,
    text: why,
  }));
}

interface RowSpec {
  width: number;
  kinds: readonly ('count' | 'signedCount' | 'decimal')[];
  label: string;
}

/** The numbers of the rows a label matches: most labels match none, and share this. */
const NO_ROWS: readonly number[] = [];

/**
 * A label of one or more tokens met before, found by the tokens' texts in turn: the rows the label names, and the
 * labels that go on with further tokens. Reports print the same labels, so a label is normalised and its rows
 * worked out once per process, and a lookup hashes each token's text rather than joining them.
 */
interface LabelNode {
  named?: readonly number[];
  next?: Map<string, LabelNode>;
}

/** What reading a list of rows needs, made once per list (lists are fixed once made). */
interface RowList {
  specs: RowSpec[];
  /** The numbers of the rows a label (one to three tokens joined) names. */
  named: (text: string) => readonly number[];
  /** The labels met before; arbitrary text (damaged input) must not grow them without bound. */
  met: Map<string, LabelNode>;
  metSize: number;
}

const rowLists = new WeakMap<readonly LabelDef[], RowList>();

/** Each normal form a label of the rows may take, to the numbers of the rows that take it. */
function rowsByForm(rows: readonly LabelDef[]): Map<string, number[]> {
  const byForm = new Map<string, number[]>();
  rows.forEach((row, number) => {
    for (const form of labelForms(row)) {
      const numbers = byForm.get(form) ?? [];
      if (numbers.at(-1) !== number) numbers.push(number);
      byForm.set(form, numbers);
    }
  });
  return byForm;
}

/**
 * The row list of `rows`. With `staged`, a label names the rows one of its stages (rowLabelStages: group headings
 * taken off in turn) is a form of; without, the rows its normal form is a form of.
 */
function rowList<T extends LabelDef>(rows: readonly T[], spec: (row: T) => RowSpec, staged: boolean): RowList {
  let list = rowLists.get(rows);
  if (!list) {
    const byForm = rowsByForm(rows);
    const named = staged
      ? (text: string): readonly number[] => {
          let named = NO_ROWS;
          for (const stage of rowLabelStages(text)) {
            const numbers = byForm.get(stage);
            if (numbers) named = named === NO_ROWS ? numbers : [...named, ...numbers];
          }
          return named;
        }
      : (text: string): readonly number[] => byForm.get(normaliseLabel(text)) ?? NO_ROWS;
    list = { specs: rows.map(spec), named, met: new Map(), metSize: 0 };
    rowLists.set(rows, list);
  }
  return list;
}

/**
 * Finds each row's label after the previous row and reads the value tokens
 * that follow it. A label may be split over up to three tokens. The cells
 * come by row number.
 */
function readRows(source: Source, tokens: Token[], list: RowList, table: string, messages: Message[]): Cell[][] {
  if (list.metSize > 20_000) {
    list.met = new Map();
    list.metSize = 0;
  }
  const rows = list.specs;
  const result: Cell[][] = [];
  let cursor = 0;
  for (let number = 0; number < rows.length; number++) {
    const row = rows[number] as RowSpec;
    let found = -1;
    let labelEnd = -1;
    for (let i = cursor; i < tokens.length && found === -1; i++) {
      const last = Math.min(tokens.length, i + 3) - 1;
      let level = list.met;
      for (let j = i; j <= last; j++) {
        const token = tokens[j] as Token;
        if (token.value) break;
        let label = level.get(token.text);
        if (!label) {
          label = {};
          level.set(token.text, label);
          list.metSize++;
        }
        label.named ??= list.named(tokens.slice(i, j + 1).map((t) => t.text).join(''));
        if (label.named.includes(number)) {
          found = i;
          labelEnd = j + 1;
          break;
        }
        if (j < last) level = label.next ??= new Map();
      }
    }
    const anchor = tokens[found]?.offset ?? tokens[cursor]?.offset ?? 0;
    if (found === -1) {
      result.push(unreadCells(source, row.width, anchor, '未找到该行'));
      const at = source.position(anchor);
      messages.push({
        ruleId: 'row-missing',
        severity: 'warning',
        message: `${table}未找到“${row.label}”一行，其单元格记为未读`,
        line: at.line,
        column: at.column,
      });
      continue;
    }
    const cells: Cell[] = [];
    let i = labelEnd;
    while (cells.length < row.width) {
      const token = tokens[i];
      if (!token?.value) break;
      cells.push(readCell(token.text, row.kinds[cells.length] ?? 'count', source.position(token.offset)));
      i++;
    }
    if (cells.length < row.width) {
      const at = source.position(tokens[i]?.offset ?? anchor);
      messages.push({
        ruleId: 'cell-unread',
        severity: 'warning',
        message: `${table}“${row.label}”一行只读到 ${cells.length} 个单元格，应有 ${row.width} 个；其余记为未读`,
        line: at.line,
        column: at.column,
      });
      cells.push(...unreadCells(source, row.width - cells.length, tokens[i]?.offset ?? anchor, '缺少单元格'));
    }
    result.push(cells);
    cursor = i;
  }
  return result;
}

const activeSpec = (row: ActiveRowDef): RowSpec => ({
  width: row.columns.length,
  kinds: row.columns.map((c) => c.kind),
  label: row.label,
});

export function readActiveTable(source: Source, tokens: Token[], rows: readonly ActiveRowDef[], messages: Message[]): ActiveTable {
  const read = readRows(source, tokens, rowList(rows, activeSpec, false), '表二', messages);
  // Built key by key in column order, as the schema lists them.
  const table: ActiveTable = {};
  rows.forEach((row, number) => {
    const byColumn: Record<string, Cell> = {};
    row.columns.forEach((c, i) => {
      byColumn[c.key] = read[number]?.[i] as Cell;
    });
    table[row.key] = byColumn;
  });
  return table;
}

const requestSpec = (row: RequestRowDef): RowSpec => ({
  width: requestColumns.length,
  kinds: requestColumns.map(() => 'count'),
  label: row.label,
});

export function readRequestsTable(source: Source, tokens: Token[], rows: readonly RequestRowDef[], messages: Message[]): RequestsTable {
  const read = readRows(source, tokens, rowList(rows, requestSpec, true), '表三', messages);
  const table: RequestsTable = {};
  rows.forEach((row, number) => {
    table[row.key] = read[number] as Cell[];
  });
  return table;
}

/** Table 四 from the cell of each group and column (by number), built key by key in the schema's order. */
function reviewTable(cell: (group: number, column: number) => Cell): ReviewTable {
  const table: ReviewTable = {};
  reviewGroups.forEach((g, group) => {
    const byColumn: Record<string, Cell> = {};
    reviewColumns.forEach((c, column) => {
      byColumn[c.key] = cell(group, column);
    });
    table[g.key] = byColumn;
  });
  return table;
}

/** Table 四: the header labels, then fifteen values in group and column order. */
export function readReviewTable(source: Source, tokens: Token[], messages: Message[]): ReviewTable {
  // Blank value tokens are left out (a value token's normal form is empty only when it is blank).
  const values = tokens.filter((t) => t.value && skipSpaces(t.text, 0, t.text.length) < t.text.length);
  const width = reviewGroups.length * reviewColumns.length;
  const cells = values.slice(-width).map((t) => readCell(t.text, 'count', source.position(t.offset)));
  if (cells.length < width) {
    const anchor = tokens[0]?.offset ?? 0;
    const at = source.position(anchor);
    messages.push({
      ruleId: 'cell-unread',
      severity: 'warning',
      message: `表四只读到 ${cells.length} 个单元格，应有 ${width} 个；无法确定对应关系，全部记为未读`,
      line: at.line,
      column: at.column,
    });
    return reviewTable(() => unreadCells(source, 1, anchor, '缺少单元格')[0] as Cell);
  }
  return reviewTable((group, column) => cells[group * reviewColumns.length + column] as Cell);
}

/** Reads all three tables from the token runs of their sections. */
export function readTables(
  source: Source,
  layout: TableLayout,
  tokens: { active: Token[] | null; requests: Token[] | null; review: Token[] | null },
  messages: Message[],
) {
  return {
    active: tokens.active ? readActiveTable(source, tokens.active, layout.activeRows, messages) : null,
    requests: tokens.requests ? readRequestsTable(source, tokens.requests, layout.requestRows, messages) : null,
    review: tokens.review ? readReviewTable(source, tokens.review, messages) : null,
  };
}
