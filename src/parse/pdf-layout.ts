/**
 * PDFs read from their geometry: the ruling lines and cell rectangles a page
 * draws give each table's grid (a tall cell is a vertical header, a wide one
 * a spanning label), the text items fall into the cells that contain them,
 * and the grids are read like HTML tables, by their labels. A table that runs
 * over a page break is read as one: its continuation's columns are matched
 * to the header's by their x positions. Positions in messages are lines of
 * the document's text rendering (one visual line per line, page after page).
 */
import { MAX_PAGE_CHARACTERS, MAX_PAGE_ITEMS, MAX_PAGES, pageLines, type PdfItem, type PdfPage, type PdfSegment } from '../read/pdf.js';
import type { Source } from '../read/source.js';
import type { Position } from '../template/model.js';
import type { Adapter, Reading } from './adapter.js';
import type { Grid, GridCell } from './html/grid.js';
import { readBlocks, type ReportBlock } from './html/report.js';
import { titleLine } from './meta.js';

/** Appends to a map of lists in place (copying each list on every append is quadratic). */
function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Points within which two rulings are the same line. */
const SNAP = 2;

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function touches(a: PdfSegment, b: PdfSegment): boolean {
  return a.x0 <= b.x1 + SNAP && b.x0 <= a.x1 + SNAP && a.y0 <= b.y1 + SNAP && b.y0 <= a.y1 + SNAP;
}

/** Groups of rulings that touch one another: one group per drawn table. */
function rulingGroups(segments: readonly PdfSegment[]): PdfSegment[][] {
  const parent = segments.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] as number] as number;
    return i;
  };
  const order = segments.map((_, i) => i).sort((a, b) => (segments[a] as PdfSegment).x0 - (segments[b] as PdfSegment).x0);
  for (let p = 0; p < order.length; p++) {
    const a = segments[order[p] as number] as PdfSegment;
    for (let q = p + 1; q < order.length; q++) {
      const b = segments[order[q] as number] as PdfSegment;
      if (b.x0 > a.x1 + SNAP) break;
      if (touches(a, b)) parent[find(order[p] as number)] = find(order[q] as number);
    }
  }
  const groups = new Map<number, PdfSegment[]>();
  segments.forEach((s, i) => {
    pushTo(groups, find(i), s);
  });
  return [...groups.values()];
}

/** Distinct coordinates, close ones merged. */
function snapped(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const result: number[] = [];
  let run: number[] = [];
  for (const v of sorted) {
    if (run.length > 0 && v - (run.at(-1) as number) > SNAP) {
      result.push(run.reduce((s, x) => s + x, 0) / run.length);
      run = [];
    }
    run.push(v);
  }
  if (run.length > 0) result.push(run.reduce((s, x) => s + x, 0) / run.length);
  return result;
}

interface PdfGrid extends Grid {
  box: Box;
  columnX: number[];
}

function centre(item: PdfItem): [number, number] {
  return [(item.x0 + item.x1) / 2, (item.y0 + item.y1) / 2];
}

function inside(box: Box, [x, y]: [number, number]): boolean {
  return x >= box.x0 && x <= box.x1 && y >= box.y0 && y <= box.y1;
}

/** Text of the items of one cell, line by line. */
function itemsText(items: PdfItem[]): string {
  return pageLines(items)
    .map((line) => line.map((i) => i.text).join(''))
    .join('\n');
}

/**
 * A table's grid from its rulings: the elementary boxes between adjacent
 * rulings, joined wherever no ruling separates them into the cells drawn.
 */
