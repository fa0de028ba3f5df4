/**
 * An HTML table laid out on the grid a browser would draw: every cell
 * occupies the slots its rowspan and colspan cover, so that a value cell can
 * be matched with the header cells above it and the label cells beside it.
 */
import type { Element, ElementContent } from 'hast';
import { toText } from 'hast-util-to-text';
import type { Position } from '../../template/model.js';

export interface GridCell {
  /** The cell's text, whitespace runs collapsed to one space. */
  text: string;
  /** The cell's text as published (&nbsp; and full-width spaces kept), for reading values. */
  raw: string;
  position: Position | null;
  row: number;
  column: number;
  rowSpan: number;
  colSpan: number;
  header: boolean;
}

export interface Grid {
  /** slots[row][column]: the cell drawn there, or undefined for a hole in a ragged table. */
  slots: (GridCell | undefined)[][];
  /** The cells in source order. */
  cells: GridCell[];
  width: number;
  position: Position | null;
  /** For grids rebuilt from page geometry: the left edge of each column and the right edge of the last. */
  columnX?: number[];
}

/** Browsers cap spans; so do we, so that a malformed span cannot blow up the grid. */
const MAX_COLSPAN = 1000;
const MAX_ROWSPAN = 65534;

function span(value: unknown, max: number): number {
  const n = typeof value === 'number' ? value : Number.parseInt(String(value ?? ''), 10);
  return Number.isFinite(n) && n >= 1 ? Math.min(Math.floor(n), max) : 1;
}

export function nodePosition(node: { position?: { start: { line: number; column: number } } | undefined }): Position | null {
  const start = node.position?.start;
  return start ? { line: start.line, column: start.column } : null;
}

/** Where an element keeps its rendered text (a WeakMap of every cell costs more than working the text out twice). */
const RENDERED = Symbol('rendered text');

/** An element's text as rendered, worked out once: the metadata block and the table grids both read every cell. */
function renderedText(element: Element & { [RENDERED]?: string }): string {
  return (element[RENDERED] ??= toText(element, { whitespace: 'normal' }));
}

/** Text of a cell: <br> and block breaks become spaces; &nbsp; and full-width spaces count as whitespace. */
export function cellText(element: Element): string {
  return renderedText(element)
    .replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, ' ')
    .trim();
}

/** The <tr> rows of a table, in order, looking through thead/tbody/tfoot but not into nested tables. */
export function tableRows(table: Element): Element[] {
  const rows: Element[] = [];
  const visit = (children: ElementContent[]) => {
    for (const child of children) {
      if (child.type !== 'element') continue;
      if (child.tagName === 'tr') rows.push(child);
      else if (['thead', 'tbody', 'tfoot'].includes(child.tagName)) visit(child.children);
    }
  };
  visit(table.children);
  return rows;
}

const grids = new WeakMap<Element, Grid>();

/** The table's grid (computed once per element). */
export function layoutTable(table: Element): Grid {
  let grid = grids.get(table);
  if (!grid) grids.set(table, (grid = computeGrid(table)));
  return grid;
}

function computeGrid(table: Element): Grid {
  const slots: (GridCell | undefined)[][] = [];
  const cells: GridCell[] = [];
  tableRows(table).forEach((tr, rowIndex) => {
    const row = (slots[rowIndex] ??= []);
    let column = 0;
    for (const td of tr.children) {
      if (td.type !== 'element' || (td.tagName !== 'td' && td.tagName !== 'th')) continue;
      while (row[column] !== undefined) column++;
      // rowspan="0" means "to the end of the table section"; treat it as 1 row, as the table is read row by row.
      const raw = renderedText(td);
      const cell: GridCell = {
        text: raw.replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, ' ').trim(),
        raw: raw.replace(/^[ \t\n\r\f]+|[ \t\n\r\f]+$/g, ''),
        position: nodePosition(td),
        row: rowIndex,
        column,
        rowSpan: span(td.properties?.rowSpan, MAX_ROWSPAN),
        colSpan: span(td.properties?.colSpan, MAX_COLSPAN),
        header: td.tagName === 'th',
      };
      cells.push(cell);
      for (let r = 0; r < cell.rowSpan; r++) {
        const target = (slots[rowIndex + r] ??= []);
        for (let c = 0; c < cell.colSpan; c++) target[column + c] ??= cell;
      }
      column += cell.colSpan;
    }
  });
  // A rowspan reaching past the last <tr> does not add rows a browser would draw.
  const rowCount = tableRows(table).length;
  slots.length = Math.min(slots.length, rowCount);
  const width = slots.reduce((max, row) => Math.max(max, row.length), 0);
  return { slots, cells, width, position: nodePosition(table) };
}

/** The distinct cells of one grid row, left to right (a spanning cell once). */
export function rowCells(grid: Grid, row: number): GridCell[] {
  const seen = new Set<GridCell>();
  const result: GridCell[] = [];
  for (const cell of grid.slots[row] ?? []) {
    if (cell && !seen.has(cell)) {
      seen.add(cell);
      result.push(cell);
    }
  }
  return result;
}
