/**
 * The report's three tables from grids of cells. Tables are told apart by
 * their labels, rows by their row labels and value columns by the header
 * labels above them — never by position alone — so that a reordered row is
 * still read as itself and a missing column leaves its cells unread instead
 * of shifting the neighbours' numbers into it.
 */
import { readCell } from '../../template/cell-text.js';
import {
  requestColumns,
  requestRows2019,
  requestRows2021,
  reviewColumns,
  reviewGroups,
  type ActiveRowDef,
  type CellKind,
  type LabelDef,
  type TableLayout,
  reviewGroupLabel,
} from '../../template/layout.js';
import { matchLabel as matchLabelUncached, matchRowLabel as matchRowLabelUncached, normaliseLabel } from '../../template/labels.js';
import {
  absentCell,
  type ActiveTable,
  type Cell,
  type Message,
  type Position,
  type RequestsTable,
  type ReviewTable,
  type Tables,
} from '../../template/model.js';
import { isValueText } from '../token-tables.js';
import { rowCells, type Grid, type GridCell } from './grid.js';

/** Appends to a map of lists in place (copying each list on every append is quadratic in wide tables). */
function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export type TableKind = 'active' | 'requests' | 'review';

const tableNames: Record<TableKind, string> = { active: '表二', requests: '表三', review: '表四' };

/** Text that can be no label: numbers, blanks and the absence marks. */
const NOT_A_LABEL = /^[\d\s.．+\-－/／—–无]*$/;

const labelCache = new WeakMap<object, Map<string, unknown>>();

/** Label matching, remembered per definition list and text: a table repeats the same few texts many times. */
function cached<T>(defs: object, text: string, match: () => T | undefined): T | undefined {
  if (NOT_A_LABEL.test(text)) return undefined;
  let cache = labelCache.get(defs);
  if (!cache) labelCache.set(defs, (cache = new Map()));
  if (!cache.has(text)) cache.set(text, match());
  return cache.get(text) as T | undefined;
}

function matchLabel<T extends LabelDef>(defs: readonly T[], text: string): T | undefined {
  return cached(defs, text, () => matchLabelUncached(defs, text));
}

function matchRowLabel<T extends LabelDef>(defs: readonly T[], text: string): T | undefined {
  return cached(defs, `row:${text}`, () => matchRowLabelUncached(defs, text));
}

function isValueCell(cell: GridCell): boolean {
  return isValueText(cell.text);
}

/**
 * The table-三 row a row's label cells name. The leading cells are group
 * headings (三、本年度办理结果, （三）不予公开); one that is cut short (a
 * vertical heading split over a page break) is skipped rather than read.
 */
function matchRequestRow(
  grid: Grid,
  row: number,
  valueColumns: ReadonlySet<number>,
  rows: TableLayout['requestRows'],
): { def: TableLayout['requestRows'][number] | undefined; cell: GridCell | undefined } {
  const labels = rowCells(grid, row).filter((cell) => !spanColumns(cell).some((c) => valueColumns.has(c)) && cell.text !== '');
  for (let skip = 0; skip < labels.length; skip++) {
    const def = matchRowLabel(rows, labels.slice(skip).map((c) => c.text).join(''));
    if (def) return { def, cell: labels.at(-1) };
  }
  return { def: undefined, cell: labels.at(-1) };
}

function spanColumns(cell: GridCell): number[] {
  return Array.from({ length: cell.colSpan }, (_, i) => cell.column + i);
}

const allRequestRows = [...requestRows2021, ...requestRows2019];

function matchesRequestRow(text: string): boolean {
  return text !== '' && matchRowLabel(allRequestRows, text) !== undefined;
}

function reviewGroupOf(text: string): string | undefined {
  const t = normaliseLabel(text);
  if (t.includes('复议后起诉')) return 'litigationAfterReconsideration';
  if (t.includes('直接起诉')) return 'litigationDirect';
  if (t === '行政复议' || (t.includes('行政复议') && !t.includes('起诉') && t.length <= 8)) return 'reconsideration';
  return undefined;
}

