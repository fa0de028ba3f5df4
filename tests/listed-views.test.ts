/**
 * Once checked, a build keeps its site views only for the lists, with their
 * cells shared and placeless (listed-views.ts): held here on the corpus
 * reports, every cell must read as before but for its position, since list
 * keys and pages are made from the cells' JSON.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../src/parse/index.js';
import { settleListedViews } from '../src/site/listed-views.js';
import { siteView } from '../src/site/site-index.js';
import type { Cell, Report } from '../src/template/model.js';
import { corpusDir } from './helpers/corpus.js';

async function corpusViews(): Promise<Report[]> {
  const dir = join(corpusDir, 'reports');
  const views: Report[] = [];
  for (const name of readdirSync(dir)) {
    const result = await parseReport(join(dir, name), readFileSync(join(dir, name)));
    if (result.ok) views.push(siteView(result.report));
  }
  return views;
}

/** Every cell of a view's three tables, with where it sits. */
function cellsOf(view: Report): { at: string; cell: Cell | null }[] {
  const cells: { at: string; cell: Cell | null }[] = [];
  for (const [tableName, table] of Object.entries(view.tables)) {
    if (!table) continue;
    for (const [rowName, row] of Object.entries(table as Record<string, unknown>)) {
      if (row === null || typeof row !== 'object') continue;
      for (const [column, cell] of Object.entries(row as Record<string, Cell | null>)) cells.push({ at: `${view.file} ${tableName}.${rowName}.${column}`, cell });
    }
  }
  return cells;
}

/** The cell's JSON with its position, in its place among the keys, null. */
function placelessJson(cell: Cell | null): string {
  return JSON.stringify(cell === null ? null : { ...cell, position: null });
}

describe('settleListedViews', () => {
  it('keeps every cell but its position, shares alike cells and rows, and drops the prose', { timeout: 60_000 }, async () => {
    const views = await corpusViews();
    expect(views.length).toBeGreaterThan(10);
    const before = views.map((view) => cellsOf(view).map(({ at, cell }) => ({ at, json: placelessJson(cell), positioned: cell?.position != null })));
    expect(before.flat().filter((c) => c.positioned).length).toBeGreaterThan(500);
    expect(new Set(before.flat().map((c) => JSON.parse(c.json)?.state)).size).toBeGreaterThan(1);

    settleListedViews(views);

    const after = views.map(cellsOf);
    expect(after.map((cells) => cells.map((c) => ({ at: c.at, json: JSON.stringify(c.cell) })))).toEqual(
      before.map((cells) => cells.map(({ at, json }) => ({ at, json }))),
    );
    for (const view of views) expect(view.sections).toEqual([]);
    const cells = after.flat().map((c) => c.cell).filter((cell): cell is Cell => cell !== null);
    expect(cells.every((cell) => Object.isFrozen(cell))).toBe(true);
    expect(new Set(cells).size).toBeLessThan(cells.length / 4);
    const rows = views.flatMap((view) => Object.values(view.tables.requests ?? {}));
    expect(new Set(rows).size).toBeLessThan(rows.length);
  });

  it('shares a row only with rows of the same cells in the same columns and order', () => {
    const cell = (value: number): Cell => ({ state: 'number', value, text: String(value), position: { line: value, column: 1 } });
    const view = (file: string, requests: Record<string, Cell[]>, active: Record<string, Record<string, Cell>>): Report =>
      ({ file, sections: [], tables: { requests, active, review: null } }) as unknown as Report;
    const views = [
      view('a', { x: [cell(1), cell(2)], y: [cell(2), cell(1)], z: [cell(1), cell(2), cell(3)] }, { p: { a: cell(1), b: cell(2) }, q: { b: cell(2), a: cell(1) } }),
      view('b', { x: [cell(1), cell(2)], y: [cell(1)] }, { p: { a: cell(1), b: cell(2) }, q: { a: cell(1), c: cell(2) } }),
    ];
    settleListedViews(views);
    const [a, b] = views.map((v) => v.tables) as [Report['tables'], Report['tables']];
    expect(b.requests?.x).toBe(a.requests?.x);
    expect(a.requests?.y).not.toBe(a.requests?.x);
    expect(a.requests?.z).not.toBe(a.requests?.x);
    expect(b.requests?.y).not.toBe(a.requests?.x);
    expect(b.active?.p).toBe(a.active?.p);
    expect(a.active?.q).not.toBe(a.active?.p);
    expect(b.active?.q).not.toBe(a.active?.p);
    // Rows of cells numbered 0, 31 and 1, 0 (in order of first sight) hash alike: told apart cell by cell.
    const many = view('c', { all: Array.from({ length: 41 }, (_, i) => cell(100 + i)), x: [cell(100), cell(131)], y: [cell(101), cell(100)] }, {});
    settleListedViews([many]);
    expect(many.tables.requests?.y).not.toBe(many.tables.requests?.x);
    expect(many.tables.requests?.y?.map((c) => c.value)).toEqual([101, 100]);
    expect(JSON.stringify(a.active?.q)).toBe('{"b":{"state":"number","value":2,"text":"2","position":null},"a":{"state":"number","value":1,"text":"1","position":null}}');
  });
});
