/**
 * Tables 二, 三 and 四 in the official layout as grids the templates only
 * loop over. Rows, columns, labels and merged headers all derive from the
 * layout data; every data cell names its headers by id.
 */
import {
  requestColumns,
  reviewColumns,
  reviewGroups,
  requestsBalanceNote,
  type ActiveRowDef,
  type TableLayout,
} from '../../template/layout.js';
import type { Report } from '../../template/model.js';
import { cellView, type CellView } from './cells.js';
import { markersFor, type NumberedFinding } from './findings.js';
import { activeBlockLabel, activeContentHeader, applicantHeader, organisationHeader, sectionTitle } from './labels.js';

export interface GridCell {
  header: boolean;
  id: string | null;
  /** Space-separated ids of the header cells of a data cell. */
  headers: string | null;
  scope: 'row' | 'col' | null;
  colspan: number;
  rowspan: number;
  className: string | null;
  text: string;
  markers: CellView['markers'];
}

export interface TableView {
  /** Which table: selects its partial. */
  kind: 'active' | 'requests' | 'review';
  id: string;
  captionId: string;
  caption: string;
  head: GridCell[][];
  bodies: GridCell[][][];
}

function th(id: string | null, text: string, options: Partial<GridCell> = {}): GridCell {
  return {
    header: true,
    id,
    headers: null,
    scope: null,
    colspan: 1,
    rowspan: 1,
    className: null,
    text,
    markers: [],
    ...options,
  };
}

function td(view: CellView, headers: string[]): GridCell {
  return {
    header: false,
    id: null,
    headers: headers.join(' '),
    scope: null,
    colspan: 1,
    rowspan: 1,
    className: view.className,
    text: view.text,
    markers: view.markers,
  };
}

/** Keys may hold dots; ids may not need them but must stay unique and plain. */
function idPart(key: string): string {
  return key.replace(/[^A-Za-z0-9]+/g, '-');
}

function base(id: TableView['kind'], prefix: string): Pick<TableView, 'kind' | 'id' | 'captionId' | 'caption'> {
  return { kind: id, id: `${prefix}table-${id}`, captionId: `${prefix}table-${id}-caption`, caption: `${sectionTitle(id)}（统计表）` };
}

// ---------------------------------------------------------------- table 三

export function requestsTable(report: Report, layout: TableLayout, findings: NumberedFinding[], prefix = ''): TableView | null {
  const table = report.tables.requests;
  if (!table) return null;
  const p = `${prefix}requests`;
  const applicantId = `${p}-applicant`;
  const organisationId = `${p}-organisation`;
  const [first, ...rest] = requestColumns;
  const last = rest.at(-1);
  const middle = rest.slice(0, -1);
  if (!first || !last) return null;
  const colId = (key: string) => `${p}-col-${idPart(key)}`;
  const head: GridCell[][] = [
    [
      th(`${p}-note`, requestsBalanceNote, { rowspan: 3, colspan: 3, className: 'note' }),
      th(applicantId, applicantHeader, { colspan: requestColumns.length }),
    ],
    [
      th(colId(first.key), first.label, { rowspan: 2, scope: 'col' }),
      th(organisationId, organisationHeader, { colspan: middle.length }),
      th(colId(last.key), last.label, { rowspan: 2, scope: 'col' }),
    ],
    middle.map((c) => th(colId(c.key), c.label, { scope: 'col' })),
  ];
  const columnHeaders = (key: string) =>
    key === first.key || key === last.key ? [applicantId, colId(key)] : [applicantId, organisationId, colId(key)];

  const resultsLabel = layout.requestRows.find((r) => r.role === 'result')?.group ?? '';
  const resultsId = `${p}-results`;
  const resultRowCount = layout.requestRows.filter((r) => r.role === 'result' || r.role === 'total').length;
  const groupSizes = new Map<string, number>();
  for (const row of layout.requestRows) {
    if (row.group && row.group !== resultsLabel) groupSizes.set(row.group, (groupSizes.get(row.group) ?? 0) + 1);
  }
  const groupsOpened = new Set<string>();
  let resultsOpened = false;

  const rows: GridCell[][] = layout.requestRows.map((row) => {
    const cells: GridCell[] = [];
    const rowHeaders: string[] = [];
    const rowId = `${p}-row-${idPart(row.key)}`;
    const underResults = row.role === 'result' || row.role === 'total';
    if (!underResults) {
      cells.push(th(rowId, row.label, { colspan: 3, scope: 'row' }));
    } else {
      if (!resultsOpened) {
        cells.push(th(resultsId, resultsLabel, { rowspan: resultRowCount }));
        resultsOpened = true;
      }
      rowHeaders.push(resultsId);
      const group = row.group && row.group !== resultsLabel ? row.group : null;
      if (group) {
        const groupId = `${p}-group-${idPart(row.key.split('.')[0] ?? row.key)}`;
        if (!groupsOpened.has(group)) {
          cells.push(th(groupId, group, { rowspan: groupSizes.get(group) ?? 1 }));
          groupsOpened.add(group);
        }
        rowHeaders.push(groupId);
        cells.push(th(rowId, row.label, { scope: 'row' }));
      } else {
        cells.push(th(rowId, row.label, { colspan: 2, scope: 'row' }));
      }
    }
    rowHeaders.push(rowId);
    requestColumns.forEach((column, i) => {
      const ref = `requests.${row.key}.${column.key}`;
      cells.push(td(cellView(table[row.key]?.[i], 'count', markersFor(ref, findings)), [...rowHeaders, ...columnHeaders(column.key)]));
    });
    return cells;
  });
  return { ...base('requests', prefix), head, bodies: [rows] };
}

