/**
 * Shared helpers of the rules: naming a cell (`requests.newReceived.total`),
 * finding it in a report, summing cells without ever reading an absence as 0,
 * and collecting one rule's findings, including the "could not be assessed"
 * warning, which every rule reports under its own id with severity warning.
 */
import {
  applicantColumnKeys,
  layouts,
  requestColumns,
  reviewColumns,
  reviewGroups,
  type ActiveRowDef,
  type CellKind,
  type RequestRowDef,
  type TableLayout,
  reviewGroupLabel,
} from '../template/layout.js';
import type { Cell, Message, Position, Report, Severity } from '../template/model.js';

/** A cell of a report with its reference and its name in Chinese. */
export interface CellRef {
  ref: string;
  /** Chinese name for messages, e.g. `（七）总计·自然人`. */
  name: string;
  cell: Cell | undefined;
  /** For a template cell, where its reference stands in templateRefs (a hint, checked before use: see isPlaced). */
  place?: number;
}

/**
 * Every template cell reference met so far, each once: a cell's place here
 * lets findings gather their cells without a lookup by reference string.
 */
const templateRefs: string[] = [];
const templatePlaces = new Map<string, number>();
function placeOf(ref: string): number {
  let place = templatePlaces.get(ref);
  if (place === undefined) templatePlaces.set(ref, (place = templateRefs.push(ref) - 1));
  return place;
}

/** Whether the reference's place is its own (a copy of a CellRef with another reference keeps a place that is not). */
function isPlaced(c: CellRef): boolean {
  return c.place !== undefined && templateRefs[c.place] === c.ref;
}

export function layoutOf(report: Report): TableLayout | null {
  return report.template === '2021' || report.template === '2019' ? layouts[report.template] : null;
}

/** A row's label short enough for a message: item number and words, no long explanation. */
export function shortRowName(def: RequestRowDef): string {
  const label = def.label
    .replace(/政府信息公开申请数量$/, '')
    .replace(/(.)（[^）]*）$/, '$1')
    .split('、行政机关')[0] as string;
  return def.group && def.group.startsWith('（') ? `${def.group}${label}` : label;
}

/** `make` once per key (never undefined): the keys are the template's fixed definitions, and rules ask on every cell. */
function remembered<K, V>(make: (key: K) => V): (key: K) => V {
  const memo = new Map<K, V>();
  return (key) => {
    let value = memo.get(key);
    if (value === undefined) memo.set(key, (value = make(key)));
    return value;
  };
}

export const rowName = remembered(shortRowName);

export const totalColumnIndex = requestColumns.length - 1;
export const applicantColumnIndexes = applicantColumnKeys.map((_, i) => i);

/** Reference and name strings of every table 三 cell, made once per row definition. */
const requestNames = remembered((row: RequestRowDef) => {
  const refs = requestColumns.map((c) => `requests.${row.key}.${c.key}`);
  return { refs, places: refs.map(placeOf), names: requestColumns.map((c) => `${rowName(row)}·${c.label}`) };
});

export function requestCell(report: Report, row: RequestRowDef, column: number): CellRef {
  const names = requestNames(row);
  return {
    ref: names.refs[column] as string,
    name: names.names[column] as string,
    cell: requestCellOf(report, row, column),
    place: names.places[column] as number,
  };
}

/** The CellRef of a row's cell in a column. */
export type RowCells = (column: number) => CellRef;

/**
 * The CellRefs of one row of table 三, column by column, the row looked up
 * once (as requestCell would give them): for rules that walk the table a
 * column at a time over many rows.
 */
export function requestRowCells(report: Report, row: RequestRowDef): RowCells {
  const names = requestNames(row);
  const line = requestLine(report, row);
  return (column) => ({
    ref: names.refs[column] as string,
    name: names.names[column] as string,
    cell: line?.[column],
    place: names.places[column] as number,
  });
}

function requestCellOf(report: Report, row: RequestRowDef, column: number): Cell | undefined {
  return requestLine(report, row)?.[column];
}

/** The figure of a table 三 cell, or null when it holds no number: no reference made, for equations that hold. */
export function requestValue(report: Report, row: RequestRowDef, column: number): number | null {
  const cell = requestCellOf(report, row, column);
  return cell !== undefined && cell.state === 'number' ? cell.value : null;
}

/**
 * The figures of rows of table 三, row after row, NaN where a cell holds no
 * number (so that no sum over it equals anything): for equations that hold,
 * checked without making a reference to each cell.
 */
