/**
 * Site views once the rules across reports have read them: from then on
 * only the site's lists read them (body, year, rule and home pages, feed,
 * key figures), which show no prose and read of a cell its state, value,
 * text and candidates, never its source position (findings carry their own
 * line and column). At 10,000 reports the views held ~600,000 cells with
 * their positions and the prose of section 五 (~85 MB) until the build's end.
 */
import type { Cell, Report } from '../template/model.js';

type Row = (Cell | null)[] | Record<string, Cell | null>;

const plainKeys = ['state', 'value', 'text', 'position'];

/** A number cell as the check index expands one (content/check-index.ts): these keys in this order, its text its figure. */
function isPlainNumber(cell: Cell): boolean {
  if (cell.state !== 'number' || typeof cell.value !== 'number' || cell.text !== String(cell.value)) return false;
  let keys = 0;
  for (const key in cell) if (key !== plainKeys[keys++]) return false;
  return keys === plainKeys.length;
}

/** A shared row, with its columns in order for an object row (null for an array row). */
interface KeptRow {
  row: Row;
  columns: string[] | null;
}

/** Whether `row` holds the same cells (the same objects, in the same columns, in the same order) as `kept`. */
function sameCells(row: Row, kept: KeptRow): boolean {
  if (Array.isArray(row)) {
    const other = kept.row as (Cell | null)[];
    if (kept.columns !== null || row.length !== other.length) return false;
    for (let i = 0; i < row.length; i++) if (row[i] !== other[i]) return false;
    return true;
  }
  const { columns } = kept;
  if (columns === null) return false;
  const other = kept.row as Record<string, Cell | null>;
  let k = 0;
  for (const column in row) if (column !== columns[k++] || row[column] !== other[column]) return false;
  return k === columns.length;
}

/**
 * Makes checked site views what the lists read: no sections, and in place of
 * each cell one frozen cell without a position shared by all cells alike in
 * all else (most are: a handful of states, a few thousand small figures),
 * with its keys in the same order, so that its JSON text is the cell's but
 * for the position; likewise one frozen row for rows of the same cells
 * (table 三 keeps ~25 rows a report, most of them one total of a few).
 */
export function settleListedViews(views: readonly Report[]): void {
  /** The shared cells, each known by its place here; number cells by their figure, the others by their JSON text. */
  const cells: Cell[] = [];
  const numbers = new Map<number, number>();
  const others = new Map<string, number>();
  /** Each column name's number, for the hashes of rows. */
  const columnIds = new Map<string, number>();
  /**
   * Shared rows by a hash of their cells' numbers (and columns'), each
   * compared cell by cell: a text key per row cost building and hashing a
   * string of every row's cells, most of settling's time.
   */
  const rows = new Map<number, KeptRow[]>();
  const keep = (cell: Cell): number => cells.push(Object.freeze(cell)) - 1;
  /** The number of the cell shared() gave last (-1 for null, undefined for anything but a cell). */
  let sharedId: number | undefined;
  const shared = (cell: Cell | null): Cell | null => {
    if (cell === null || typeof cell !== 'object') {
      sharedId = cell === null ? -1 : undefined;
      return cell;
    }
    let id: number | undefined;
    if (isPlainNumber(cell)) {
      const value = cell.value as number;
      id = numbers.get(value);
      if (id === undefined) numbers.set(value, (id = keep({ state: 'number', value, text: cell.text, position: null })));
    } else {
      const placeless = { ...cell, position: null };
      const key = JSON.stringify(placeless);
      id = others.get(key);
      if (id === undefined) others.set(key, (id = keep(placeless)));
    }
    sharedId = id;
    return cells[id] as Cell;
  };
  /** The row with its cells shared, itself shared with rows of the same cells (a row of anything but cells and nulls is left as it is). */
  const sharedRow = (row: Row): Row => {
    let hash = Array.isArray(row) ? 1 : 2;
    let plain = true;
    /** Adds the cell shared() gave last to the hash. */
    const add = () => {
      if (sharedId === undefined) plain = false;
      else hash = (Math.imul(hash, 31) + sharedId) | 0;
    };
    if (Array.isArray(row))
      for (let i = 0; i < row.length; i++) {
        row[i] = shared(row[i] as Cell | null);
        add();
      }
    else
      for (const column in row) {
        let columnId = columnIds.get(column);
        if (columnId === undefined) columnIds.set(column, (columnId = columnIds.size));
        hash = (Math.imul(hash, 31) + columnId) | 0;
        row[column] = shared(row[column] as Cell | null);
        add();
      }
    if (!plain) return row;
    const alike = rows.get(hash);
    if (alike) for (const kept of alike) if (sameCells(row, kept)) return kept.row;
    // Frozen, as typed mutable: the model's rows are (Object.freeze's type for an array is a readonly array).
    Object.freeze(row);
    const kept = { row, columns: Array.isArray(row) ? null : Object.keys(row) };
    if (alike) alike.push(kept);
    else rows.set(hash, [kept]);
    return row;
  };
  for (const view of views) {
    view.sections = [];
    for (const table of [view.tables.active, view.tables.requests, view.tables.review] as (Record<string, Row> | null)[]) {
      if (!table) continue;
      for (const name in table) {
        const row = table[name];
        if (row !== null && typeof row === 'object') table[name] = sharedRow(row);
      }
    }
  }
}