/** Which of the three tables a grid is, by the labels it prints; null for any other table (page layout, metadata). */
export function classifyGrid(grid: Grid, layout: TableLayout | null): TableKind | null {
  const texts = grid.cells.map((c) => c.text);
  if (texts.filter(matchesRequestRow).length >= 3) return 'requests';
  const groups = new Set(texts.map(reviewGroupOf).filter(Boolean));
  const reviewCols = texts.filter((t) => matchLabel(reviewColumns, t) !== undefined).length;
  if (groups.size >= 2 && reviewCols >= 3) return 'review';
  const activeRows = layout?.activeRows ?? [];
  const activeLabels = texts.filter((t) => t !== '' && matchLabel(activeRows, t) !== undefined).length;
  if (activeLabels >= 1 && texts.some((t) => /第二十条|信息内容/.test(t))) return 'active';
  return null;
}

function unread(position: Position | null, why: string): Cell {
  return { ...absentCell('unread', '', position), text: why };
}

function message(ruleId: string, text: string, at: Position | null, severity: Message['severity'] = 'warning'): Message {
  return { ruleId, severity, message: text, line: at?.line ?? 1, column: at?.column ?? 1 };
}

/**
 * The value cell of a row under a set of grid columns: exactly one cell of
 * this row that lies within them. Anything else (a cell merged across rows or
 * across two header columns) cannot be assigned with certainty.
 */
function valueCellUnder(grid: Grid, row: number, columns: readonly number[]): GridCell | 'merged' | undefined {
  const found = new Set<GridCell>();
  for (const c of columns) {
    const cell = grid.slots[row]?.[c];
    if (cell) found.add(cell);
  }
  if (found.size === 0) return undefined;
  const [only] = found;
  if (found.size > 1 || !only) return 'merged';
  const within = spanColumns(only).every((c) => columns.includes(c));
  if (!within || only.row !== row || only.rowSpan > 1) return 'merged';
  return only;
}

function readValue(grid: Grid, row: number, columns: readonly number[], kind: CellKind, fallback: Position | null): Cell {
  const cell = valueCellUnder(grid, row, columns);
  if (cell === undefined) return unread(fallback, '该行缺少此单元格');
  if (cell === 'merged') return unread(fallback, '合并单元格无法对应到唯一的列');
  return readCell(cell.raw, kind, cell.position);
}

// ---------------------------------------------------------------- table 三

/** Grid columns under each header label: the deepest header cell naming a column wins. */
function requestColumnMap(grid: Grid, headerRows: number): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (let column = 0; column < grid.width; column++) {
    let key: string | undefined;
    for (let row = 0; row < headerRows; row++) {
      const cell = grid.slots[row]?.[column];
      const def = cell ? matchLabel(requestColumns, cell.text) : undefined;
      if (def) key = def.key;
    }
    if (key) pushTo(map, key, column);
  }
  return map;
}

/** Columns of another grid that lie within each named column's x extent. */
function columnsByPosition(map: Map<string, number[]>, fromX: number[], toX: number[]): Map<string, number[]> {
  const result = new Map<string, number[]>();
  for (const [key, columns] of map) {
    const left = fromX[Math.min(...columns)] ?? 0;
    const right = fromX[Math.max(...columns) + 1] ?? 0;
    const inside = toX.slice(0, -1).flatMap((x, i) => {
      const middle = (x + (toX[i + 1] ?? x)) / 2;
      return middle > left && middle < right ? [i] : [];
    });
    if (inside.length > 0) result.set(key, inside);
  }
  return result;
}