export function requestFigures(report: Report, rows: readonly RequestRowDef[]): Float64Array {
  // Every row of the table being read: its grid as it stands (callers only read figures).
  if (indexed !== null && indexed.report === report && rows === indexed.layout.requestRows) return (indexed.figures ??= figuresOf(indexed.requests));
  const width = requestColumns.length;
  const figures = new Float64Array(rows.length * width);
  rows.forEach((row, r) => {
    const { grid, at } = figureRow(report, row);
    for (let c = 0; c < width; c++) figures[r * width + c] = grid[at + c] as number;
  });
  return figures;
}

/** Column sums of requestFigures (NaN where a cell holds no number); a typed array, as the sums turn NaN in any column. */
export function requestColumnSums(report: Report, rows: readonly RequestRowDef[]): Float64Array {
  const width = requestColumns.length;
  const sums = new Float64Array(width);
  for (const row of rows) {
    const { grid, at } = figureRow(report, row);
    for (let c = 0; c < width; c++) sums[c] = (sums[c] as number) + (grid[at + c] as number);
  }
  return sums;
}

/** Where a row's figures start: in the report's grid while the per-report rules run, else in one made for the row. */
function figureRow(report: Report, row: RequestRowDef): { grid: Float64Array; at: number } {
  if (indexed !== null && indexed.report === report) {
    const position = indexed.positions.get(row);
    if (position !== undefined && indexed.layout.requestRows[position] === row) {
      indexed.figures ??= figuresOf(indexed.requests);
      return { grid: indexed.figures, at: position * requestColumns.length };
    }
  }
  return { grid: figuresOf([requestLine(report, row)]), at: 0 };
}

function figuresOf(lines: readonly (Cell[] | undefined)[]): Float64Array {
  const width = requestColumns.length;
  const figures = new Float64Array(lines.length * width).fill(Number.NaN);
  lines.forEach((line, r) => {
    if (!line) return;
    for (let c = 0; c < width; c++) {
      const cell = line[c];
      if (cell !== undefined && cell.state === 'number' && cell.value !== null) figures[r * width + c] = cell.value;
    }
  });
  return figures;
}

export function activeValue(report: Report, row: ActiveRowDef, columnKey: string): number | null {
  const cell = activeCellOf(report, row, columnKey);
  return cell !== undefined && cell.state === 'number' ? cell.value : null;
}

export function reviewValue(report: Report, group: ReviewGroup, column: ReviewColumn): number | null {
  const cell = reviewCellOf(report, group, column);
  return cell !== undefined && cell.state === 'number' ? cell.value : null;
}

function reviewCellOf(report: Report, group: ReviewGroup, column: ReviewColumn): Cell | undefined {
  return reviewLine(report, group)?.[column.key];
}

type ReviewGroup = (typeof reviewGroups)[number];
type ReviewColumn = (typeof reviewColumns)[number];
interface CellNames {
  ref: string;
  name: string;
  place: number;
}

/** A cell's reference and display name, made once per row and column (rules ask for them on every finding). */
function namesOf<Row extends object, Column>(memo: Map<Row, Map<Column, CellNames>>, row: Row, column: Column, make: () => CellNames): CellNames {
  let byColumn = memo.get(row);
  if (!byColumn) memo.set(row, (byColumn = new Map()));
  let names = byColumn.get(column);
  if (!names) byColumn.set(column, (names = make()));
  return names;
}

const reviewCellNames = new Map<ReviewGroup, Map<ReviewColumn, CellNames>>();
export function reviewCell(report: Report, group: ReviewGroup, column: ReviewColumn): CellRef {
  const names = namesOf(reviewCellNames, group, column, () => {
    const ref = `review.${group.key}.${column.key}`;
    return { ref, name: `${reviewGroupLabel(group)}·${column.label}`, place: placeOf(ref) };
  });
  return { ref: names.ref, name: names.name, cell: reviewCellOf(report, group, column), place: names.place };
}

const activeCellNames = new Map<ActiveRowDef, Map<string, CellNames>>();
export function activeCell(report: Report, row: ActiveRowDef, columnKey: string): CellRef {
  const names = namesOf(activeCellNames, row, columnKey, () => {
    const column = row.columns.find((c) => c.key === columnKey);
    const ref = `active.${row.key}.${columnKey}`;
    return { ref, name: row.columns.length > 1 ? `${row.label}·${column?.label ?? columnKey}` : row.label, place: placeOf(ref) };
  });
  return { ref: names.ref, name: names.name, cell: activeCellOf(report, row, columnKey), place: names.place };
}