function gridOf(group: PdfSegment[], items: PdfItem[], source: Source): PdfGrid | null {
  const horizontal = group.filter((s) => s.y1 - s.y0 <= s.x1 - s.x0);
  const vertical = group.filter((s) => s.y1 - s.y0 > s.x1 - s.x0);
  // Where a page break cuts a table, its last row has no closing rule: the column rules' ends close it.
  const xs = snapped([...vertical.map((s) => s.x0), ...horizontal.flatMap((s) => [s.x0, s.x1])]);
  const ys = snapped([...horizontal.map((s) => s.y0), ...vertical.flatMap((s) => [s.y0, s.y1])]);
  if (xs.length < 2 || ys.length < 2) return null;
  const rows = ys.length - 1;
  const columns = xs.length - 1;
  const ruled = (segments: PdfSegment[], along: 'x' | 'y', at: number, from: number, to: number) => {
    const middle = (from + to) / 2;
    return segments.some((s) =>
      along === 'x'
        ? Math.abs(s.x0 - at) <= SNAP && s.y0 <= middle && s.y1 >= middle
        : Math.abs(s.y0 - at) <= SNAP && s.x0 <= middle && s.x1 >= middle,
    );
  };
  const parent = Array.from({ length: rows * columns }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] as number] as number;
    return i;
  };
  const union = (a: number, b: number) => {
    parent[find(a)] = find(b);
  };
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const [top, bottom, left, right] = [ys[r] as number, ys[r + 1] as number, xs[c] as number, xs[c + 1] as number];
      if (c + 1 < columns && !ruled(vertical, 'x', right, top, bottom)) union(r * columns + c, r * columns + c + 1);
      if (r + 1 < rows && !ruled(horizontal, 'y', bottom, left, right)) union(r * columns + c, (r + 1) * columns + c);
    }
  }
  const members = new Map<number, number[]>();
  for (let i = 0; i < rows * columns; i++) pushTo(members, find(i), i);

  const box: Box = { x0: xs[0] as number, y0: ys[0] as number, x1: xs.at(-1) as number, y1: ys.at(-1) as number };
  const slots: (GridCell | undefined)[][] = Array.from({ length: rows }, () => []);
  const cellOfBox = new Map<number, GridCell>();
  const cells: GridCell[] = [];
  for (const boxes of members.values()) {
    const rowsOf = boxes.map((i) => Math.floor(i / columns));
    const colsOf = boxes.map((i) => i % columns);
    const row = Math.min(...rowsOf);
    const column = Math.min(...colsOf);
    const cell: GridCell = {
      text: '',
      raw: '',
      position: null,
      row,
      column,
      rowSpan: Math.max(...rowsOf) - row + 1,
      colSpan: Math.max(...colsOf) - column + 1,
      header: false,
    };
    cells.push(cell);
    for (const i of boxes) {
      cellOfBox.set(i, cell);
      (slots[Math.floor(i / columns)] as (GridCell | undefined)[])[i % columns] = cell;
    }
  }
  const itemsOf = new Map<GridCell, PdfItem[]>();
  for (const item of items) {
    const [x, y] = centre(item);
    const c = xs.findIndex((left, i) => i < columns && x >= left && x <= (xs[i + 1] as number));
    const r = ys.findIndex((top, i) => i < rows && y >= top && y <= (ys[i + 1] as number));
    const cell = c >= 0 && r >= 0 ? cellOfBox.get(r * columns + c) : undefined;
    if (cell) pushTo(itemsOf, cell, item);
  }
  for (const [cell, cellItems] of itemsOf) {
    cell.raw = itemsText(cellItems);
    cell.text = cell.raw.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
    const first = pageLines(cellItems)[0]?.[0];
    cell.position = first ? source.position(first.offset) : null;
  }
  // A blank cell points at its row: the first printed cell on the same grid row.
  for (const cell of cells) {
    if (cell.position) continue;
    const neighbour = (slots[cell.row] ?? []).find((c) => c?.position);
    cell.position = neighbour?.position ?? null;
  }
  cells.sort((a, b) => a.row - b.row || a.column - b.column);
  return { slots, cells, width: columns, position: cells.find((c) => c.position)?.position ?? null, box, columnX: xs };
}

// ---------------------------------------------------------------- prose

const PAGE_NUMBER = /^[-－—–]?\s*[\d０-９]+\s*[-－—–]?$|^第\s*\d+\s*页(?:\s*[/／共]\s*\d+\s*页?)?$/;