function readRequests(grids: Grid[], layout: TableLayout, messages: Message[]): RequestsTable {
  const found = new Map<string, Cell[]>();
  let columnMap: Map<string, number[]> | null = null;
  let columnMapGrid: Grid | null = null;
  const firstPosition = grids[0]?.position ?? null;
  for (const grid of grids) {
    const firstData = grid.slots.findIndex((_, row) => rowCells(grid, row).some((c) => matchesRequestRow(c.text)));
    if (firstData === -1) continue;
    let continuationMap: Map<string, number[]> | null = null;
    if (firstData > 0) {
      columnMap = requestColumnMap(grid, firstData);
      columnMapGrid = grid;
      for (const column of requestColumns) {
        if (!columnMap.has(column.key)) {
          messages.push(
            message('column-missing', `表三未找到“${column.label}”一列，该列单元格记为未读`, grid.position),
          );
        }
      }
    } else if (columnMap && columnMapGrid?.columnX && grid.columnX) {
      // A continuation on the next page: its columns are the header's that lie at the same x.
      continuationMap = columnsByPosition(columnMap, columnMapGrid.columnX, grid.columnX);
    } else if (!columnMap || columnMapGrid?.width !== grid.width) {
      // A continuation without its own header, of a different shape: its columns cannot be named.
      messages.push(message('column-missing', '表三续表没有表头，且列数与前表不同，无法确定各列，单元格记为未读', grid.position));
      continue;
    }
    const map = continuationMap ?? (columnMap as Map<string, number[]>);
    const valueColumns = new Set([...map.values()].flat());
    for (let row = firstData; row < grid.slots.length; row++) {
      const label = matchRequestRow(grid, row, valueColumns, layout.requestRows);
      const def = label.def;
      if (!def) continue;
      const at = label.cell?.position ?? null;
      const cells = requestColumns.map((column) => {
        const columns = map.get(column.key);
        return columns ? readValue(grid, row, columns, 'count', at) : unread(at, '表头中没有此列');
      });
      const earlier = found.get(def.key);
      if (earlier) {
        const same = earlier.every((cell, i) => cell.state === cells[i]?.state && cell.value === cells[i]?.value);
        messages.push(
          message(
            'row-duplicate',
            same
              ? `表三“${def.label}”一行重复出现，数字相同`
              : `表三“${def.label}”一行重复出现且数字不同，无法确定哪一行为准，记为未读`,
            at,
          ),
        );
        if (!same) found.set(def.key, earlier.map((cell) => unread(cell.position, '该行重复出现且数字不同')));
        continue;
      }
      found.set(def.key, cells);
    }
  }
  const table: RequestsTable = {};
  for (const row of layout.requestRows) {
    const cells = found.get(row.key);
    if (cells) {
      table[row.key] = cells;
      continue;
    }
    messages.push(message('row-missing', `表三未找到“${row.label}”一行，其单元格记为未读`, firstPosition));
    table[row.key] = requestColumns.map(() => unread(firstPosition, '未找到该行'));
  }
  return table;
}

// ---------------------------------------------------------------- table 四

function readReview(grids: Grid[], messages: Message[]): ReviewTable {
  const found = new Map<string, Cell>();
  const firstPosition = grids[0]?.position ?? null;
  for (const grid of grids) {
    const isHeaderRow = (row: number) =>
      rowCells(grid, row).some((c) => reviewGroupOf(c.text) !== undefined || matchLabel(reviewColumns, c.text) !== undefined);
    let lastHeader = -1;
    grid.slots.forEach((_, row) => {
      if (isHeaderRow(row)) lastHeader = row;
    });
    if (lastHeader === -1) continue;
    const dataRow = grid.slots.findIndex((_, row) => row > lastHeader && rowCells(grid, row).every(isValueCell));
    const columnsOf = new Map<string, number[]>();
    for (let column = 0; column < grid.width; column++) {
      let group: string | undefined;
      let key: string | undefined;
      for (let row = 0; row <= lastHeader; row++) {
        const cell = grid.slots[row]?.[column];
        if (!cell) continue;
        group = reviewGroupOf(cell.text) ?? group;
        key = matchLabel(reviewColumns, cell.text)?.key ?? key;
      }
      if (group && key) pushTo(columnsOf, `${group}.${key}`, column);
    }
    for (const group of reviewGroups) {
      for (const column of reviewColumns) {
        const ref = `${group.key}.${column.key}`;
        if (found.has(ref)) continue;
        const columns = columnsOf.get(ref);
        if (!columns) continue;
        if (dataRow === -1) {
          found.set(ref, unread(grid.position, '表四没有数据行'));
          continue;
        }
        found.set(ref, readValue(grid, dataRow, columns, 'count', grid.position));
      }
    }
    if (dataRow === -1) messages.push(message('row-missing', '表四表头下没有数据行，单元格记为未读', grid.position));
  }
  const table: ReviewTable = {};
  for (const group of reviewGroups) {
    table[group.key] = {};
    for (const column of reviewColumns) {
      const cell = found.get(`${group.key}.${column.key}`);
      if (!cell) {
        const label = `${reviewGroupLabel(group)}·${column.label}`;
        messages.push(message('column-missing', `表四未找到“${label}”一列，该单元格记为未读`, firstPosition));
      }
      (table[group.key] as Record<string, Cell>)[column.key] = cell ?? unread(firstPosition, '表头中没有此列');
    }
  }
  return table;
}

// ---------------------------------------------------------------- table 二

function overlaps(a: GridCell, b: GridCell): boolean {
  return a.column < b.column + b.colSpan && b.column < a.column + a.colSpan;
}

/**
 * Pairs a data row's value cells with the header cells of its block. Where
 * both rows have the same number of cells and each value cell lies under its
 * header cell, they pair in order (published tables often misalign spans by
 * one slot); otherwise a value pairs only with the one header it lies under.
 */