function activeCellOf(report: Report, row: ActiveRowDef, columnKey: string): Cell | undefined {
  return activeLine(report, row)?.[columnKey];
}

/** Rows of a layout by role, computed once per layout. */
const rolesOf = remembered((layout: TableLayout) => {
  const roles = new Map<RequestRowDef['role'], RequestRowDef[]>();
  for (const row of layout.requestRows) roles.set(row.role, [...(roles.get(row.role) ?? []), row]);
  return roles;
});
export function requestRowsWithRole(layout: TableLayout, role: RequestRowDef['role']): RequestRowDef[] {
  return rolesOf(layout).get(role) ?? [];
}

export function valueOf(ref: CellRef): number | null {
  const cell = ref.cell;
  return cell !== undefined && cell.state === 'number' ? cell.value : null;
}

const stateNames: Record<Exclude<Cell['state'], 'number'>, string> = {
  blank: '空白',
  slash: '填写为“/”',
  dash: '填写为“—”',
  none: '填写为“无”',
  unread: '未能读取',
  ambiguous: '有歧义',
};

/** Why a cell holds no number, in Chinese. */
export function absenceText(ref: CellRef): string {
  const cell = ref.cell;
  if (!cell) return `${ref.name}（未找到）`;
  if (cell.state === 'ambiguous' && cell.candidates?.length)
    return `${ref.name}（有歧义，可能为 ${cell.candidates.join(' 或 ')}）`;
  return `${ref.name}（${stateNames[cell.state as Exclude<Cell['state'], 'number'>] ?? cell.state}）`;
}

/** True when the cell is a stated absence (blank, "/", "—", "无") rather than an unread one. */
export function isStatedAbsence(cell: Cell | undefined): boolean {
  return cell !== undefined && (cell.state === 'blank' || cell.state === 'slash' || cell.state === 'dash' || cell.state === 'none');
}

/** The sum of the cells, or the cells that hold no number (never read as 0). */
export function sumOf(refs: readonly CellRef[]): { value: number; missing: CellRef[] } {
  let value = 0;
  const missing: CellRef[] = [];
  for (const ref of refs) {
    const v = valueOf(ref);
    if (v === null) missing.push(ref);
    else value += v;
  }
  return { value, missing };
}

/** The figure of a cell as printed in a message: its value, or what stands there instead. */
export function figureText(ref: CellRef): string {
  const value = valueOf(ref);
  if (value !== null) return String(value);
  const state = ref.cell?.state;
  return state && state !== 'number' ? `（${stateNames[state]}）` : '（未找到）';
}

/**
 * `a 1 + b 2 + c 0 = 3`; with many terms only the non-zero ones are spelt
 * out. Where cells hold no number the sum is what the filled-in cells reach.
 */
export function spellSum(refs: readonly CellRef[], nameOf: (ref: CellRef) => string, total: number): string {
  const complete = refs.every((r) => valueOf(r) !== null);
  const equals = complete ? ' = ' : '，已填数字之和已达 ';
  if (refs.length === 1) return `${nameOf(refs[0] as CellRef)} ${figureText(refs[0] as CellRef)}`;
  const shown = refs.length > 8 ? refs.filter((r) => valueOf(r) !== 0) : refs;
  const terms = shown.map((r) => `${nameOf(r)} ${figureText(r)}`).join(' + ');
  const rest = shown.length < refs.length ? (shown.length === 0 ? '各项均为 0' : '（其余各项为 0）') : '';
  return shown.length === 0 ? `${rest}${equals}${total}` : `${terms}${rest}${equals}${total}`;
}

export type Comparison =
  | { state: 'equal' }
  | { state: 'differ'; left: number; right: number; exact: boolean }
  | { state: 'unknown'; missing: CellRef[] };

/**
 * Compares two sums of count cells. A cell without a number is never read as
 * 0, but a count is never negative: when one side is complete and the filled-in
 * cells of the other already exceed it, the two cannot be equal whatever the
 * missing cells hold.
 */
