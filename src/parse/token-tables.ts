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
  type RequestRowDef,
  type TableLayout,
} from '../template/layout.js';
import { labelForms, normaliseLabel, rowLabelStages } from '../template/labels.js';
import { absentCell, type ActiveTable, type Cell, type Message, type RequestsTable, type ReviewTable } from '../template/model.js';
import type { Source } from '../read/source.js';

export interface Token {
  text: string;
  offset: number;
}

/**
 * Whether a token is a value cell: blank, or between optional whitespace a value word (cell-text.ts isValueWordAt)
 * or a backslash (a slash as some tables type it). Read unit by unit rather than by a regular expression: the
 * seed's tables test every one of their tokens.
 */
export function isValueToken(token: Token): boolean {
  const text = token.text;
  const start = skipSpaces(text, 0, text.length);
  const end = trimmedEnd(text, start, text.length);
  return start === end || (end - start === 1 && text.charCodeAt(start) === 0x5c) || isValueWordAt(text, start, end);
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
  match: (text: string) => boolean;
  label: string;
}

/**
 * Finds each row's label after the previous row and reads the value tokens
 * that follow it. A label may be split over up to three tokens.
 */
function readRows(
  source: Source,
  tokens: Token[],
  rows: RowSpec[],
  table: string,
  messages: Message[],
): Record<string, Cell[]> {
  const result: Record<string, Cell[]> = {};
  const isValue = tokens.map(isValueToken);
  // Labels joined from two or three tokens, made once: every row's search passes over the same ones.
  const joinedLabels = new Map<number, string>();
  const joinedLabel = (i: number, j: number, before: string): string => {
    const key = i * 3 + (j - i);
    let joined = joinedLabels.get(key);
    if (joined === undefined) {
      joined = before + (tokens[j]?.text ?? '');
      joinedLabels.set(key, joined);
    }
    return joined;
  };
  let cursor = 0;
  for (const row of rows) {
    let found = -1;
    let labelEnd = -1;
    for (let i = cursor; i < tokens.length && found === -1; i++) {
      let joined = '';
      for (let j = i; j < Math.min(tokens.length, i + 3); j++) {
        if (isValue[j] !== false) break;
        joined = joinedLabel(i, j, joined);
        if (row.match(joined)) {
          found = i;
          labelEnd = j + 1;
          break;
        }
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
      if (!token || !isValue[i]) break;
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

export function readActiveTable(source: Source, tokens: Token[], rows: readonly ActiveRowDef[], messages: Message[]): ActiveTable {
  const specs: RowSpec[] = rows.map((row) => ({
    key: row.key,
    width: row.columns.length,
    kinds: row.columns.map((c) => c.kind),
    match: (text) => labelForms(row).includes(normaliseLabel(text)),
    label: row.label,
  }));
  const read = readRows(source, tokens, specs, '表二', messages);
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
  // Every row's search tries the same joined labels: their stages are worked out once.
  const stagesOf = new Map<string, string[]>();
  const stages = (text: string): string[] => {
    let known = stagesOf.get(text);
    if (!known) {
      known = rowLabelStages(text);
      stagesOf.set(text, known);
    }
    return known;
  };
  const specs: RowSpec[] = rows.map((row) => ({
    key: row.key,
    width: requestColumns.length,
    kinds: requestColumns.map(() => 'count'),
    match: (text) => {
      const forms = labelForms(row);
      return stages(text).some((stage) => forms.includes(stage));
    },
    label: row.label,
  }));
  return readRows(source, tokens, specs, '表三', messages);
}

/** Table 四: the header labels, then fifteen values in group and column order. */
export function readReviewTable(source: Source, tokens: Token[], messages: Message[]): ReviewTable {
  const values = tokens.filter((t) => isValueToken(t) && normaliseLabel(t.text) !== '');
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