// ---------------------------------------------------------------- table 四

export function reviewTable(report: Report, findings: NumberedFinding[], prefix = ''): TableView | null {
  const table = report.tables.review;
  if (!table) return null;
  const p = `${prefix}review`;
  const top: GridCell[] = [];
  const second: GridCell[] = [];
  const third: GridCell[] = [];
  const data: GridCell[] = [];
  const width = reviewColumns.length;
  const parentIds = new Map<string, string>();
  reviewGroups.forEach((group, index) => {
    const groupId = `${p}-group-${idPart(group.key)}`;
    if (group.parent === null) {
      top.push(th(groupId, group.label, { colspan: width, rowspan: 2 }));
    } else {
      if (!parentIds.has(group.parent)) {
        const parentId = `${p}-parent-${index}`;
        parentIds.set(group.parent, parentId);
        const span = reviewGroups.filter((g) => g.parent === group.parent).length * width;
        top.push(th(parentId, group.parent, { colspan: span }));
      }
      second.push(th(groupId, group.label, { colspan: width }));
    }
    const groupHeaders = group.parent === null ? [groupId] : [parentIds.get(group.parent) ?? '', groupId];
    for (const column of reviewColumns) {
      const colId = `${groupId}-${idPart(column.key)}`;
      third.push(th(colId, column.label, { scope: 'col' }));
      const ref = `review.${group.key}.${column.key}`;
      data.push(td(cellView(table[group.key]?.[column.key], 'count', markersFor(ref, findings)), [...groupHeaders, colId]));
    }
  });
  return { ...base('review', prefix), head: [top, second, third], bodies: [[data]] };
}

// ---------------------------------------------------------------- table 二

export function activeTable(report: Report, layout: TableLayout, findings: NumberedFinding[], prefix = ''): TableView | null {
  const table = report.tables.active;
  if (!table) return null;
  const p = `${prefix}active`;
  const width = Math.max(...layout.activeRows.map((r) => r.columns.length));
  const blocks: ActiveRowDef[][] = [];
  for (const row of layout.activeRows) {
    const current = blocks.at(-1);
    if (current && current[0]?.block === row.block) current.push(row);
    else blocks.push([row]);
  }
  const bodies = blocks.map((rows, b) => {
    const blockId = `${p}-block-${b + 1}`;
    const contentId = `${blockId}-content`;
    const columns = rows[0]?.columns ?? [];
    // The last column takes what is left so every block spans the full width.
    const spans = columns.map((_, i) => (i === columns.length - 1 ? width - (columns.length - 1) : 1));
    const columnIds = columns.map((c) => `${blockId}-${idPart(c.key)}`);
    const grid: GridCell[][] = [
      [th(blockId, activeBlockLabel(rows[0]?.block ?? ''), { colspan: width + 1, className: 'block' })],
      [
        th(contentId, activeContentHeader, { scope: 'col' }),
        ...columns.map((c, i) => th(columnIds[i] ?? '', c.label, { colspan: spans[i] ?? 1, scope: 'col' })),
      ],
    ];
    for (const row of rows) {
      const rowId = `${p}-row-${idPart(row.key)}`;
      const cells: GridCell[] = [th(rowId, row.label, { scope: 'row' })];
      row.columns.forEach((column, i) => {
        const ref = `active.${row.key}.${column.key}`;
        const cell = td(cellView(table[row.key]?.[column.key], column.kind, markersFor(ref, findings)), [
          blockId,
          columnIds[i] ?? '',
          rowId,
        ]);
        cell.colspan = spans[i] ?? 1;
        cells.push(cell);
      });
      grid.push(cells);
    }
    return grid;
  });
  return { ...base('active', prefix), head: [], bodies };
}