export function compareSums(left: readonly CellRef[], right: readonly CellRef[]): Comparison {
  const a = sumOf(left);
  const b = sumOf(right);
  if (a.missing.length === 0 && b.missing.length === 0)
    return a.value === b.value ? { state: 'equal' } : { state: 'differ', left: a.value, right: b.value, exact: true };
  if (a.missing.length === 0 && b.value > a.value) return { state: 'differ', left: a.value, right: b.value, exact: false };
  if (b.missing.length === 0 && a.value > b.value) return { state: 'differ', left: a.value, right: b.value, exact: false };
  return { state: 'unknown', missing: [...a.missing, ...b.missing] };
}

/** The position of the first of the cells that has one (a list, not spread arguments: a finding may name over a hundred). */
export function positionOf(refs: readonly (CellRef | undefined)[]): Position | null {
  for (let i = 0; i < refs.length; i++) {
    const position = refs[i]?.cell?.position;
    if (position) return position;
  }
  return null;
}

/** Position of a section heading, or the top of the file. */
export function sectionPosition(report: Report, id: string): Position {
  return report.sections.find((s) => s.id === id)?.position ?? { line: 1, column: 1 };
}

interface Unassessed {
  what: string;
  missing: CellRef[];
  involved: readonly CellRef[];
}

/**
 * One rule's findings in one report. Equations that cannot be assessed are
 * gathered and reported once, as a warning naming every cell that holds no number.
 */
export class RuleFindings {
  readonly messages: Message[] = [];
  private readonly unassessed: Unassessed[] = [];

  constructor(private readonly rule: { id: string; severity: Severity }) {}

  add(message: string, cells: readonly CellRef[], at: Position | null, severity: Severity = this.rule.severity): void {
    const where = at ?? positionOf(cells) ?? { line: 1, column: 1 };
    this.messages.push({
      ruleId: this.rule.id,
      severity,
      message,
      line: where.line,
      column: where.column,
      cells: cells.map((c) => c.ref),
    });
  }

  /**
   * An equation (described by `what`) whose inputs include cells without a
   * number. The finding names those cells first, then the equation's other
   * cells, whose relation went unchecked.
   */
  unassessable(what: string, missing: readonly CellRef[], involved: readonly CellRef[] = []): void {
    this.unassessed.push({ what, missing: [...missing], involved });
  }

  done(): Message[] {
    if (this.unassessed.length > 0) {
      const { cells, named } = namedCells(this.unassessed);
      const what = this.unassessed.slice(0, 4).map((u) => u.what).join('、') + (this.unassessed.length > 4 ? ' 等' : '');
      const listed = cells.slice(0, 4).map(absenceText).join('、') + (cells.length > 4 ? ` 等 ${cells.length} 个单元格` : '');
      this.add(`无法校验 ${this.unassessed.length} 处（${what}）：含非数字单元格 ${listed}，不按 0 计算`, named, positionOf(cells), 'warning');
    }
    return this.messages;
  }
}

/**
 * Index + 1 of each template place's cell in namedCells' lists, 0 while not
 * met: kept between calls (allocating them cost more than the gathering) and
 * set back to 0 after each.
 */
let missingAt = new Int32Array(0);
let othersAt = new Int32Array(0);

/**
 * The cells without a number of the equations not assessed, by reference in
 * order of first mention (the last mention's CellRef kept, as a Map built
 * from the list keeps it); and those followed by the equations' other cells,
 * gathered the same way. Template cells are gathered by place.
 */
function namedCells(unassessed: readonly Unassessed[]): { cells: CellRef[]; named: CellRef[] } {
  for (const u of unassessed) {
    for (const c of u.missing) if (!isPlaced(c)) return namedCellsByRef(unassessed);
    for (const c of u.involved) if (!isPlaced(c)) return namedCellsByRef(unassessed);
  }
  if (missingAt.length < templateRefs.length) {
    missingAt = new Int32Array(templateRefs.length * 2);
    othersAt = new Int32Array(templateRefs.length * 2);
  }
  const cells: CellRef[] = [];
  for (const u of unassessed)
    for (const c of u.missing) {
      const at = missingAt[c.place as number] as number;
      if (at === 0) missingAt[c.place as number] = cells.push(c);
      else cells[at - 1] = c;
    }
  const others: CellRef[] = [];
  for (const u of unassessed)
    for (const c of u.involved) {
      if (missingAt[c.place as number] !== 0) continue;
      const at = othersAt[c.place as number] as number;
      if (at === 0) othersAt[c.place as number] = others.push(c);
      else others[at - 1] = c;
    }
  for (const c of cells) missingAt[c.place as number] = 0;
  for (const c of others) othersAt[c.place as number] = 0;
  return { cells, named: [...cells, ...others] };
}