function pairValues(headers: GridCell[], values: GridCell[]): Map<GridCell, GridCell | 'merged'> {
  const pairs = new Map<GridCell, GridCell | 'merged'>();
  if (headers.length === values.length && headers.every((h, i) => overlaps(h, values[i] as GridCell))) {
    headers.forEach((h, i) => pairs.set(h, values[i] as GridCell));
    return pairs;
  }
  for (const header of headers) {
    const under = values.filter((v) => overlaps(v, header));
    const [only] = under;
    if (under.length === 1 && only && headers.filter((h) => overlaps(only, h)).length === 1) pairs.set(header, only);
    else if (under.length > 0) pairs.set(header, 'merged');
  }
  return pairs;
}

const columnLabels = new WeakMap<readonly ActiveRowDef[], ActiveRowDef['columns'][number][]>();

function columnLabelsOf(rows: readonly ActiveRowDef[]): ActiveRowDef['columns'][number][] {
  let labels = columnLabels.get(rows);
  if (!labels) columnLabels.set(rows, (labels = rows.flatMap((r) => r.columns)));
  return labels;
}

function readActive(grids: Grid[], rows: readonly ActiveRowDef[], messages: Message[]): ActiveTable {
  const found = new Map<string, Record<string, Cell>>();
  const allColumnLabels = columnLabelsOf(rows);
  const firstPosition = grids[0]?.position ?? null;
  for (const grid of grids) {
    let header: GridCell[] | null = null;
    for (let row = 0; row < grid.slots.length; row++) {
      const cells = rowCells(grid, row).filter((c) => c.row === row);
      const [first, ...rest] = cells;
      if (!first) continue;
      if (/第二十条/.test(first.text)) {
        // A new block (第二十条第（N）项) brings its own header row.
        header = null;
        continue;
      }
      if (rest.some((c) => matchLabel(allColumnLabels, c.text) !== undefined)) {
        header = rest;
        continue;
      }
      const def = matchLabel(rows, first.text);
      if (!def || found.has(def.key)) continue;
      const values = rowCells(grid, row).filter((c) => c !== first);
      const pairs = header ? pairValues(header, values) : new Map<GridCell, GridCell | 'merged'>();
      const record: Record<string, Cell> = {};
      for (const column of def.columns) {
        const headerCell = header?.find((h) => matchLabelUncached([column], h.text) !== undefined);
        const paired = headerCell ? pairs.get(headerCell) : undefined;
        if (!headerCell) {
          messages.push(
            message('column-missing', `表二“${def.label}”所在栏未找到“${column.label}”一列，该单元格记为未读`, first.position),
          );
          record[column.key] = unread(first.position, '表头中没有此列');
        } else if (paired === undefined) {
          record[column.key] = unread(first.position, '该行缺少此单元格');
        } else if (paired === 'merged' || paired.row !== row || paired.rowSpan > 1) {
          record[column.key] = unread(first.position, '合并单元格无法对应到唯一的列');
        } else {
          record[column.key] = readCell(paired.raw, column.kind, paired.position);
        }
      }
      found.set(def.key, record);
    }
  }
  const table: ActiveTable = {};
  for (const row of rows) {
    const record = found.get(row.key);
    if (!record) {
      messages.push(message('row-missing', `表二未找到“${row.label}”一行，其单元格记为未读`, firstPosition));
    }
    table[row.key] = record ?? Object.fromEntries(row.columns.map((c) => [c.key, unread(firstPosition, '未找到该行')]));
  }
  return table;
}

/** Reads every grid of each kind (a table split over several <table>s is read as one). */
export function readGrids(grids: Grid[], layout: TableLayout, messages: Message[]): Tables {
  const byKind: Record<TableKind, Grid[]> = { active: [], requests: [], review: [] };
  for (const grid of grids) {
    const kind = classifyGrid(grid, layout);
    if (kind) byKind[kind].push(grid);
  }
  for (const kind of ['active', 'requests', 'review'] as const) {
    if (byKind[kind].length === 0) messages.push(message('table-missing', `未找到${tableNames[kind]}`, null));
  }
  return {
    active: byKind.active.length > 0 ? readActive(byKind.active, layout.activeRows, messages) : null,
    requests: byKind.requests.length > 0 ? readRequests(byKind.requests, layout, messages) : null,
    review: byKind.review.length > 0 ? readReview(byKind.review, messages) : null,
  };
}
