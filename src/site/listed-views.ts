/**
 * Site views once the rules across reports have read them: from then on
 * only the site's lists read them (body, year, rule and home pages, feed,
 * key figures), which show no prose and read of a cell its state, value,
 * text and candidates, never its source position (findings carry their own
 * line and column). At 10,000 reports the views held ~600,000 cells with
 * their positions and the prose of section 五 (~85 MB) until the build's end.
 */
import type { Cell, Report } from '../template/model.js';

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
 * for the position.
 */
export function settleListedViews(views: readonly Report[]): void {
  const numbers = new Map<number, Cell>();
  const others = new Map<string, Cell>();
  const shared = (cell: Cell | null): Cell | null => {
    if (cell === null || typeof cell !== 'object') return cell;
    if (isPlainNumber(cell)) {
      const value = cell.value as number;
      let kept = numbers.get(value);
      if (!kept) numbers.set(value, (kept = Object.freeze<Cell>({ state: 'number', value, text: cell.text, position: null })));
      return kept;
    }
    const placeless = { ...cell, position: null };
    const key = JSON.stringify(placeless);
    let kept = others.get(key);
    if (!kept) others.set(key, (kept = Object.freeze<Cell>(placeless)));
    return kept;
  };
  for (const view of views) {
    view.sections = [];
    for (const table of [view.tables.active, view.tables.requests, view.tables.review]) {
      if (!table) continue;
      for (const row of Object.values(table) as (Cell | null)[][] | Record<string, Cell | null>[]) {
        if (Array.isArray(row)) for (let i = 0; i < row.length; i++) row[i] = shared(row[i] as Cell | null);
        else for (const column in row) row[column] = shared(row[column] as Cell | null);
      }
    }
  }
}