function namedCellsByRef(unassessed: readonly Unassessed[]): { cells: CellRef[]; named: CellRef[] } {
  const missing = new Map<string, CellRef>();
  for (const u of unassessed) for (const c of u.missing) missing.set(c.ref, c);
  const others = new Map<string, CellRef>();
  for (const u of unassessed) for (const c of u.involved) if (!missing.has(c.ref)) others.set(c.ref, c);
  const cells = [...missing.values()];
  return { cells, named: [...cells, ...others.values()] };
}

/** A cell position of a layout: its table, row, column, the kind of value it holds, and its names. */
export interface CellSlot {
  layout: TableLayout;
  table: 'active' | 'requests' | 'review';
  row: string;
  /** The row's place in its table's rows (for review, the group's). */
  rowIndex: number;
  /** Column key (tables 二 and 四) or index (table 三). */
  column: string | number;
  kind: CellKind;
  ref: string;
  name: string;
  /** See CellRef.place. */
  place: number;
}

/** Every cell position of a layout, in table order, made once per layout. */
const slotsOfLayout = new Map<TableLayout, CellSlot[]>();
export function cellSlots(layout: TableLayout): readonly CellSlot[] {
  let slots = slotsOfLayout.get(layout);
  if (slots) return slots;
  slots = [];
  const named = (table: CellSlot['table'], row: string, rowIndex: number, column: string | number, kind: CellKind, ref: CellRef) =>
    ({ layout, table, row, rowIndex, column, kind, ref: ref.ref, name: ref.name, place: ref.place as number }) satisfies CellSlot;
  const empty = { tables: {} } as Report;
  layout.activeRows.forEach((row, r) => {
    for (const column of row.columns) slots!.push(named('active', row.key, r, column.key, column.kind, activeCell(empty, row, column.key)));
  });
  layout.requestRows.forEach((row, r) => {
    for (let c = 0; c < requestColumns.length; c++) slots!.push(named('requests', row.key, r, c, 'count', requestCell(empty, row, c)));
  });
  reviewGroups.forEach((group, r) => {
    for (const column of reviewColumns) slots!.push(named('review', group.key, r, column.key, 'count', reviewCell(empty, group, column)));
  });
  slotsOfLayout.set(layout, slots);
  return slots;
}

/** Where each row of a layout sits in its table's list of rows, made once per layout. */
const rowPositionsOf = remembered(
  (layout: TableLayout) =>
    new Map<ActiveRowDef | RequestRowDef, number>([...layout.activeRows.entries(), ...layout.requestRows.entries()].map(([i, row]) => [row, i])),
);
const reviewGroupPositions = new Map<ReviewGroup, number>(reviewGroups.map((g, i) => [g, i]));

/**
 * The report whose cells the per-report rules are reading, each table row
 * looked up once: the tables are objects keyed by row, and every rule
 * looking each cell up afresh cost more than the rules' own work.
 */
let indexed: {
  report: Report;
  layout: TableLayout;
  /** The layout's rowPositionsOf, looked up once per report rather than once per cell. */
  positions: Map<ActiveRowDef | RequestRowDef, number>;
  active: (Record<string, Cell> | undefined)[];
  requests: (Cell[] | undefined)[];
  review: (Record<string, Cell> | undefined)[];
  /** Figures of table 三 (see requestFigures), made when first asked for. */
  figures?: Float64Array;
  /** See unusualSlots, made when first asked for. */
  unusual?: readonly CellSlot[];
} | null = null;

/** Runs `read` with the report's rows looked up once; the helpers here read the cells through them. */
export function withCellIndex<T>(report: Report, read: () => T): T {
  const layout = layoutOf(report);
  if (!layout) return read();
  const outer = indexed;
  const { active, requests, review } = report.tables;
  indexed = {
    report,
    layout,
    positions: rowPositionsOf(layout),
    active: layout.activeRows.map((row) => active?.[row.key]),
    requests: layout.requestRows.map((row) => requests?.[row.key]),
    review: reviewGroups.map((group) => review?.[group.key]),
  };
  try {
    return read();
  } finally {
    indexed = outer;
  }
}