function lineText(line: PdfItem[]): string {
  let text = '';
  let previous: PdfItem | null = null;
  for (const item of line) {
    if (previous && item.x0 - previous.x1 > Math.min(item.size, previous.size) * 0.5) text += ' ';
    text += item.text;
    previous = item;
  }
  return text;
}

/**
 * Visual lines outside tables joined into paragraphs: a paragraph starts
 * where a line is indented, follows a short line, or changes font size.
 */
function paragraphs(items: PdfItem[], source: Source): { text: string; position: Position | null; top: number }[] {
  const lines = pageLines(items).filter((line) => !PAGE_NUMBER.test(lineText(line).trim()));
  if (lines.length === 0) return [];
  const left = Math.min(...lines.map((l) => (l[0] as PdfItem).x0));
  const right = Math.max(...lines.map((l) => (l.at(-1) as PdfItem).x1));
  const result: { text: string; position: Position | null; top: number }[] = [];
  let previous: PdfItem[] | null = null;
  for (const line of lines) {
    const first = line[0] as PdfItem;
    const size = first.size;
    const last = previous?.at(-1);
    const startsParagraph =
      !previous ||
      first.x0 > left + size * 1.2 ||
      (last !== undefined && last.x1 < right - size * 2) ||
      Math.abs((previous[0] as PdfItem).size - size) > 1 ||
      first.y0 - (previous[0] as PdfItem).y1 > size * 1.5;
    const text = lineText(line);
    const current = result.at(-1);
    if (startsParagraph || !current) result.push({ text, position: source.position(first.offset), top: first.y0 });
    else current.text += text;
    previous = line;
  }
  return result;
}

// ---------------------------------------------------------------- pages to blocks

export function pageBlocks(page: PdfPage, source: Source): (ReportBlock & { top: number })[] {
  const grids = rulingGroups(page.segments)
    .map((group) => gridOf(group, page.items, source))
    .filter((g): g is PdfGrid => g !== null && g.cells.some((c) => c.text !== ''));
  const prose = page.items.filter((item) => !grids.some((g) => inside(g.box, centre(item))));
  return [
    ...grids.map((grid) => ({ kind: 'table' as const, grid, position: grid.position, top: grid.box.y0 })),
    ...paragraphs(prose, source).map((p) => ({ kind: 'text' as const, text: p.text, position: p.position, top: p.top })),
  ].sort((a, b) => a.top - b.top);
}

export const pdfLayout: Adapter = {
  id: 'pdf-layout',
  name: 'PDF（版面）',
  detect(source) {
    return source.converted?.from === 'pdf' ? 1 : 0;
  },
  read(source): Reading {
    const pdf = source.converted?.from === 'pdf' ? source.converted.pdf : { pages: [], pageCount: 0 };
    const blocks: ReportBlock[] = pdf.pages.flatMap((page) => pageBlocks(page, source)).map(({ top: _top, ...block }) => block);
    const body = blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : [])).join('\n');
    const title = titleLine(body);
    const reading = readBlocks(source.file, blocks, title.title ? { title: title.title } : {});
    for (const page of pdf.pages) {
      if (!page.truncated) continue;
      const last = page.items.at(-1);
      const { line, column } = source.position(last ? last.offset + last.text.length : source.text.length);
      reading.messages.push({
        ruleId: 'pdf-page-too-large',
        severity: 'warning',
        message: `第 ${page.number} 页的文字过多（超过 ${MAX_PAGE_ITEMS} 项或 ${MAX_PAGE_CHARACTERS} 字），只读取了到此处为止的文字，其余文字和该页的表格线未读取`,
        line,
        column,
      });
    }
    if (pdf.pageCount > pdf.pages.length) {
      // The end of the last page read.
      const { line, column } = source.position(source.text.trimEnd().length);
      reading.messages.push({
        ruleId: 'pdf-too-many-pages',
        severity: 'warning',
        message: `PDF 共 ${pdf.pageCount} 页，超过 ${MAX_PAGES} 页：只读取了到此处为止的前 ${MAX_PAGES} 页，第 ${MAX_PAGES + 1} 页起未读取`,
        line,
        column,
      });
    }
    return reading;
  },
};
