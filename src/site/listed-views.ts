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

/**
 * Makes checked site views what the lists read: no sections, and in place of
 * each cell one frozen cell without a position shared by all cells alike in
 * all else (most are: a handful of states, a few thousand small figures),
 * with its keys in the same order, so that its JSON text is the cell's but
 * for the position; likewise one frozen row for rows of the same cells
 * (table 三 keeps ~25 rows a report, most of them one total of a few).
 */
export function settleListedViews(views: readonly Report[]): void {
  const numbers = new Map<number, Cell>();
  const others = new Map<string, Cell>();
  /** Each shared cell's number, for the keys of rows. */
  const ids = new Map<Cell, number>();
  const rows = new Map<string, Row>();
  const keep = (cell: Cell): Cell => {
    ids.set(cell, ids.size);
    return cell;
  };
  const shared = (cell: Cell | null): Cell | null => {
    if (cell === null || typeof cell !== 'object') return cell;
    if (isPlainNumber(cell)) {
      const value = cell.value as number;
      let kept = numbers.get(value);
      if (!kept) numbers.set(value, (kept = keep(Object.freeze<Cell>({ state: 'number', value, text: cell.text, position: null }))));
      return kept;
    }
    const placeless = { ...cell, position: null };
    const key = JSON.stringify(placeless);
    let kept = others.get(key);
    if (!kept) others.set(key, (kept = keep(Object.freeze<Cell>(placeless))));
    return kept;
  };
  /** The row with its cells shared, itself shared with rows of the same cells (a row of anything but cells and nulls is left as it is). */
  const sharedRow = (row: Row): Row => {
    let key = Array.isArray(row) ? '[' : '{';
    const add = (column: string, cell: Cell | null) => {
      const id = cell === null ? '-' : ids.get(cell);
      if (id === undefined) key = '';
      else if (key !== '') key += `${column}:${id},`;
    };
    if (Array.isArray(row)) for (let i = 0; i < row.length; i++) add('', (row[i] = shared(row[i] as Cell | null)));
    else for (const column in row) add(JSON.stringify(column), (row[column] = shared(row[column] as Cell | null)));
    if (key === '') return row;
    const kept = rows.get(key);
    if (kept) return kept;
    // Frozen, as typed mutable: the model's rows are (Object.freeze's type for an array is a readonly array).
    Object.freeze(row);
    rows.set(key, row);
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