function requestLine(report: Report, row: RequestRowDef): Cell[] | undefined {
  if (indexed !== null && indexed.report === report) {
    const at = indexed.positions.get(row);
    if (at !== undefined && indexed.layout.requestRows[at] === row) return indexed.requests[at];
  }
  return report.tables.requests?.[row.key];
}

function activeLine(report: Report, row: ActiveRowDef): Record<string, Cell> | undefined {
  if (indexed !== null && indexed.report === report) {
    const at = indexed.positions.get(row);
    if (at !== undefined && indexed.layout.activeRows[at] === row) return indexed.active[at];
  }
  return report.tables.active?.[row.key];
}

function reviewLine(report: Report, group: ReviewGroup): Record<string, Cell> | undefined {
  if (indexed !== null && indexed.report === report) {
    const at = reviewGroupPositions.get(group);
    if (at !== undefined) return indexed.review[at];
  }
  return report.tables.review?.[group.key];
}

/** The report's cell at a slot (undefined when the table or the cell is absent). */
export function cellAt(report: Report, slot: CellSlot): Cell | undefined {
  if (indexed !== null && indexed.report === report && indexed.layout === slot.layout) {
    // Chosen by comparison: a lookup keyed by the table's name is slower than the three tests.
    const lines = slot.table === 'requests' ? indexed.requests : slot.table === 'active' ? indexed.active : indexed.review;
    const line = lines[slot.rowIndex] as Record<string | number, Cell> | undefined;
    return line?.[slot.column];
  }
  const table = report.tables[slot.table] as Record<string, Record<string | number, Cell>> | null;
  return table?.[slot.row]?.[slot.column];
}

/**
 * The slots whose cells are present and hold no number, or a number no count
 * can be (negative, fractional): the only cells cell-value and cell-missing
 * report on, found in one pass over the report's cells for both, in table order.
 */
export function unusualSlots(report: Report, layout: TableLayout): readonly CellSlot[] {
  if (indexed !== null && indexed.report === report && indexed.layout === layout) return (indexed.unusual ??= findUnusualSlots(report, layout));
  return findUnusualSlots(report, layout);
}

function findUnusualSlots(report: Report, layout: TableLayout): CellSlot[] {
  const found: CellSlot[] = [];
  const index = indexed !== null && indexed.report === report && indexed.layout === layout ? indexed : null;
  if (index === null) {
    for (const slot of cellSlots(layout)) if (isUnusual(cellAt(report, slot))) found.push(slot);
    return found;
  }
  // Row by row through the index: a row the report lacks is passed over whole, and no cell is looked up slot by slot.
  for (const row of slotRowsOf(layout)) {
    const lines = row.table === 'requests' ? index.requests : row.table === 'active' ? index.active : index.review;
    const line = lines[row.rowIndex] as Record<string | number, Cell> | undefined;
    if (line === undefined) continue;
    for (const slot of row.slots) if (isUnusual(line[slot.column])) found.push(slot);
  }
  return found;
}

/** Present, and no number or a number no count can be (see unusualSlots). */
function isUnusual(cell: Cell | undefined): boolean {
  if (cell === undefined) return false;
  const value = cell.state === 'number' ? cell.value : null;
  return value === null || value < 0 || !Number.isInteger(value);
}

/** The slots of a layout row by row, in table order, made once per layout. */
const slotRowsOf = remembered((layout: TableLayout) => {
  const rows: { table: CellSlot['table']; rowIndex: number; slots: CellSlot[] }[] = [];
  for (const slot of cellSlots(layout)) {
    const last = rows[rows.length - 1];
    if (last && last.table === slot.table && last.rowIndex === slot.rowIndex) last.slots.push(slot);
    else rows.push({ table: slot.table, rowIndex: slot.rowIndex, slots: [slot] });
  }
  return rows;
});

export function slotRef(report: Report, slot: CellSlot): CellRef {
  return { ref: slot.ref, name: slot.name, cell: cellAt(report, slot), place: slot.place };
}

/** Every cell of the report's tables with the kind of value it holds. */
export function allCells(report: Report): { table: 'active' | 'requests' | 'review'; ref: CellRef; kind: CellKind }[] {
  const layout = layoutOf(report);
  if (!layout) return [];
  return cellSlots(layout)
    .filter((slot) => report.tables[slot.table])
    .map((slot) => ({ table: slot.table, ref: slotRef(report, slot), kind: slot.kind }));
}

export const tableNames = { active: '表二', requests: '表三', review: '表四' } as const;
