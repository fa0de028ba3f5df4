/**
 * Reading tables from a sequence of text tokens (one printed cell each), as
 * the seed's one-cell-per-line text gives them: a row label, then its value
 * cells in column order. Rows are found by their labels, not by position, so
 * that a missing row is reported and never shifts its neighbours' numbers.
 */
import { isValueWordAt, readCell, skipSpaces, trimmedEnd } from '../template/cell-text.js';
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
  return start === end || (end - start === 1 && text.charCodeAt(start) === 0x5c) || isValueWordAt(text, start, end);
}

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
  key: string;
  width: number;
  kinds: readonly ('count' | 'signedCount' | 'decimal')[];
  label: string;
}

/** The numbers of the rows a label matches: most labels match none, and share this. */
const NO_ROWS: readonly number[] = [];

/** Each normal form a label of a list's rows may take, to the numbers of the rows that take it; per list (lists are fixed once made). */
const rowsByFormOf = new WeakMap<readonly LabelDef[], Map<string, number[]>>();

function rowsByForm(rows: readonly LabelDef[]): Map<string, number[]> {
  let byForm = rowsByFormOf.get(rows);
  if (!byForm) {
    const made = new Map<string, number[]>();
    rows.forEach((row, number) => {
      for (const form of labelForms(row)) {
        const numbers = made.get(form) ?? [];
        if (numbers.at(-1) !== number) numbers.push(number);
        made.set(form, numbers);
      }
    });
    byForm = made;
    rowsByFormOf.set(rows, byForm);
  }
  return byForm;
}

/**
 * A label of one or more tokens met before, found by the tokens' texts in turn: the rows the label names, and the
 * labels that go on with further tokens. Reports print the same labels, so a label is normalised and its rows
 * worked out once per process, and a lookup hashes each token's text rather than joining them.
 */
interface LabelNode {
  named?: readonly number[];
  next?: Map<string, LabelNode>;
}

/** The labels met before, per list of rows; arbitrary text (damaged input) must not grow them without bound. */
const labelsMetOf = new WeakMap<readonly LabelDef[], { first: Map<string, LabelNode>; size: number }>();

function labelsMet(rows: readonly LabelDef[]): { first: Map<string, LabelNode>; size: number } {
  let met = labelsMetOf.get(rows);
  if (!met || met.size > 20_000) {
    met = { first: new Map(), size: 0 };
    labelsMetOf.set(rows, met);
  }
  return met;
}

/**
 * Finds each row's label after the previous row and reads the value tokens
 * that follow it. A label may be split over up to three tokens. `rowsLabelled`
 * gives the numbers of the rows a label (one to three tokens joined) names.
 */
function readRows(
  source: Source,
  tokens: Token[],
  rows: RowSpec[],
  labels: { first: Map<string, LabelNode>; size: number },
  rowsLabelled: (text: string) => readonly number[],
  table: string,
  messages: Message[],
): Record<string, Cell[]> {
  const result: Record<string, Cell[]> = {};
  let cursor = 0;
  for (let number = 0; number < rows.length; number++) {
    const row = rows[number] as RowSpec;
    let found = -1;
    let labelEnd = -1;
    for (let i = cursor; i < tokens.length && found === -1; i++) {
      const last = Math.min(tokens.length, i + 3) - 1;
      let level = labels.first;
      for (let j = i; j <= last; j++) {
        const token = tokens[j] as Token;
        if (token.value) break;
        let label = level.get(token.text);
        if (!label) {
          label = {};
          level.set(token.text, label);
          labels.size++;
        }
        label.named ??= rowsLabelled(tokens.slice(i, j + 1).map((t) => t.text).join(''));
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
      result[row.key] = unreadCells(source, row.width, anchor, '未找到该行');
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
    result[row.key] = cells;
    cursor = i;
  }
  return result;
}

export function readActiveTable(
  source: Source,
  tokens: Token[],
  rows: readonly ActiveRowDef[],
  messages: Message[],
): ActiveTable {
  const specs: RowSpec[] = rows.map((row) => ({
    key: row.key,
    width: row.columns.length,
    kinds: row.columns.map((c) => c.kind),
    label: row.label,
  }));
  const byForm = rowsByForm(rows);
  const named = (text: string) => byForm.get(normaliseLabel(text)) ?? NO_ROWS;
  const read = readRows(source, tokens, specs, labelsMet(rows), named, '表二', messages);
  return Object.fromEntries(
    rows.map((row) => [row.key, Object.fromEntries(row.columns.map((c, i) => [c.key, read[row.key]?.[i] as Cell]))]),
  );
}

export function readRequestsTable(
  source: Source,
  tokens: Token[],
  rows: readonly RequestRowDef[],
  messages: Message[],
): RequestsTable {
  const specs: RowSpec[] = rows.map((row) => ({
    key: row.key,
    width: requestColumns.length,
    kinds: requestColumns.map(() => 'count'),
    label: row.label,
  }));
  const byForm = rowsByForm(rows);
  // A label names the rows one of its stages (group headings taken off in turn) is a form of.
  const rowsLabelled = (text: string): readonly number[] => {
    let named = NO_ROWS;
    for (const stage of rowLabelStages(text)) {
      const numbers = byForm.get(stage);
      if (numbers) named = named === NO_ROWS ? numbers : [...named, ...numbers];
    }
    return named;
  };
  return readRows(source, tokens, specs, labelsMet(rows), rowsLabelled, '表三', messages);
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
    return Object.fromEntries(
      reviewGroups.map((g) => [
        g.key,
        Object.fromEntries(reviewColumns.map((c) => [c.key, unreadCells(source, 1, anchor, '缺少单元格')[0] as Cell])),
      ]),
    );
  }
  return Object.fromEntries(
    reviewGroups.map((g, gi) => [
      g.key,
      Object.fromEntries(reviewColumns.map((c, ci) => [c.key, cells[gi * reviewColumns.length + ci] as Cell])),
    ]),
  );
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
